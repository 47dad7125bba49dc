/// A calendar date with no time zone (proleptic Gregorian, years 1...9999).
///
/// pagoPA deadlines, value dates and flow-id prefixes are local Italian dates, so they are kept
/// as plain year/month/day and all arithmetic is done on integers (days since 1970-01-01).
/// No Foundation `Calendar`/`TimeZone` is involved, so results never depend on the machine.
/// Encodes to and decodes from a `"YYYY-MM-DD"` string, the form every pagoPA format uses.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil unless the triple is a real date: 2026-02-30 and 2025-02-29 are rejected.
    /// Years are limited to 1...9999 so that `description` is always four-digit ISO.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, two hyphens, nothing else) and validates it.
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = CivilDate.number(bytes[0..<4]),
              let month = CivilDate.number(bytes[5..<7]),
              let day = CivilDate.number(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var description: String {
        CivilDate.padded(year, 4) + "-" + CivilDate.padded(month, 2) + "-" + CivilDate.padded(day, 2)
    }

    /// The Italian way, `dd/mm/yyyy`.
    public var italian: String {
        CivilDate.padded(day, 2) + "/" + CivilDate.padded(month, 2) + "/" + CivilDate.padded(year, 4)
    }

    /// The date `days` days later (earlier if negative).
    /// Leaving years 1...9999 is a programmer error (no pagoPA deadline is that far) and traps.
    public func adding(days: Int) -> CivilDate {
        let (target, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        precondition(!overflow && CivilDate.supportedDays.contains(target),
                     "CivilDate arithmetic left years 1...9999")
        return CivilDate(daysSinceEpoch: target)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (ISO 4); floor modulo keeps pre-1970 dates right.
        let offset = (daysSinceEpoch + 3) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    /// Signed number of days from `a` to `b`: positive when `b` is later.
    public static func daysBetween(_ a: CivilDate, _ b: CivilDate) -> Int {
        b.daysSinceEpoch - a.daysSinceEpoch
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a valid YYYY-MM-DD date, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Days-from-civil arithmetic (H. Hinnant's algorithms, exact on integers)

    /// Days from 0001-01-01 to 9999-12-31 expressed relative to 1970-01-01.
    private static let supportedDays = -719_162...2_932_896

    /// Days since 1970-01-01 (negative before).
    private var daysSinceEpoch: Int {
        // Shift the year to start in March so the leap day is the last day of the "year".
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysSinceEpoch`; callers guarantee the result lies in years 1...9999.
    private init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Decimal value of a run of ASCII digits, nil if any byte is not a digit.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
