/// `positions.csv.gz` and its JSON-lines twin: what the back office must close or chase, one row per
/// debt position whose derived status (`PositionStatus`) changed tonight.
extension ReportWriter {
    public static let positionColumns = [
        "creditor_fiscal_code", "iupd", "status", "previous_status", "gpd_status", "changed_on", "notice_numbers", "due_cents",
        "paid_cents", "reported_cents", "credited_cents", "receipts", "flows",
    ]
    /// Columns of `positions.jsonl.gz` written as JSON numbers.
    static let numericPositionColumns: Set<String> = ["due_cents", "paid_cents", "reported_cents", "credited_cents"]
}
