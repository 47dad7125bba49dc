import Foundation

/// RFC 4180 CSV rows into a gzip stream: header row first, CRLF line ends, a field quoted only when
/// it holds a comma, a quote or a line break (quotes doubled), an absent value as an empty field.
///
/// ```swift
/// let csv = try CSVWriter(into: gzip, header: ["iuv", "amount_cents"])
/// try csv.row(["01261060000077770", "1200"])
/// ```
public struct CSVWriter {
    public let columns: [String]
    private let sink: GzipWriter

    public init(into sink: GzipWriter, header columns: [String]) throws {
        self.sink = sink
        self.columns = columns
        try sink.write(Self.line(columns))
    }

    public func row(_ fields: [String?]) throws {
        precondition(fields.count == columns.count, "a row of \(fields.count) fields under \(columns.count) columns")
        try sink.write { bytes in
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if let field { bytes.append(contentsOf: Self.quoted(field).utf8) }
            }
            bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        }
    }

    static func line(_ fields: [String?]) -> String {
        fields.map { quoted($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// Quoted when a character (a whole grapheme, so a CRLF pair is neither CR nor LF) is a comma,
    /// quote or line break; a field with none of those bytes, nearly every one, is checked byte-wise only.
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }),
              field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
