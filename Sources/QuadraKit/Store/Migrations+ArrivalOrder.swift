import GRDB

extension Migrations {
    /// Receipt transfers are stored in the order they arrive, found by their key through an index.
    ///
    /// Clustered by `(receipt_id, id_transfer)`, every transfer went to a random page of the whole
    /// table, and so did the beneficiary index, whose entries carried that key: the pages a night
    /// touched grew with the store (night 7 of 20,000 receipts a night rewrote 71% of the table's
    /// pages and 93% of the index's), and a first night of a million receipts kept inserting into
    /// some 280 MB of them at random, past the writer's 256 MiB cache. Now a transfer is appended
    /// beside its receipt's other transfers, a creditor's index entries follow arrival, and only the
    /// key index (a third of the table's size) is written at random.
    static func storeTransfersInArrivalOrder(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE receipt_transfer_v8 (
                receipt_id TEXT NOT NULL REFERENCES receipt(receipt_id),
                id_transfer INTEGER NOT NULL CHECK (id_transfer BETWEEN 1 AND 5),
                amount_cents INTEGER NOT NULL,
                beneficiary_fiscal_code TEXT NOT NULL,
                company_name TEXT,
                iban TEXT,
                is_stamp INTEGER NOT NULL,
                remittance_information TEXT,
                transfer_category TEXT,
                taxonomy_code TEXT,
                metadata TEXT
            ) STRICT;
            INSERT INTO receipt_transfer_v8
            SELECT t.* FROM receipt_transfer t LEFT JOIN receipt r ON r.receipt_id = t.receipt_id
            ORDER BY r.rowid, t.receipt_id, t.id_transfer;
            DROP TABLE receipt_transfer;
            ALTER TABLE receipt_transfer_v8 RENAME TO receipt_transfer;
            CREATE UNIQUE INDEX receipt_transfer_key ON receipt_transfer(receipt_id, id_transfer);
            CREATE INDEX receipt_transfer_beneficiary ON receipt_transfer(beneficiary_fiscal_code);
            """)
    }
}
