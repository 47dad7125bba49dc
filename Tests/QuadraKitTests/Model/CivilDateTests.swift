import Foundation
import Testing
@testable import QuadraKit

@Suite struct CivilDateTests {
    @Test(arguments: [
        (2024, 2, 29, true), (2000, 2, 29, true), (2025, 2, 29, false), (1900, 2, 29, false),
        (2100, 2, 29, false), (2026, 2, 28, true), (2026, 2, 30, false), (2026, 4, 30, true),
        (2026, 4, 31, false), (2026, 12, 31, true), (2026, 13, 1, false), (2026, 0, 1, false),
        (2026, 1, 0, false), (2026, 1, 32, false), (0, 1, 1, false), (1, 1, 1, true),
        (9999, 12, 31, true), (10_000, 1, 1, false), (-5, 1, 1, false),
    ])
    func componentValidation(year: Int, month: Int, day: Int, valid: Bool) {
        #expect((CivilDate(year: year, month: month, day: day) != nil) == valid)
    }

    @Test(arguments: [
        ("2026-11-17", true), ("2024-02-29", true), ("0001-01-01", true), ("9999-12-31", true),
        ("2026-02-30", false), ("0000-01-01", false), ("2026-1-17", false), ("2026-11-7", false),
        ("2026/11/17", false), ("2026-11-17 ", false), (" 2026-11-17", false), ("2026-11-17T00:00", false),
        ("+026-11-17", false), ("2026-+1-17", false), ("２０２６-11-17", false), ("", false), ("20261117", false),
        ("2026-11-1a", false),
    ])
    func isoParsing(text: String, valid: Bool) {
        let parsed = CivilDate(iso: text)
        #expect((parsed != nil) == valid)
        if let parsed { #expect(parsed.description == text) }
    }

    @Test func descriptionIsZeroPadded() {
        #expect(CivilDate(year: 5, month: 1, day: 2)?.description == "0005-01-02")
        #expect(CivilDate(year: 2026, month: 3, day: 9)?.description == "2026-03-09")
    }

    @Test(arguments: [
        ("2026-11-17", 1, "2026-11-18"), ("2026-01-31", 1, "2026-02-01"), ("2026-12-31", 1, "2027-01-01"),
        ("2024-02-28", 1, "2024-02-29"), ("2024-02-29", 1, "2024-03-01"), ("2025-02-28", 1, "2025-03-01"),
        ("2100-02-28", 1, "2100-03-01"), ("2000-02-28", 1, "2000-02-29"), ("2026-03-01", -1, "2026-02-28"),
        ("2024-03-01", -1, "2024-02-29"), ("2027-01-01", -365, "2026-01-01"), ("2026-11-17", 0, "2026-11-17"),
        ("1970-01-01", -1, "1969-12-31"), ("2026-01-01", 10_000, "2053-05-19"),
        ("1970-01-01", 2_932_896, "9999-12-31"), ("1970-01-01", -719_162, "0001-01-01"),
    ])
    func addingDays(start: String, days: Int, expected: String) throws {
        #expect(try date(start).adding(days: days).description == expected)
    }

    @Test(arguments: [
        ("1970-01-01", 4), ("1969-12-31", 3), ("2000-01-01", 6), ("0001-01-01", 1), ("9999-12-31", 5),
        ("2026-11-17", 2), ("2026-11-13", 5), ("2026-06-02", 2), ("2028-02-28", 1), ("2100-02-28", 7),
    ])
    func isoWeekday(iso: String, weekday: Int) throws {
        #expect(try date(iso).weekday == weekday)
    }

    @Test(arguments: [
        ("2024-01-01", "2025-01-01", 366), ("2025-01-01", "2026-01-01", 365), ("2026-01-01", "2025-01-01", -365),
        ("2026-11-17", "2026-11-17", 0), ("1970-01-01", "0001-01-01", -719_162),
        ("1970-01-01", "9999-12-31", 2_932_896), ("1900-01-01", "2000-01-01", 36_524), ("2000-01-01", "2100-01-01", 36_525),
    ])
    func daysBetween(from: String, to: String, days: Int) throws {
        #expect(CivilDate.daysBetween(try date(from), try date(to)) == days)
    }

    /// Walking day by day over 60 years must step through every valid date exactly once, in order.
    @Test func consecutiveDaysAreConsistent() throws {
        var current = try date("1999-01-01")
        for _ in 0..<(60 * 366) {
            let next = current.adding(days: 1)
            let expected = CivilDate(year: current.year, month: current.month, day: current.day + 1)
                ?? CivilDate(year: current.year, month: current.month + 1, day: 1)
                ?? CivilDate(year: current.year + 1, month: 1, day: 1)
            #expect(next == expected)
            #expect(next > current)
            #expect(next.weekday == current.weekday % 7 + 1)
            #expect(CivilDate.daysBetween(current, next) == 1)
            current = next
        }
    }

    @Test func ordering() throws {
        let dates = try ["2026-11-17", "2025-12-31", "2026-01-01", "2026-11-02", "2026-02-28"].map { try date($0) }
        #expect(dates.sorted().map(\.description) == ["2025-12-31", "2026-01-01", "2026-02-28", "2026-11-02", "2026-11-17"])
    }

    @Test func codableUsesISOString() throws {
        let day = try date("2026-11-17")
        let data = try JSONEncoder().encode([day])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-17"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [day])
    }

    @Test(arguments: [#"["2026-02-30"]"#, #"["17/11/2026"]"#, #"[20261117]"#, #"[{"year":2026,"month":11,"day":17}]"#])
    func decodingRejectsInvalidDates(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(json.utf8))
        }
    }
}

private func date(_ iso: String) throws -> CivilDate {
    try #require(CivilDate(iso: iso), "fixture \(iso)")
}
