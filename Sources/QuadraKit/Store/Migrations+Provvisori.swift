import GRDB

extension Migrations {
    /// The treasurer's provvisori and the reversali that regularise them.
    ///
    /// - `provvisorio`: the year, number and the other OPI fields of a credit booked as `SOSPESO ENTRATA`,
    ///   beside its `treasury_movement`; `number_value` is the number as an integer, since a reversale may
    ///   quote it without leading zeros.
    /// - `treasury_regularisation`: one row per `sospeso` of an OPI `REGOLARIZZATO`, with the document
    ///   (reversale) that settled it; kept even before its provvisorio is in the store, which it then finds
    ///   by creditor, year and number.
    /// - `provvisorio_verdict`: per provvisorio, how much the reversali settled, by which, whether it is
    ///   still `open` and the day that last changed (`changed_on`), like the other verdict tables.
    static func createProvvisorioTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE provvisorio (
                movement_id TEXT PRIMARY KEY REFERENCES treasury_movement(movement_id) DEFERRABLE INITIALLY DEFERRED,
                fiscal_year INTEGER NOT NULL,
                number TEXT NOT NULL,
                number_value INTEGER NOT NULL,
                receipt_number TEXT,
                effective_date TEXT,
                management_code TEXT
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX provvisorio_number ON provvisorio(fiscal_year, number_value);

            CREATE TABLE treasury_regularisation (
                regularisation_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                document_id INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
                creditor_fiscal_code TEXT,
                account TEXT NOT NULL,
                fiscal_year INTEGER NOT NULL,
                document_type TEXT NOT NULL,
                document_number TEXT NOT NULL,
                booking_date TEXT NOT NULL,
                document_amount_cents INTEGER NOT NULL CHECK (document_amount_cents > 0),
                provvisorio_number TEXT NOT NULL,
                provvisorio_number_value INTEGER NOT NULL,
                provvisorio_amount_cents INTEGER NOT NULL CHECK (provvisorio_amount_cents > 0),
                element TEXT NOT NULL,
                PRIMARY KEY (regularisation_id, position)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX treasury_regularisation_provvisorio
                ON treasury_regularisation(creditor_fiscal_code, fiscal_year, provvisorio_number_value);
            CREATE INDEX treasury_regularisation_document ON treasury_regularisation(document_id);

            CREATE TABLE provvisorio_verdict (
                movement_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                regularised_cents INTEGER NOT NULL,
                reversali TEXT,
                regularised_on TEXT,
                open INTEGER NOT NULL,
                changed_on TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX provvisorio_verdict_open ON provvisorio_verdict(movement_id) WHERE open = 1;
            CREATE INDEX provvisorio_verdict_changed ON provvisorio_verdict(changed_on);
            """)
    }
}
