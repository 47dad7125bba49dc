import GRDB

extension Migrations {
    /// Whose a treasury row is follows the configuration (`ReconciliationScope.attributeTreasury`):
    ///
    /// - `holder_fiscal_code`: the fiscal code a journal's header names (`codice_fiscale_ente`), kept
    ///   with each movement and regularisation it holds, since with the account it says whose a row is.
    ///   Rows stored before this do not know it: one a served creditor owned takes that creditor (its
    ///   header named it, or it alone listed the account); one nobody owned gets `''`, unknown, and
    ///   stays nobody's, since its journal may be another body's with an account code of the same spelling.
    /// - `treasury_attribution`: the movements whose owner a pass changed, with the owner before, until
    ///   a pass commits its verdicts: the owner changes are committed before the verdicts (the keys'
    ///   evidence reader must see them), so a run killed between the two finds them here.
    static func addJournalHolder(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE treasury_movement ADD COLUMN holder_fiscal_code TEXT;
            UPDATE treasury_movement SET holder_fiscal_code = coalesce(creditor_fiscal_code, '') WHERE format = 'opi-journal';
            ALTER TABLE treasury_regularisation ADD COLUMN holder_fiscal_code TEXT;
            UPDATE treasury_regularisation SET holder_fiscal_code = coalesce(creditor_fiscal_code, '');
            CREATE TABLE treasury_attribution (movement_id TEXT PRIMARY KEY, previous TEXT) STRICT, WITHOUT ROWID;
            """)
    }

    /// Treasury movements and the journal pages they came on.
    ///
    /// `movement_id` is content-derived (see `TreasuryMovement.movementId`), so the same movement
    /// read again from another file is one row. A reversal points at the credit it cancels
    /// (`reverses_movement_id`), which stays: history is never deleted. `creditor_fiscal_code` is
    /// NULL for an account no served creditor owns, for reconciliation to report.
    static func createTreasuryTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE treasury_movement (
                movement_id TEXT PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
                format TEXT NOT NULL,
                account TEXT NOT NULL,
                creditor_fiscal_code TEXT,
                booking_date TEXT NOT NULL,
                value_date TEXT,
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                sign TEXT NOT NULL CHECK (sign IN ('credit', 'reversal')),
                reference TEXT,
                transaction_id TEXT,
                end_to_end_id TEXT,
                raw_causale TEXT NOT NULL,
                causale_kind TEXT NOT NULL CHECK (causale_kind IN ('flow', 'integration', 'payment', 'unparseable')),
                flow_id TEXT,
                iuv TEXT,
                causale_amount_cents INTEGER,
                debtor_name TEXT,
                additional_info TEXT,
                reversed_reference TEXT,
                reverses_movement_id TEXT REFERENCES treasury_movement(movement_id) DEFERRABLE INITIALLY DEFERRED,
                statement_id TEXT,
                element TEXT NOT NULL
            ) STRICT;
            CREATE INDEX treasury_movement_document ON treasury_movement(document_id);
            CREATE INDEX treasury_movement_creditor_flow ON treasury_movement(creditor_fiscal_code, flow_id);
            CREATE INDEX treasury_movement_iuv ON treasury_movement(iuv);
            CREATE INDEX treasury_movement_account ON treasury_movement(account, amount_cents);
            CREATE UNIQUE INDEX treasury_movement_reverses ON treasury_movement(reverses_movement_id);

            CREATE TABLE treasury_page (
                journal TEXT NOT NULL,
                page INTEGER NOT NULL CHECK (page >= 1),
                pages INTEGER NOT NULL CHECK (pages >= page),
                document_id INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
                PRIMARY KEY (journal, page)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX treasury_page_document ON treasury_page(document_id);
            """)
    }
}
