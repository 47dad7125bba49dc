import GRDB

extension Migrations {
    /// What reconciliation keeps between runs: the latest verdict per key and per movement, and the
    /// discrepancies with their history (first seen, last seen, resolved on), so each day's list
    /// tells what is new, what is still open and what was resolved. Receipts get an index by IUV
    /// alone: a secondary beneficiary's keys find their siblings by IUV without the owner.
    static func createReconciliationTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE reconciliation_run (
                id INTEGER PRIMARY KEY,
                as_of TEXT NOT NULL,
                last_document_id INTEGER NOT NULL,
                keys INTEGER NOT NULL,
                open_discrepancies INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE key_verdict (
                creditor_fiscal_code TEXT NOT NULL,
                iuv TEXT NOT NULL,
                iur TEXT NOT NULL,
                transfer_index INTEGER NOT NULL,
                label TEXT,
                anomalies TEXT NOT NULL,
                state TEXT NOT NULL,
                as_of TEXT NOT NULL,
                PRIMARY KEY (creditor_fiscal_code, iuv, iur, transfer_index)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE movement_verdict (
                movement_id TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                as_of TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE discrepancy (
                identity TEXT PRIMARY KEY,
                code TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
                status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved')),
                creditor_fiscal_code TEXT,
                iuv TEXT,
                iur TEXT,
                transfer_index INTEGER,
                flow_id TEXT,
                psp_id TEXT,
                treasury_reference TEXT,
                expected_cents INTEGER,
                actual_cents INTEGER,
                message TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                resolved_on TEXT
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX discrepancy_key ON discrepancy(creditor_fiscal_code, iuv);
            CREATE INDEX discrepancy_flow ON discrepancy(flow_id);
            CREATE INDEX receipt_iuv ON receipt(iuv);
            """)
    }
}
