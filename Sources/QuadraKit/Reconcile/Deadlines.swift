/// When each piece of evidence is due, in working days of the Italian banking calendar.
///
/// "By day X" means the whole of day X: a piece is pending up to and including X and overdue for
/// as-of dates after it.
public struct Deadlines: Sendable {
    /// The flow reporting a payment of day D is due by D + this many working days.
    public var flowWorkingDays = 2
    /// The credit of a flow is due by its settlement date + this many working days.
    public var creditWorkingDays = 1
    public var calendar = WorkingDayCalendar.italianBanking

    public init() {}

    public func flowDue(paymentDay: CivilDate) -> CivilDate {
        calendar.adding(workingDays: flowWorkingDays, to: paymentDay)
    }

    /// A flow settled on a day is published that day; its parts still missing the working day after
    /// mean its payments' reporting (payment day + 2, settlement + 1) is late.
    public func partsDue(settlementDate: CivilDate) -> CivilDate {
        calendar.adding(workingDays: max(flowWorkingDays - 1, 0), to: settlementDate)
    }

    public func creditDue(settlementDate: CivilDate) -> CivilDate {
        calendar.adding(workingDays: creditWorkingDays, to: settlementDate)
    }
}
