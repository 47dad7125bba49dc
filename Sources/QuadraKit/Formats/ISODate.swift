/// Shape checks for the ISO 8601 dates the formats carry, kept as text in the store.
enum ISODate {
    enum Pattern: String, CustomStringConvertible {
        case date = "date (YYYY-MM-DD)"
        /// `xsd:dateTime`: a date, `T`, a time, optional fraction and offset.
        case dateTime = "date-time (YYYY-MM-DDThh:mm:ss)"
        var description: String { rawValue }
    }

    static func matches(_ text: String, _ pattern: Pattern) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, isDate(bytes[0..<10]) else { return false }
        switch pattern {
        case .date:
            return bytes.count == 10
        case .dateTime:
            guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T") else { return false }
            let time = bytes[11..<19]
            guard digits(time, at: [0, 1, 3, 4, 6, 7]), time[time.startIndex + 2] == UInt8(ascii: ":"),
                  time[time.startIndex + 5] == UInt8(ascii: ":"),
                  number(time, 0) <= 23, number(time, 3) <= 59, number(time, 6) <= 59 else { return false }
            return isFractionAndOffset(bytes[19...])
        }
    }

    /// `xsd:dateTime`'s tail: an optional `.digits`, then nothing, `Z`, or `±hh:mm` (hours to 14).
    private static func isFractionAndOffset(_ tail: ArraySlice<UInt8>) -> Bool {
        var rest = tail
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fraction = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        if rest.isEmpty || Array(rest) == [UInt8(ascii: "Z")] { return true }
        guard rest.count == 6, rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-"),
              rest[rest.startIndex + 3] == UInt8(ascii: ":") else { return false }
        let offset = rest.dropFirst()
        return digits(offset, at: [0, 1, 3, 4]) && number(offset, 0) <= 14 && number(offset, 3) <= 59
    }

    /// The two-digit number at `offset`.
    private static func number(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> Int {
        Int(bytes[bytes.startIndex + offset] - UInt8(ascii: "0")) * 10 + Int(bytes[bytes.startIndex + offset + 1] - UInt8(ascii: "0"))
    }

    /// The calendar date part of a date or date-time, when it is one.
    static func datePart(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, isDate(bytes[0..<10]) else { return nil }
        return String(decoding: bytes[0..<10], as: UTF8.self)
    }

    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        CivilDate(iso: String(decoding: bytes, as: UTF8.self)) != nil
    }

    private static func digits(_ bytes: ArraySlice<UInt8>, at offsets: [Int]) -> Bool {
        offsets.allSatisfy { bytes[bytes.startIndex + $0] >= UInt8(ascii: "0") && bytes[bytes.startIndex + $0] <= UInt8(ascii: "9") }
    }
}
