/// What happened in the generated world, before any document is written: every payment with its
/// transfers, the flows PSPs report them in, the credits that pay those flows, and the defects
/// planted among them. Documents and `truth.jsonl` are both written from this one plan, so they agree
/// by construction.
///
/// Identifiers are numbers here (serials, slots, day offsets) and become strings only when a
/// document is written: a million payments stay a few hundred megabytes.
struct DatasetPlan {
    enum Beneficiary: Equatable {
        case served(Int)
        /// A body the intermediary does not serve (the Provincia's TEFA on a TARI notice).
        case external
        /// A digital revenue stamp (marca da bollo digitale), paid to the Agenzia delle Entrate.
        case stamp
    }

    struct Transfer {
        var beneficiary: Beneficiary
        var amountCents: Int64
        /// Index into the world's taxonomy, or nil for a code the table does not hold.
        var taxonomy: Int?
        var usesOldIBAN = false
    }

    struct Position {
        /// 1 for a single payment option, else the number of instalments.
        var instalments = 1
        var status = "VALID"
        /// Days from the payment to the option's due date (negative: paid late).
        var dueInDays = 30
        /// What the position asks when it differs from what was paid.
        var askedCents: Int64?
        /// The category the position planned, when it differs from the receipt's.
        var plannedTaxonomy: Int?
    }

    struct Payment {
        var serial: Int
        /// The notice paid: its own serial, or the first payment's for a notice paid twice.
        var noticeSerial: Int
        /// The instalment paid (1-based), 0 for a single option.
        var slot = 0
        var day: Int
        var second: Int
        var creditor: Int
        var psp: Int
        var transfers: [Transfer]
        var position: Position?
        var version1 = false
        var standIn = false
        /// The receipt also reaches the station of a served secondary beneficiary.
        var broadcast = false
        var anomaly: InjectedAnomaly?

        var totalCents: Int64 { transfers.reduce(0) { $0 + $1.amountCents } }

        /// The first served body among the other beneficiaries: the station a copy of the receipt reaches.
        var secondaryServed: Int? {
            for transfer in transfers.dropFirst() { if case let .served(creditor) = transfer.beneficiary { return creditor } }
            return nil
        }
    }

    /// One row of a flow, by reference to what it reports.
    struct Row {
        var noticeSerial: Int
        var slot: Int
        /// Serial whose receipt id is the row's IUR.
        var iurSerial: Int
        var transferIndex: Int
        var amountCents: Int64
        var outcome = "0"
        var paymentDay: Int
    }

    /// What PSPs group a flow by: settlement day, PSP and receiving creditor.
    struct FlowKey: Hashable {
        var settlement: Int
        var psp: Int
        var creditor: Int
    }

    struct Flow {
        var psp: Int
        var creditor: Int
        /// Day offset of the settlement (and of the flow id's date).
        var settlementDay: Int
        var rows: [Row] = []
        var anomaly: InjectedAnomaly?
        var ordinal = 0
        var creditDay = 0
        var totalCents: Int64 { rows.reduce(0) { $0 + $1.amountCents } }
        /// What the flow as sent reports, its repeated row included: what the PSP credits.
        var reportedTotalCents: Int64 { totalCents + (anomaly == .duplicateFlowRow ? rows[0].amountCents : 0) }
        var key: FlowKey { FlowKey(settlement: settlementDay, psp: psp, creditor: creditor) }
    }

    /// A treasury credit on a served creditor's account.
    struct Credit {
        /// Index of the flow whose credit this is (or whose settlement an unknown reference rides on).
        var flow: Int
        var creditor: Int
        var day: Int
        var amountCents: Int64
        var causale: String
        /// The PSP paying, for the debtor name and account.
        var psp: Int
        var anomaly: InjectedAnomaly?
    }

    /// A debt position marked paid that no receipt backs.
    struct PaidPosition {
        var creditor: Int
        var noticeSerial: Int
        var iurSerial: Int
        var day: Int
        var amountCents: Int64
        var taxonomy: Int
    }

    var payments: [Payment] = []
    var flows: [Flow] = []
    var credits: [Credit] = []
    var paidPositions: [PaidPosition] = []
    /// Serials above every payment's, for rows and positions that no payment backs.
    var nextSerial = 0
}

extension DatasetPlan {
    /// Serial offsets that keep mismatched IURs apart from every real receipt id.
    static let mismatchedIUR = 1 << 40
}
