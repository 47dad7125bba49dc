/// Where a flow's credit stands: the one statement of "credited in full" that the key labels, the
/// flow's discrepancies and `flows.csv` all read.
///
/// A net credit (credits less reversals) of zero or less is nothing credited: pending until the
/// credit is due (settlement date + 1 working day), not credited after. A flow is credited in full
/// only when the net credit equals its total to the cent; a flow whose negative revocations bring
/// its total to zero or below is owed nothing, and is settled when nothing was credited.
public enum FlowCreditStatus: String, Sendable, CaseIterable {
    case pending = "PENDING"
    case notCredited = "NOT_CREDITED"
    case partial = "PARTIAL"
    case credited = "CREDITED"
    case overCredited = "OVER_CREDITED"
    /// An FdR-3 flow delivered in parts (header and pages) not all in yet: not reconciled until whole.
    case incomplete = "INCOMPLETE"

    /// Fully credited is the only settled state; every other one keeps the flow open.
    public var isSettled: Bool { self == .credited }
}

extension Classifier {
    /// The credit status of a flow of `totalCents` settled on `settlementDate` and credited
    /// `creditedCents` net, on the as-of date.
    public func creditStatus(totalCents: Int64, creditedCents: Int64, settlementDate: CivilDate?) -> FlowCreditStatus {
        // A flow whose revocations outweigh its payments owes nothing: nothing credited settles it.
        if totalCents <= 0, creditedCents == 0 || creditedCents == totalCents { return .credited }
        if creditedCents <= 0 {
            guard let settlementDate else { return .pending }
            return isOverdue(deadlines.creditDue(settlementDate: settlementDate)) ? .notCredited : .pending
        }
        if creditedCents < totalCents { return .partial }
        return creditedCents == totalCents ? .credited : .overCredited
    }

    /// Whether the credit of a flow settled on `settlementDate` is past due on the as-of date.
    func isCreditOverdue(settlementDate: CivilDate?) -> Bool {
        settlementDate.map { isOverdue(deadlines.creditDue(settlementDate: $0)) } ?? false
    }
}
