/// Numbers and dates as an Italian office reads them: `1.234,56 €`, `29/11/2026`.
enum ItalianFormat {
    static func euro(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let fraction = cents.magnitude % 100
        return "\(sign)\(grouped(cents.magnitude / 100)),\(fraction < 10 ? "0" : "")\(fraction) €"
    }

    /// Thousands separated by dots: `12.345`.
    static func grouped(_ number: UInt64) -> String {
        var digits = String(number)
        var position = digits.count - 3
        while position > 0 {
            digits.insert(".", at: digits.index(digits.startIndex, offsetBy: position))
            position -= 3
        }
        return digits
    }

    static func count(_ number: Int) -> String {
        (number < 0 ? "-" : "") + grouped(UInt64(number.magnitude))
    }

    /// `dd/mm/yyyy` for an ISO date; anything else as it is.
    static func date(_ iso: String) -> String {
        CivilDate(iso: iso)?.italian ?? iso
    }
}
