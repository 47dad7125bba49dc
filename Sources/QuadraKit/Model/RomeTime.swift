/// Italian civil time (Europe/Rome) without the system's time-zone database, so that results never
/// depend on the machine: CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (EU rule, in force since 1996).
///
/// XML flows carry local times without offset; FdR-3 carries instants. Both are ordered as UTC.
public enum RomeTime {
    /// `YYYY-MM-DDThh:mm:ss[.fff]` read as Rome local time → `YYYY-MM-DDThh:mm:ssZ`.
    public static func utc(fromLocal text: String) -> String? {
        guard let (date, seconds) = split(text) else { return nil }
        // The hour a local time falls in decides the offset; an ambiguous autumn hour is read as CEST.
        let summer = isSummer(date: date, localSeconds: seconds)
        return format(days: date, seconds: seconds - (summer ? 7200 : 3600))
    }

    /// An ISO instant (`…Z` or `…+01:00`) → `YYYY-MM-DDThh:mm:ssZ`.
    public static func utc(fromInstant text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let (date, seconds) = split(text) else { return nil }
        if bytes.last == UInt8(ascii: "Z") { return format(days: date, seconds: seconds) }
        let offsetText = String(decoding: bytes.suffix(6), as: UTF8.self)
        guard offsetText.utf8.count == 6, let hours = Int(offsetText.dropFirst().prefix(2)),
              let minutes = Int(offsetText.suffix(2)) else { return nil }
        let sign = offsetText.hasPrefix("-") ? -1 : 1
        return format(days: date, seconds: seconds - sign * (hours * 3600 + minutes * 60))
    }

    /// The epoch seconds a `CivilDate` can hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    public static let epochSecondsRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Whole epoch seconds within `epochSecondsRange` → `YYYY-MM-DDThh:mm:ssZ`.
    public static func utc(fromEpochSeconds value: Int64) -> String {
        let days = Int(value.quotientAndRemainder(dividingBy: 86_400).quotient) - (value < 0 && value % 86_400 != 0 ? 1 : 0)
        let epoch = CivilDate(year: 1970, month: 1, day: 1)!
        return format(days: epoch.adding(days: days), seconds: Int(value - Int64(days) * 86_400))
    }

    /// The Italian calendar date of a UTC instant (`…Z`), e.g. a settlement date sent as an instant.
    public static func localDate(ofUTC text: String) -> CivilDate? {
        guard let (date, seconds) = split(text) else { return nil }
        let summer = isSummer(date: date, utcSeconds: seconds)
        let local = seconds + (summer ? 7200 : 3600)
        return local >= 86_400 ? date.adding(days: 1) : date
    }

    private static func split(_ text: String) -> (CivilDate, Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"),
              let date = CivilDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hours = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
              let minutes = Int(String(decoding: bytes[14..<16], as: UTF8.self)),
              let seconds = Int(String(decoding: bytes[17..<19], as: UTF8.self)),
              hours < 24, minutes < 60, seconds < 61 else { return nil }
        return (date, hours * 3600 + minutes * 60 + seconds)
    }

    private static func lastSunday(year: Int, month: Int) -> CivilDate {
        let last = CivilDate(year: year, month: month, day: 31)!
        return last.adding(days: -(last.weekday % 7))
    }

    private static func isSummer(date: CivilDate, utcSeconds: Int) -> Bool {
        let start = lastSunday(year: date.year, month: 3), end = lastSunday(year: date.year, month: 10)
        if date < start || date > end { return false }
        if date == start { return utcSeconds >= 3600 }
        if date == end { return utcSeconds < 3600 }
        return true
    }

    private static func isSummer(date: CivilDate, localSeconds: Int) -> Bool {
        let start = lastSunday(year: date.year, month: 3), end = lastSunday(year: date.year, month: 10)
        if date < start || date > end { return false }
        if date == start { return localSeconds >= 3 * 3600 }
        if date == end { return localSeconds < 3 * 3600 }
        return true
    }

    private static func format(days date: CivilDate, seconds: Int) -> String {
        var day = date
        var rest = seconds
        while rest < 0 { rest += 86_400; day = day.adding(days: -1) }
        while rest >= 86_400 { rest -= 86_400; day = day.adding(days: 1) }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day)T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
