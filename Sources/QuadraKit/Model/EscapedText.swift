/// Control characters escaped the way JSON does (`\n`, `\r`, `\t`, `\u001f`) and backslashes doubled,
/// so a text is one line whatever it holds: shared by JSON columns and reports (quotes escaped too)
/// and log lines (quotes kept as they are, for reading).
enum EscapedText {
    static func append(_ text: String, escapingQuotes: Bool, to out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where escapingQuotes: out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
