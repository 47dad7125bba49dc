import Foundation

/// Taxonomy codes of the "Tassonomia dei servizi di incasso", e.g. `0101100IM`.
///
/// Receipts and positions carry the code both bare and in the RPT wrapping `9/0101100IM/` (which may
/// carry creditor data after the last slash); the store keeps the bare form so both compare equal.
public enum TaxonomyCode {
    /// `9/0101100IM/` or `9/0101100IM/extra` or `0101100IM` → `0101100IM`; nil when it is not a code.
    /// Works on the UTF-8 bytes: it runs for every transfer stored.
    public static func normalize(_ raw: String) -> String? {
        var text = Substring(raw)
        if let first = raw.utf8.first, let last = raw.utf8.last, mayBeWhitespace(first) || mayBeWhitespace(last) {
            text = Substring(raw.trimmingCharacters(in: .whitespaces))
        }
        if text.utf8.starts(with: "9/".utf8) {
            text = text.dropFirst(2)
            guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
            text = text[..<slash]
        }
        let bytes = text.utf8
        guard bytes.count == 9,
              bytes.prefix(7).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              kinds.contains(where: { bytes.suffix(2).elementsEqual($0.utf8) })
        else { return nil }
        return String(text)
    }

    private static let kinds = ["IM", "TS", "SP", "SA", "AP"]

    /// Space, tab or the first byte of a non-ASCII character: only then can trimming change the text.
    private static func mayBeWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte >= 0x80
    }

    /// The RPT form `9/<code>/` used in the taxonomy table's "DATI SPECIFICI DI INCASSO".
    public static func wrapped(_ code: String) -> String { "9/\(code)/" }
}
