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

    /// Per column, whether the dialect rewrites its values (amounts in `excel-it`): decided once, not per field.
    private let rewritten: [Bool]

    public init(into sink: GzipWriter, header columns: [String], dialect: CSVDialect = .machine) throws {
        self.sink = sink
        self.columns = columns
        self.dialect = dialect
        rewritten = columns.map(dialect.rewrites)
        try sink.write { $0.append(contentsOf: dialect.preamble) }
        try sink.write(Self.line(columns.map(dialect.header), separator: dialect.separator))
    }

    public func row(_ fields: [String?]) throws {
        try sink.write { encode(fields, into: &$0) }
    }

    /// The row's line, appended to `bytes`.
    func encode(_ fields: [String?], into bytes: inout [UInt8]) {
        precondition(fields.count == columns.count, "a row of \(fields.count) fields under \(columns.count) columns")
        for index in fields.indices {
            if index > 0 { bytes.append(dialect.separator) }
            guard let field = fields[index] else { continue }
            guard rewritten[index] else {
                Self.append(field, separator: dialect.separator, to: &bytes)
                continue
            }
            let (text, formula) = dialect.field(field, column: columns[index])
            if formula {
                bytes.append(contentsOf: Self.quoted(text, separator: dialect.separator).utf8)
            } else {
                Self.append(text, separator: dialect.separator, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A line `encode(_:into:)` already wrote, for a copy of the file with the same rows and columns.
    func row(encoded line: [UInt8]) throws {
        try sink.write { $0.append(contentsOf: line) }
    }

    /// Appends a field as `quoted(neutralized(field))` spells it: nearly every field needs neither, and
    /// goes over from its own UTF-8 after one scan of its bytes, with no string built in between.
    static func append(_ field: String, separator: UInt8, to bytes: inout [UInt8]) {
        var field = field
        let plain = field.withUTF8 { utf8 in
            if let first = utf8.first, isFormulaStart(first) { return false }
            for byte in utf8 where byte == separator || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { bytes.append(contentsOf: quoted(neutralized(field), separator: separator).utf8) }
    }

    static func line(_ fields: [String?], separator: UInt8 = UInt8(ascii: ",")) -> String {
        fields.map { quoted(neutralized($0 ?? ""), separator: separator) }
            .joined(separator: String(decoding: [separator], as: UTF8.self)) + "\r\n"
    }

    /// A text field beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
    /// so a debtor's name or a causale like `=HYPERLINK(…)` is shown, not run, when the accounting
    /// office opens the file in a spreadsheet (OWASP's CSV injection advice). A negative number (an
    /// amount in cents, or in euro with a decimal comma or point: `-693,63`) stays a number.
    static func neutralized(_ field: String) -> String {
        guard let first = field.utf8.first, isFormulaStart(first) else { return field }
        if first == UInt8(ascii: "-"), isNumber(field.utf8.dropFirst()) { return field }
        return "'" + field
    }

    /// Digits with at most one decimal comma or point between them.
    private static func isNumber(_ bytes: String.UTF8View.SubSequence) -> Bool {
        let marks = bytes.filter { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }.count
        guard let first = bytes.first, let last = bytes.last, marks <= 1,
              (0x30...0x39).contains(first), (0x30...0x39).contains(last) else { return false }
        return bytes.allSatisfy { (0x30...0x39).contains($0) || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }
    }

    private static func isFormulaStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
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
