/// Euro amounts as integer cents, parsed exactly from the decimal text each format uses.
///
/// Every pagoPA format states money in decimal text (receipts and FdR XML: `\d+\.\d{2}`;
/// FdR-3 JSON: a number such as `0.2`; GPD: integer cents). Binary floating point would round
/// some of them, so amounts never pass through `Double`: a value that does not convert exactly is
/// refused, never rounded.
///
/// ```swift
/// Money.cents(fromTwoDecimals: "30.00")   // 3000
/// Money.cents(fromDecimal: "0.2")         // 20
/// Money.cents(fromDecimal: "12.345")      // nil: not a whole number of cents
/// Money.format(3000)                      // "30.00"
/// ```
public enum Money {
    /// The largest amount pagoPA's `stAmount` allows (999,999,999.99 €); also keeps sums far from overflow.
    public static let maximumCents: Int64 = 99_999_999_999

    /// Parses the XML `stAmount` form: digits, a dot, exactly two decimals.
    public static func cents(fromTwoDecimals text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes[bytes.count - 3] == UInt8(ascii: ".") else { return nil }
        return parse(bytes, maxFraction: 2, exactFraction: true)
    }

    /// Parses a plain decimal number (JSON number text, causale amounts): an optional fraction of
    /// any length whose digits past the second are zeros. No sign, no exponent.
    public static func cents(fromDecimal text: some StringProtocol) -> Int64? {
        parse(Array(text.utf8), maxFraction: nil, exactFraction: false)
    }

    /// Sums amounts with checked arithmetic: nil when the total leaves `Int64`. A hostile document
    /// (two transfers of 5·10^18 cents) must be refused, never trap and take the night with it.
    public static func sum<Amounts: Sequence>(_ amounts: Amounts) -> Int64? where Amounts.Element == Int64 {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// Whether a single amount stays within what any pagoPA format can state (`stAmount`'s bound).
    public static func isPlausible(_ cents: Int64) -> Bool { cents.magnitude <= UInt64(maximumCents) }

    /// Renders cents as `1234.56`, the form the reports and the formats share.
    public static func format(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func parse(_ bytes: [UInt8], maxFraction: Int?, exactFraction: Bool) -> Int64? {
        var units: Int64 = 0
        var fractionCents: Int64 = 0
        var integerDigits = 0
        var fractionDigits = 0
        var seenDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenDot, integerDigits > 0 else { return nil }
                seenDot = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if seenDot {
                fractionDigits += 1
                if fractionDigits <= 2 {
                    fractionCents = fractionCents * 10 + digit
                } else if digit != 0 || maxFraction != nil {
                    return nil
                }
            } else {
                integerDigits += 1
                guard integerDigits <= 12 else { return nil }
                units = units * 10 + digit
            }
        }
        guard integerDigits > 0 else { return nil }
        if seenDot && fractionDigits == 0 { return nil }
        if exactFraction && fractionDigits != 2 { return nil }
        if fractionDigits == 1 { fractionCents *= 10 }
        let cents = units * 100 + fractionCents
        return cents <= maximumCents ? cents : nil
    }
}
