/// Where a provvisorio di entrata stands with the ragioneria: every one must be regularised by
/// reversali for exactly its amount, and soon.
public enum ProvvisorioStatus: String, Sendable, CaseIterable {
    /// No reversale has settled it yet.
    case toRegularise = "TO_REGULARISE"
    /// Reversali settled it for exactly its amount.
    case regularised = "REGULARISED"
    /// Reversali settled it for another amount than it had (less so far, or more).
    case amountDiffers = "AMOUNT_DIFFERS"
    /// The treasurer reversed the credit (OPI `STORNATO`): nothing is left to regularise.
    case reversed = "REVERSED"

    /// Still the ragioneria's to do, so every night's provvisori.csv lists it.
    public var isOpen: Bool { self == .toRegularise || self == .amountDiffers }
}

/// One provvisorio and the reversali that name it, as the store holds them.
public struct ProvvisorioEvidence: Sendable, Equatable {
    /// A reversale's settlement of this provvisorio: its year and number, its day and the amount it takes.
    public struct Settlement: Sendable, Equatable {
        public var fiscalYear: Int
        public var documentNumber: String
        public var bookingDate: String
        public var amountCents: Int64

        public init(fiscalYear: Int, documentNumber: String, bookingDate: String, amountCents: Int64) {
            self.fiscalYear = fiscalYear
            self.documentNumber = documentNumber
            self.bookingDate = bookingDate
            self.amountCents = amountCents
        }
    }

    public var creditor: String
    public var fiscalYear: Int
    public var number: String
    public var amountCents: Int64
    /// `data_effettiva_sospeso`, else the booking day: what its age counts from.
    public var effectiveDate: CivilDate
    public var reversed: Bool
    public var settlements: [Settlement]

    public init(creditor: String, fiscalYear: Int, number: String, amountCents: Int64, effectiveDate: CivilDate,
                reversed: Bool = false, settlements: [Settlement] = []) {
        self.creditor = creditor
        self.fiscalYear = fiscalYear
        self.number = number
        self.amountCents = amountCents
        self.effectiveDate = effectiveDate
        self.reversed = reversed
        self.settlements = settlements
    }

    /// How the ragioneria names it, and the reference its discrepancies carry: `year/number`.
    public var reference: String { Self.reference(fiscalYear: fiscalYear, number: number) }

    public static func reference(fiscalYear: Int, number: String) -> String { "\(fiscalYear)/\(number)" }
}

/// Judges provvisori: regularised, still to regularise (late past `regulariseWorkingDays` working
/// days from the day the treasurer booked it), or regularised for another amount.
public struct ProvvisorioRules: Sendable {
    /// Working days the ragioneria has to issue the reversale before the provvisorio is a warning.
    public var regulariseWorkingDays = 30
    public var calendar = WorkingDayCalendar.italianBanking

    public init() {}

    public struct Verdict: Sendable, Equatable {
        public var status: ProvvisorioStatus
        public var regularisedCents: Int64
        /// The reversali that settled it, `year/number`, sorted and `|`-joined; nil when none.
        public var reversali: String?
        /// The day of the last reversale that settled it.
        public var regularisedOn: String?
        public var discrepancy: Discrepancy?
    }

    public func judge(_ provvisorio: ProvvisorioEvidence, asOf: CivilDate) -> Verdict {
        let settled = Money.sum(provvisorio.settlements.map(\.amountCents)) ?? .max
        let reversali = Set(provvisorio.settlements.map { "\($0.fiscalYear)/\($0.documentNumber)" }).sorted()
        var verdict = Verdict(status: .toRegularise, regularisedCents: settled,
                              reversali: reversali.isEmpty ? nil : reversali.joined(separator: "|"),
                              regularisedOn: provvisorio.settlements.map(\.bookingDate).max())
        let amount = Money.format(provvisorio.amountCents)
        if provvisorio.reversed {
            verdict.status = .reversed
        } else if provvisorio.settlements.isEmpty {
            let due = calendar.adding(workingDays: regulariseWorkingDays, to: provvisorio.effectiveDate)
            if asOf > due {
                verdict.discrepancy = Discrepancy(
                    .provvisorioNotRegularised, creditor: provvisorio.creditor, treasuryReference: provvisorio.reference,
                    expected: provvisorio.amountCents,
                    message: "provvisorio \(provvisorio.reference) of \(amount), booked \(provvisorio.effectiveDate), has no reversale after \(regulariseWorkingDays) working days (due by \(due))")
            }
        } else if settled == provvisorio.amountCents {
            verdict.status = .regularised
        } else {
            verdict.status = .amountDiffers
            verdict.discrepancy = Discrepancy(
                .provvisorioAmountDiffers, creditor: provvisorio.creditor, treasuryReference: provvisorio.reference,
                expected: provvisorio.amountCents, actual: settled,
                message: "provvisorio \(provvisorio.reference) of \(amount) is regularised for \(Money.format(settled)) by reversale \(reversali.joined(separator: ", "))")
        }
        return verdict
    }
}
