/// `hidden.csv.gz`: the discrepancies a note keeps out of tonight's lists, each beside the note that
/// hides it, so silencing stays visible and signed rather than a hole in the discrepancy file.
struct HiddenReport {
    private let gzip: GzipWriter
    private let writer: CSVWriter

    init(in folder: ReportFolder, dialect: CSVDialect) throws {
        gzip = try GzipWriter(into: try folder.create(ReportWriter.hiddenFile))
        writer = try CSVWriter(into: gzip, header: ReportWriter.hiddenColumns, dialect: dialect)
    }

    /// A row of the discrepancy query (code … message, the first 14 columns) and its note.
    func add(_ discrepancy: [String?], hiddenBy note: DiscrepancyNote) throws {
        try writer.row(Array(discrepancy[0...13]) + [String(note.id), note.author, note.writtenAt, note.text, note.until?.description])
    }

    func finish() throws -> AtomicFile.Written { try gzip.finish() }
}

extension ReportWriter {
    public static let hiddenFile = "hidden.csv.gz"
    public static let hiddenColumns = [
        "code", "severity", "status", "creditor_fiscal_code", "iuv", "iur", "transfer_index", "iuf", "treasury_reference",
        "expected_cents", "actual_cents", "first_seen", "age_days", "message", "note_id", "note_by", "note_written_at", "note_text",
        "hidden_until",
    ]
}
