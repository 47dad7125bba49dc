import GRDB

extension Migrations {
    /// `position_verdict`: each current debt position's derived status (`PositionStatus`) with the
    /// figures `positions.csv.gz` shows, the day the status last changed and the one before it, so
    /// a night lists only the positions whose status changed and `--full` lists them all.
    static func createPositionVerdicts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE position_verdict (
                creditor_fiscal_code TEXT NOT NULL,
                iupd TEXT NOT NULL,
                status TEXT NOT NULL,
                previous_status TEXT,
                gpd_status TEXT,
                changed_on TEXT NOT NULL,
                notice_numbers TEXT,
                due_cents INTEGER NOT NULL,
                paid_cents INTEGER NOT NULL,
                reported_cents INTEGER NOT NULL,
                credited_cents INTEGER NOT NULL,
                receipts TEXT,
                flows TEXT,
                PRIMARY KEY (creditor_fiscal_code, iupd)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX position_verdict_changed ON position_verdict(changed_on);
            """)
    }
}
