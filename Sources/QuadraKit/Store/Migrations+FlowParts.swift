import GRDB

extension Migrations {
    /// The parts of FdR-3 flows delivered in pages, kept apart until the header and every page are in.
    ///
    /// `page` is 0 for the header. A page's receiver is NULL when its path named none; it then joins
    /// the header of the same PSP, flow id and revision. `body` is the part as read (JSON of
    /// `FlowPart.Piece`), so the flow can be assembled on a later night; `content_digest` tells a part
    /// sent again (`duplicate`) from another with the same number (a conflict). `assembled` is set on
    /// every part once the whole flow went through the flow writer; the flows still waiting are found
    /// every night through a partial index, whatever the parts' history.
    static func createFlowPartTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE flow_part (
                id INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
                receiver_fiscal_code TEXT,
                psp_id TEXT NOT NULL,
                flow_id TEXT NOT NULL,
                revision INTEGER NOT NULL,
                page INTEGER NOT NULL CHECK (page >= 0),
                pages INTEGER CHECK (pages >= page),
                content_digest TEXT NOT NULL,
                body BLOB NOT NULL,
                assembled INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE INDEX flow_part_identity ON flow_part(psp_id, flow_id, revision, page);
            CREATE INDEX flow_part_document ON flow_part(document_id);
            CREATE INDEX flow_part_waiting ON flow_part(psp_id, flow_id, revision) WHERE assembled = 0;
            """)
    }
}
