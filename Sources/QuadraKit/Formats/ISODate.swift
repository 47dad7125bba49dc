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
            return digits(time, at: [0, 1, 3, 4, 6, 7]) && time[time.startIndex + 2] == UInt8(ascii: ":")
                && time[time.startIndex + 5] == UInt8(ascii: ":")
        }
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
