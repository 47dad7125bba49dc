import GRDB

extension Migrations {
    /// The clerks' notes on discrepancies (`quadra note`), an audit trail: a note is never edited or
    /// deleted (triggers refuse it), and a removal is a new entry naming the note it removes.
    /// Reconciliation never writes these tables, so every rebuild (`reconcile --full` included) keeps them.
    ///
    /// - `note`: author, instant (UTC), text, and either the item the note is on (creditor with IUV and
    ///   optionally IUR and index, or flow id, or the movement's bank reference; a code narrows it to
    ///   that discrepancy) with `hide` and `until`, or `removes` and nothing else.
    /// - `note_hidden`: what a hiding note silenced when it was written, amounts included, so a
    ///   discrepancy whose code or amounts have changed since comes back into the lists.
    static func createNoteTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE note (
                id INTEGER PRIMARY KEY,
                written_at TEXT NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                removes INTEGER REFERENCES note(id),
                code TEXT,
                creditor_fiscal_code TEXT,
                iuv TEXT,
                iur TEXT,
                transfer_index INTEGER,
                flow_id TEXT,
                treasury_reference TEXT,
                hide INTEGER NOT NULL DEFAULT 0,
                until TEXT,
                CHECK ((removes IS NULL) = (creditor_fiscal_code IS NOT NULL))
            ) STRICT;
            CREATE UNIQUE INDEX note_removes ON note(removes) WHERE removes IS NOT NULL;
            CREATE INDEX note_iuv ON note(iuv);
            CREATE INDEX note_flow ON note(flow_id);

            CREATE TABLE note_hidden (
                note_id INTEGER NOT NULL REFERENCES note(id),
                code TEXT NOT NULL,
                creditor_fiscal_code TEXT,
                iuv TEXT,
                iur TEXT,
                transfer_index INTEGER,
                flow_id TEXT,
                treasury_reference TEXT,
                expected_cents INTEGER,
                actual_cents INTEGER
            ) STRICT;
            CREATE INDEX note_hidden_note ON note_hidden(note_id);

            CREATE TRIGGER note_never_updated BEFORE UPDATE ON note BEGIN SELECT RAISE(ABORT, 'notes are never edited: add a note'); END;
            CREATE TRIGGER note_never_deleted BEFORE DELETE ON note BEGIN SELECT RAISE(ABORT, 'notes are never deleted: remove with a new entry'); END;
            CREATE TRIGGER note_hidden_never_updated BEFORE UPDATE ON note_hidden BEGIN SELECT RAISE(ABORT, 'notes are never edited'); END;
            CREATE TRIGGER note_hidden_never_deleted BEFORE DELETE ON note_hidden BEGIN SELECT RAISE(ABORT, 'notes are never deleted'); END;
            """)
    }
}
