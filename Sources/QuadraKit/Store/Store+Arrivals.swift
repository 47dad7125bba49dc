import GRDB

extension Store.ReconciliationPass {
    /// The latest day each source has something for a creditor, read from the documents' own dates
    /// (not the clock, so a rerun judges alike): receipts by payment day (application date, else the
    /// day of `paymentDateTime`), flows by settlement date (else the flow's date), treasury by booking date.
    /// Read inside the pass, once its treasury rows have their owners for tonight's configuration.
    func lastArrivals(of creditor: String) throws -> [SourceSilence.Source: CivilDate] {
        let queries: [(SourceSilence.Source, String)] = [
            (.receipts, """
                SELECT max(coalesce(r.application_date, substr(r.payment_date_time, 1, 10))) FROM receipt_transfer t
                JOIN receipt r ON r.receipt_id = t.receipt_id WHERE t.beneficiary_fiscal_code = ?
                """),
            (.flows, "SELECT max(coalesce(settlement_date, substr(flow_date_time, 1, 10))) FROM flow_version WHERE receiver_fiscal_code = ?"),
            (.treasury, "SELECT max(booking_date) FROM treasury_movement WHERE creditor_fiscal_code = ?"),
        ]
        var last: [SourceSilence.Source: CivilDate] = [:]
        for (source, sql) in queries {
            if let text = try String.fetchOne(db, sql: sql, arguments: [creditor]), let day = CivilDate(iso: text) { last[source] = day }
        }
        return last
    }
}
