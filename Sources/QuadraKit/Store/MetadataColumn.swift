/// Metadata lists are stored as one JSON column (`[{"key":…,"value":…}]`): they are echoed back in
/// reports, never queried. Written by hand because JSONEncoder costs more than the rest of a
/// receipt's insert.
enum MetadataColumn {
    static func encode(_ entries: [MetadataEntry]) -> String? {
        guard !entries.isEmpty else { return nil }
        var json = "["
        for (index, entry) in entries.enumerated() {
            if index > 0 { json += "," }
            json += "{\"key\":"
            append(entry.key, to: &json)
            json += ",\"value\":"
            append(entry.value, to: &json)
            json += "}"
        }
        return json + "]"
    }

    /// A JSON string literal (quotes, backslash and control characters escaped); reports use it too.
    static func append(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}
