/// Decides which days count as "working days" for pagoPA deadlines (FdR by D+2, overwrites
/// until D+4) and counts them, using integer date arithmetic only.
public struct WorkingDayCalendar: Sendable {
    private struct MonthDay: Hashable, Sendable {
        let month: Int
        let day: Int
    }

    private let fixedHolidays: Set<MonthDay>
    /// Movable holidays as day offsets from Easter Sunday.
    private let easterOffsets: Set<Int>

    /// Days on which Italian banks do not execute SEPA credit transfers: Saturdays, Sundays and
    /// the national bank holidays 1 Jan, 6 Jan, Easter Monday, 25 Apr, 1 May, 2 Jun, 15 Aug,
    /// 1 Nov, 8 Dec, 25 Dec, 26 Dec.
    ///
    /// Good Friday is included although it is not an Italian public holiday: TARGET2 and the SEPA
    /// clearing are closed that day, so Italian banks settle no transfers and a PSP cannot credit
    /// the body. 31 Dec is not included: branches close to the public but interbank settlement runs.
    /// Local patron-saint days (e.g. 29 Jun in Rome) are not bank holidays nationwide and are ignored.
    public static let italianBanking = WorkingDayCalendar(
        fixedHolidays: [
            MonthDay(month: 1, day: 1), MonthDay(month: 1, day: 6), MonthDay(month: 4, day: 25),
            MonthDay(month: 5, day: 1), MonthDay(month: 6, day: 2), MonthDay(month: 8, day: 15),
            MonthDay(month: 11, day: 1), MonthDay(month: 12, day: 8), MonthDay(month: 12, day: 25),
            MonthDay(month: 12, day: 26),
        ],
        easterOffsets: [-2, 1]  // Good Friday, Easter Monday
    )

    public func isWorkingDay(_ d: CivilDate) -> Bool {
        guard d.weekday <= 5 else { return false }
        if fixedHolidays.contains(MonthDay(month: d.month, day: d.day)) { return false }
        return !easterOffsets.contains(CivilDate.daysBetween(Self.easterSunday(year: d.year), d))
    }

    /// D+n in working days: the n-th working day strictly after `d` (D+0 is `d` itself, even on a
    /// holiday). So when `d` is not a working day, D+1 is the first working day after it, which is
    /// how "second working day after the payment" reads for a payment made on a Saturday.
    /// A negative `n` is a programmer error and traps.
    public func adding(workingDays n: Int, to d: CivilDate) -> CivilDate {
        precondition(n >= 0, "adding(workingDays:) needs n >= 0, got \(n)")
        var current = d
        var remaining = n
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The working days after `start` up to and including `end` (0 when `end` is not after `start`):
    /// how late a piece due by `start` and seen on `end` came.
    public func workingDays(after start: CivilDate, through end: CivilDate) -> Int {
        var count = 0
        var current = start
        while current < end {
            current = current.adding(days: 1)
            if isWorkingDay(current) { count += 1 }
        }
        return count
    }

    /// Gregorian Easter Sunday by the anonymous (Meeus/Jones/Butcher) algorithm, so no table of
    /// dates has to be maintained. Traps for years outside 1...9999, which `CivilDate` cannot hold.
    public static func easterSunday(year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        guard let easter = CivilDate(year: year, month: month, day: day) else {
            preconditionFailure("Easter is computed only for years 1...9999, got \(year)")
        }
        return easter
    }
}
