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
        EscapedText.append(text, escapingQuotes: true, to: &json)
        json += "\""
    }
}
