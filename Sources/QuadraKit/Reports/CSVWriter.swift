import Foundation

/// RFC 4180 CSV rows into a gzip stream: header row first, CRLF line ends, a field quoted only when
/// it holds the separator, a quote or a line break (quotes doubled), an absent value as an empty field;
/// in the dialect the configuration names (`CSVDialect`).
/// Text that a spreadsheet would run as a formula is neutralised (see `neutralized(_:)`).
///
/// ```swift
/// let csv = try CSVWriter(into: gzip, header: ["iuv", "amount_cents"])
/// try csv.row(["01261060000077770", "1200"])
/// ```
public struct CSVWriter {
    public let columns: [String]
    private let sink: GzipWriter
    private let dialect: CSVDialect

    public init(into sink: GzipWriter, header columns: [String], dialect: CSVDialect = .machine) throws {
        self.sink = sink
        self.columns = columns
        self.dialect = dialect
        try sink.write { $0.append(contentsOf: dialect.preamble) }
        try sink.write(Self.line(columns.map(dialect.header), separator: dialect.separator))
    }

    public func row(_ fields: [String?]) throws {
        precondition(fields.count == columns.count, "a row of \(fields.count) fields under \(columns.count) columns")
        try sink.write { bytes in
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(dialect.separator) }
                if let field {
                    bytes.append(contentsOf: Self.quoted(Self.neutralized(dialect.field(field, column: columns[index])), separator: dialect.separator).utf8)
                }
            }
            bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        }
    }

    static func line(_ fields: [String?], separator: UInt8 = UInt8(ascii: ",")) -> String {
        fields.map { quoted(neutralized($0 ?? ""), separator: separator) }
            .joined(separator: String(decoding: [separator], as: UTF8.self)) + "\r\n"
    }

    /// A text field beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
    /// so a debtor's name or a causale like `=HYPERLINK(…)` is shown, not run, when the accounting
    /// office opens the file in a spreadsheet (OWASP's CSV injection advice). An integer (a negative
    /// amount in cents) stays a number.
    static func neutralized(_ field: String) -> String {
        guard let first = field.utf8.first,
              first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@")
                || first == 0x09 || first == 0x0D else { return field }
        if first == UInt8(ascii: "-"), field.utf8.count > 1, field.utf8.dropFirst().allSatisfy({ (0x30...0x39).contains($0) }) {
            return field
        }
        return "'" + field
    }

    /// Quoted when a character (a whole grapheme, so a CRLF pair is neither CR nor LF) is a comma,
    /// quote or line break; a field with none of those bytes, nearly every one, is checked byte-wise only.
    static func quoted(_ field: String, separator: UInt8 = UInt8(ascii: ",")) -> String {
        let mark = Character(Unicode.Scalar(separator))
        guard field.utf8.contains(where: { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }),
              field.contains(where: { $0 == mark || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
