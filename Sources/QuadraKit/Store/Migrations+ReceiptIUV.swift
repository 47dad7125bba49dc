import GRDB

extension Migrations {
    /// Receipts are found by IUV, then creditor, through one index (`receipt_iuv_creditor`), rather
    /// than through two (`receipt_iuv` on the IUV, `receipt_creditor_iuv` on creditor and IUV).
    ///
    /// IUVs are random, so each of those indexes took every night's receipts on random pages, and
    /// both held the same IUVs: after 30 nights of 20,000 receipts, night 30 rewrote 6,139 pages of
    /// the creditor's index and 4,217 of the IUV's. Every search by creditor and IUV is also a search
    /// by IUV and creditor; the one search by creditor alone (the receipts of a creditor whose
    /// configuration changed, `ReconciliationScope.touch`) reads this index whole, once, on the rare
    /// night a configuration changes.
    static func findReceiptsByIUVThenCreditor(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX receipt_creditor_iuv;
            DROP INDEX receipt_iuv;
            CREATE INDEX receipt_iuv_creditor ON receipt(iuv, fiscal_code);
            """)
    }
}
