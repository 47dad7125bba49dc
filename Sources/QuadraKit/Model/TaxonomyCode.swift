import Foundation

/// Taxonomy codes of the "Tassonomia dei servizi di incasso", e.g. `0101100IM`.
///
/// Receipts and positions carry the code both bare and in the RPT wrapping `9/0101100IM/` (which may
/// carry creditor data after the last slash); the store keeps the bare form so both compare equal.
public enum TaxonomyCode {
    /// `9/0101100IM/` or `9/0101100IM/extra` or `0101100IM` → `0101100IM`; nil when it is not a code.
    public static func normalize(_ raw: String) -> String? {
        var text = Substring(raw.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("9/") {
            text = text.dropFirst(2)
            guard let slash = text.firstIndex(of: "/") else { return nil }
            text = text[..<slash]
        }
        let bytes = Array(text.utf8)
        guard bytes.count == 9,
              bytes[0..<7].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              ["IM", "TS", "SP", "SA", "AP"].contains(String(decoding: bytes[7...], as: UTF8.self))
        else { return nil }
        return String(text)
    }

    /// The RPT form `9/<code>/` used in the taxonomy table's "DATI SPECIFICI DI INCASSO".
    public static func wrapped(_ code: String) -> String { "9/\(code)/" }
}
