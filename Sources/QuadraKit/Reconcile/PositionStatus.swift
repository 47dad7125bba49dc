/// A debt position's status as GPD derives it (v1 `PaymentPositionModel.status`), carried on as far as
/// Quadra follows the money: what the back office must close ("when the creditor receives the receipt
/// it must close the debt position"). Declared once here; `positions.csv.gz` and the
/// `POSITION_STATUS_MISMATCH` discrepancy both read it.
public enum PositionStatus: String, Sendable, CaseIterable, Codable {
    // Before any payment: as GPD sent it.
    case draft = "DRAFT", published = "PUBLISHED", valid = "VALID", invalid = "INVALID", expired = "EXPIRED"
    /// Some instalments of the plan paid, not all.
    case partiallyPaid = "PARTIALLY_PAID"
    /// The single option, or every instalment of the plan, paid.
    case paid = "PAID"
    /// Paid, and every transfer of the payment reported in a flow.
    case reported = "REPORTED"
    /// Reported, and every transfer credited on the treasury account (Quadra's step past GPD's).
    case cashed = "CASHED"
    /// Paid more than once (see `Classifier.classify(_: PositionPayments)`): money to give back.
    case overpaid = "OVERPAID"

    /// GPD statuses that say a payment happened, for the position and for an option.
    static let paidByGPD: Set<String> = ["PARTIALLY_PAID", "PAID", "REPORTED", "PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"]
}

/// What the store knows of one current debt position, option by option, for its status.
public struct PositionFacts: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var iuv: String
        public var nav: String? = nil
        public var isPartialPayment: Bool
        public var amountCents: Int64
        /// The option's status as GPD sent it (`PO_UNPAID`, `PO_PAID` …).
        public var gpdStatus: String? = nil
        /// Distinct receipts of the option's IUV, their ids (sorted) and the amount they paid.
        public var receiptIds: [String] = []
        public var paidCents: Int64 = 0
        /// The ledger id of the last document that brought one of them.
        public var lastReceiptDocument: Int64? = nil
        /// The creditor's transfer keys paid on this option: how many, how many a flow reports and
        /// how many are cashed, with the amounts reported and credited, and the flows (sorted).
        public var keys = 0
        public var reportedKeys = 0
        public var cashedKeys = 0
        public var reportedCents: Int64 = 0
        public var creditedCents: Int64 = 0
        public var flows: [String] = []
    }

    public var creditor: String
    public var iupd: String
    /// The position's status as GPD sent it, and the ledger id of the document that sent this version.
    public var gpdStatus: String?
    public var document: Int64
    public var options: [Option]
    /// An option of the position belongs to a key of this pass: its discrepancies are judged tonight.
    public var judged = true

    var paidOptions: [Option] { options.filter { !$0.receiptIds.isEmpty } }

    /// What the position asks: the plan's instalments when one is paid, else its single option
    /// (the first), else the plan.
    public var dueCents: Int64 {
        let instalments = options.filter(\.isPartialPayment)
        let plan = Money.sum(instalments.map(\.amountCents)) ?? .max
        if paidOptions.contains(where: \.isPartialPayment) { return plan }
        return options.first { !$0.isPartialPayment }?.amountCents ?? plan
    }

    public var paidCents: Int64 { Money.sum(options.map(\.paidCents)) ?? .max }
    public var reportedCents: Int64 { Money.sum(options.map(\.reportedCents)) ?? .max }
    public var creditedCents: Int64 { Money.sum(options.map(\.creditedCents)) ?? .max }
}

extension Classifier {
    /// GPD's derivation: no receipt leaves the status GPD sent (VALID when it claims a payment Quadra
    /// cannot see); one full option or every instalment paid is `PAID`, some instalments
    /// `PARTIALLY_PAID`; then `REPORTED` once a flow reports every paid transfer and `CASHED` once
    /// each is credited. A position paid twice is `OVERPAID`, whatever else holds.
    public func status(of position: PositionFacts) -> PositionStatus {
        let paid = position.paidOptions
        guard !paid.isEmpty else {
            let sent = position.gpdStatus.flatMap(PositionStatus.init(rawValue:))
            return sent.flatMap { [.draft, .published, .valid, .invalid, .expired].contains($0) ? $0 : nil } ?? .valid
        }
        let payments = PositionPayments(creditor: position.creditor, iupd: position.iupd, paidOptions: paid.map {
            .init(iuv: $0.iuv, isPartialPayment: $0.isPartialPayment, receipts: $0.receiptIds.count, paidCents: $0.paidCents)
        })
        if classify(payments) != nil { return .overpaid }
        let instalments = position.options.filter(\.isPartialPayment)
        let complete = paid.contains { !$0.isPartialPayment } || instalments.allSatisfy { !$0.receiptIds.isEmpty }
        guard complete else { return .partiallyPaid }
        let keys = paid.reduce(0) { $0 + $1.keys }
        if keys > 0 && paid.allSatisfy({ $0.cashedKeys == $0.keys }) { return .cashed }
        if keys > 0 && paid.allSatisfy({ $0.reportedKeys == $0.keys }) { return .reported }
        return .paid
    }

    /// `POSITION_STATUS_MISMATCH`: GPD says the position (or an option) is paid and no receipt of it
    /// is in the store, or the reverse: a version GPD sent after a receipt had arrived still says
    /// unpaid. A version sent before the payment is simply older news.
    public func classify(status position: PositionFacts) -> Discrepancy? {
        guard position.judged, let first = position.options.first else { return nil }
        let claimed = position.options.first { $0.gpdStatus.map(PositionStatus.paidByGPD.contains) == true }
        let gpdPaid = claimed != nil || position.gpdStatus.map(PositionStatus.paidByGPD.contains) == true
        let paid = position.paidOptions
        if gpdPaid, paid.isEmpty {
            let option = claimed ?? first
            return Discrepancy(.positionStatusMismatch, key: TransferKey(creditor: position.creditor, iuv: option.iuv, iur: "", transferIndex: 0),
                               expected: option.amountCents,
                               message: "GPD marks position \(position.iupd) \(claimed?.gpdStatus ?? position.gpdStatus ?? "") and no receipt of it is in the store")
        }
        if !gpdPaid, let sent = position.gpdStatus, let option = paid.first,
           let lastReceipt = paid.compactMap(\.lastReceiptDocument).max(), position.document > lastReceipt {
            return Discrepancy(.positionStatusMismatch, key: TransferKey(creditor: position.creditor, iuv: option.iuv, iur: "", transferIndex: 0),
                               actual: position.paidCents,
                               message: "GPD sent position \(position.iupd) as \(sent) after receipt \(option.receiptIds[0]) paid it")
        }
        return nil
    }
}
