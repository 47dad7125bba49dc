import Testing
@testable import QuadraKit

@Suite struct WorkingDayCalendarTests {
    private let calendar = WorkingDayCalendar.italianBanking

    /// Reference dates from an independent implementation (python-dateutil `easter()`).
    @Test(arguments: [
        (2000, "2000-04-23"), (2001, "2001-04-15"), (2002, "2002-03-31"), (2003, "2003-04-20"),
        (2004, "2004-04-11"), (2005, "2005-03-27"), (2006, "2006-04-16"), (2007, "2007-04-08"),
        (2008, "2008-03-23"), (2009, "2009-04-12"), (2010, "2010-04-04"), (2011, "2011-04-24"),
        (2012, "2012-04-08"), (2013, "2013-03-31"), (2014, "2014-04-20"), (2015, "2015-04-05"),
        (2016, "2016-03-27"), (2017, "2017-04-16"), (2018, "2018-04-01"), (2019, "2019-04-21"),
        (2020, "2020-04-12"), (2021, "2021-04-04"), (2022, "2022-04-17"), (2023, "2023-04-09"),
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2028, "2028-04-16"), (2029, "2029-04-01"), (2030, "2030-04-21"), (2031, "2031-04-13"),
        (2032, "2032-03-28"), (2033, "2033-04-17"), (2034, "2034-04-09"), (2035, "2035-03-25"),
        (2038, "2038-04-25"),
    ])
    func easterSunday(year: Int, expected: String) {
        #expect(WorkingDayCalendar.easterSunday(year: year).description == expected)
    }

    /// Gregorian Easter is always a Sunday between 22 March and 25 April.
    @Test func easterIsAlwaysASundayInItsWindow() throws {
        for year in 1583...4099 {
            let easter = WorkingDayCalendar.easterSunday(year: year)
            #expect(easter.weekday == 7, "\(year)")
            let earliest = try #require(CivilDate(year: year, month: 3, day: 22))
            let latest = try #require(CivilDate(year: year, month: 4, day: 25))
            #expect(earliest <= easter && easter <= latest, "\(year)")
        }
    }

    @Test(arguments: [
        // Fixed national bank holidays in 2026, each on a weekday or not
        ("2026-01-01", false), ("2026-01-06", false), ("2026-04-25", false), ("2026-05-01", false),
        ("2026-06-02", false), ("2026-08-15", false), ("2026-11-01", false), ("2026-12-08", false),
        ("2026-12-25", false), ("2026-12-26", false),
        // Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr closed, the Thursday and Tuesday open
        ("2026-04-02", true), ("2026-04-03", false), ("2026-04-05", false), ("2026-04-06", false), ("2026-04-07", true),
        // 31 Dec and 24 Dec are working days; weekends are not
        ("2026-12-31", true), ("2026-12-24", true), ("2025-12-31", true),
        ("2026-11-14", false), ("2026-11-15", false), ("2026-11-16", true), ("2026-11-17", true),
        // Local patron saints are not national bank holidays
        ("2026-06-29", true), ("2026-12-07", true),
        // Easter Monday 2011 fell on 25 April
        ("2011-04-25", false), ("2011-04-22", false), ("2011-04-26", true),
        // Easter Monday in March (2016-03-28) and Good Friday in March (2024-03-29)
        ("2016-03-28", false), ("2024-03-29", false), ("2024-04-01", false), ("2024-04-02", true),
    ])
    func workingDays(iso: String, working: Bool) throws {
        #expect(calendar.isWorkingDay(try day(iso)) == working)
    }

    @Test(arguments: [
        // D+0 is D itself, even on a holiday or a weekend
        ("2026-11-17", 0, "2026-11-17"), ("2026-12-25", 0, "2026-12-25"), ("2026-11-14", 0, "2026-11-14"),
        // Across a weekend
        ("2026-11-12", 2, "2026-11-16"), ("2026-11-13", 1, "2026-11-16"), ("2026-11-13", 2, "2026-11-17"),
        ("2026-11-13", 4, "2026-11-19"),
        // From a non-working day, D+1 is the first working day after it
        ("2026-11-14", 1, "2026-11-16"), ("2026-11-14", 2, "2026-11-17"), ("2026-11-15", 1, "2026-11-16"),
        // Across Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr)
        ("2026-04-02", 1, "2026-04-07"), ("2026-04-02", 2, "2026-04-08"), ("2026-04-01", 2, "2026-04-07"),
        ("2026-04-03", 2, "2026-04-08"), ("2026-04-02", 4, "2026-04-10"),
        // Christmas, St Stephen, 31 Dec (open), New Year, Epiphany: 2025-12-24 is a Wednesday
        ("2025-12-24", 1, "2025-12-29"), ("2025-12-24", 2, "2025-12-30"), ("2025-12-24", 3, "2025-12-31"),
        ("2025-12-24", 4, "2026-01-02"), ("2025-12-24", 5, "2026-01-05"), ("2025-12-24", 6, "2026-01-07"),
        ("2025-12-31", 2, "2026-01-05"),
        // 2 June on a weekday (Tuesday 2026-06-02)
        ("2026-06-01", 1, "2026-06-03"), ("2026-05-29", 2, "2026-06-03"),
        // 1 May and 25 April
        ("2026-04-30", 1, "2026-05-04"), ("2029-04-24", 1, "2029-04-26"),
        // Leap years
        ("2028-02-28", 1, "2028-02-29"), ("2024-02-28", 2, "2024-03-01"), ("2100-02-26", 1, "2100-03-01"),
        ("2027-02-26", 1, "2027-03-01"),
        // Ferragosto on a Friday (2025-08-15)
        ("2025-08-14", 1, "2025-08-18"),
    ])
    func addingWorkingDays(start: String, days: Int, expected: String) throws {
        #expect(calendar.adding(workingDays: days, to: try day(start)).description == expected)
    }

    /// Yearly counts of working days from an independent Python computation with the same rules.
    @Test(arguments: [
        (2020, 254), (2021, 254), (2022, 251), (2023, 249), (2024, 253), (2025, 250), (2026, 253),
        (2027, 254), (2028, 249), (2029, 252), (2030, 252),
    ])
    func workingDaysPerYear(year: Int, count: Int) throws {
        var current = try #require(CivilDate(year: year, month: 1, day: 1))
        var working = 0
        while current.year == year {
            if calendar.isWorkingDay(current) { working += 1 }
            current = current.adding(days: 1)
        }
        #expect(working == count)
    }

    /// D+n always lands on a working day (n >= 1) and D+(n+1) is the next working day after D+n.
    @Test func addingIsConsistentWithIsWorkingDay() throws {
        var start = try day("2025-12-01")
        for _ in 0..<500 {
            var previous = calendar.adding(workingDays: 1, to: start)
            #expect(calendar.isWorkingDay(previous))
            for n in 2...5 {
                let next = calendar.adding(workingDays: n, to: start)
                #expect(calendar.isWorkingDay(next))
                #expect(calendar.adding(workingDays: 1, to: previous) == next)
                previous = next
            }
            start = start.adding(days: 1)
        }
    }
}

private func day(_ iso: String) throws -> CivilDate {
    try #require(CivilDate(iso: iso), "fixture \(iso)")
}
