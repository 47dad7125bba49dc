import GRDB

extension Migrations {
    /// The ledger finds a document by the first 16 hex digits of its SHA-256 (`sha256_prefix`, a
    /// virtual column, indexed), then compares the whole hash, rather than by a unique index on
    /// all 64 digits.
    ///
    /// Hashes are random, so every night's documents land on random pages of that index. The index
    /// stored 80 bytes per document. After 30 nights of 20,000 receipts it held 654,000 documents in
    /// 52 MB, and night 30 rewrote 12,415 of its 13,340 pages, twice (write-ahead log, then checkpoint).
    /// That was the largest of the ingest's random writes, and it grew with the store. The prefix
    /// index holds the same documents in 17 MB. A prefix shared by two hashes only costs a second
    /// comparison: the whole hash is compared on each match. Nothing is unique by schema any more.
    /// One writer at a time (the store lock) looks a hash up before filing it
    /// (`Store.record(_:at:in:)`), and a document filed again replaces its rejected row.
    static func findDocumentsByHashPrefix(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE document_v16 (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL,
                kind TEXT NOT NULL,
                path TEXT NOT NULL,
                size INTEGER NOT NULL,
                ingested_at TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('ingested', 'partial', 'duplicate', 'rejected')),
                reason TEXT,
                records INTEGER NOT NULL DEFAULT 0,
                quarantined INTEGER NOT NULL DEFAULT 0,
                sha256_prefix TEXT GENERATED ALWAYS AS (substr(sha256, 1, \(Store.hashPrefixLength))) VIRTUAL
            ) STRICT;
            INSERT INTO document_v16 (id, sha256, kind, path, size, ingested_at, outcome, reason, records, quarantined)
            SELECT id, sha256, kind, path, size, ingested_at, outcome, reason, records, quarantined FROM document ORDER BY id;
            DROP TABLE document;
            ALTER TABLE document_v16 RENAME TO document;
            CREATE INDEX document_sha256_prefix ON document(sha256_prefix);
            """)
    }
}
