/// How a report's JSON-lines twin spells a row: one object per line, keys in column order, numbers as
/// numbers, absent values as null. Each key is spelled once for the file, and a value that needs no
/// escape (nearly every one) is copied from its own UTF-8, so a row costs no string of its own.
struct JSONLineFormat {
    /// `"column":` per column.
    private let keys: [[UInt8]]
    /// Whether the column is written as a JSON number when its value is an integer.
    private let numeric: [Bool]

    init(columns: [String], numeric: Set<String>) {
        keys = columns.map { Array("\"\($0)\":".utf8) }
        self.numeric = columns.map(numeric.contains)
    }

    func append(_ fields: [String?], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for index in fields.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: keys[index])
            guard let field = fields[index] else {
                bytes.append(contentsOf: "null".utf8)
                continue
            }
            if numeric[index], Int64(field) != nil {
                bytes.append(contentsOf: field.utf8)
            } else {
                Self.appendLiteral(field, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A JSON string literal, as `MetadataColumn.append` spells it.
    private static func appendLiteral(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        let plain = text.withUTF8 { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        guard !plain else { return }
        var literal = ""
        MetadataColumn.append(text, to: &literal)
        bytes.append(contentsOf: literal.utf8)
    }
}
