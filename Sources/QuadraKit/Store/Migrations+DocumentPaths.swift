import GRDB

extension Migrations {
    /// Every path a document's bytes were read from. The ledger keys a document by its content, so two
    /// identical copies (the same rejected file in two folders, or re-sent under another name) are one
    /// `document` row; this table keeps each place, for the clerk who has to remove or fix them all.
    static func createDocumentPaths(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE document_path (
                document_id INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
                path TEXT NOT NULL,
                PRIMARY KEY (document_id, path)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO document_path (document_id, path) SELECT id, path FROM document;
            """)
    }
}
