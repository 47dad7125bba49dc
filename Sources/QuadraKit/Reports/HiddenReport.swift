/// `hidden.csv.gz`: the discrepancies a note keeps out of tonight's lists, each beside the note that
/// hides it, so silencing stays visible and signed rather than a hole in the discrepancy file.
extension ReportWriter {
    public static let hiddenFile = "hidden.csv.gz"
    public static let hiddenColumns = [
        "code", "severity", "status", "creditor_fiscal_code", "iuv", "iur", "transfer_index", "iuf", "treasury_reference",
        "expected_cents", "actual_cents", "first_seen", "age_days", "message", "note_id", "note_by", "note_written_at", "note_text",
        "hidden_until",
    ]

    /// A row of the discrepancy query (code … message, the first 14 columns) and the note hiding it.
    static func hiddenRow(_ discrepancy: [String?], hiddenBy note: DiscrepancyNote) -> [String?] {
        Array(discrepancy[0...13]) + [String(note.id), note.author, note.writtenAt, note.text, note.until?.description]
    }
}
