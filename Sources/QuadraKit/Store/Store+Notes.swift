import GRDB

/// Why a note could not be added or removed (exit 65: the store holds nothing to act on).
public enum NoteFailure: Error, Equatable, CustomStringConvertible {
    case unknown(id: Int64)
    case alreadyRemoved(id: Int64, by: Int64)
    case removalOfRemoval(id: Int64)

    public var description: String {
        switch self {
        case let .unknown(id): return "no note #\(id)"
        case let .alreadyRemoved(id, by): return "note #\(id) was already removed by #\(by)"
        case let .removalOfRemoval(id): return "#\(id) is a removal, not a note"
        }
    }
}

extension Store {
    /// Adds a note. A hiding note remembers the open discrepancies it covers as they are now, amounts
    /// included (see `DiscrepancyNote.hides`). `--movement` may name the movement id or the bank's
    /// reference; the note keeps the reference, which is what discrepancies carry.
    public func addNote(_ subject: DiscrepancyNote.Subject, text: String, author: String, writtenAt: String, hide: Bool,
                        until: CivilDate?) throws -> DiscrepancyNote {
        try pool.write { db in
            var subject = subject
            if let movement = subject.treasuryReference,
               let reference = try String.fetchOne(db, sql: "SELECT reference FROM treasury_movement WHERE movement_id = ?",
                                                   arguments: [movement]) {
                subject.treasuryReference = reference
            }
            try db.execute(sql: """
                INSERT INTO note (written_at, author, text, code, creditor_fiscal_code, iuv, iur, transfer_index, flow_id,
                    treasury_reference, hide, until)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [writtenAt, author, text, subject.code, subject.creditor, subject.iuv, subject.iur,
                                 subject.transferIndex, subject.flowId, subject.treasuryReference, hide, until?.description])
            let id = db.lastInsertedRowID
            var hidden: [DiscrepancyNote.Seen] = []
            if hide {
                hidden = try Row.fetchAll(db, sql: """
                    SELECT \(Self.seenColumns) FROM discrepancy
                    WHERE status IN ('new', 'open') AND creditor_fiscal_code = ? ORDER BY identity
                    """, arguments: [subject.creditor]).map(Self.seen).filter(subject.covers)
                for seen in hidden {
                    try db.execute(sql: """
                        INSERT INTO note_hidden (note_id, code, creditor_fiscal_code, iuv, iur, transfer_index, flow_id,
                            treasury_reference, expected_cents, actual_cents)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, seen.code, seen.creditor, seen.iuv, seen.iur, seen.transferIndex.flatMap { Int64($0) },
                                         seen.flowId, seen.treasuryReference, seen.expectedCents.flatMap { Int64($0) },
                                         seen.actualCents.flatMap { Int64($0) }])
                }
            }
            return DiscrepancyNote(id: id, writtenAt: writtenAt, author: author, text: text, subject: subject, hide: hide,
                                   until: until, hiddenAt: hidden)
        }
    }

    /// Removes note `id` by adding a removal entry that names it; the note itself stays as written.
    public func removeNote(_ id: Int64, text: String, author: String, writtenAt: String) throws -> DiscrepancyNote.Removal {
        try pool.write { db in
            guard let removes = try Row.fetchOne(db, sql: "SELECT removes FROM note WHERE id = ?", arguments: [id]) else {
                throw NoteFailure.unknown(id: id)
            }
            if removes[0] as Int64? != nil { throw NoteFailure.removalOfRemoval(id: id) }
            if let earlier = try Int64.fetchOne(db, sql: "SELECT id FROM note WHERE removes = ?", arguments: [id]) {
                throw NoteFailure.alreadyRemoved(id: id, by: earlier)
            }
            try db.execute(sql: "INSERT INTO note (written_at, author, text, removes) VALUES (?, ?, ?, ?)",
                           arguments: [writtenAt, author, text, id])
            return DiscrepancyNote.Removal(id: db.lastInsertedRowID, writtenAt: writtenAt, author: author, text: text)
        }
    }

    /// Every note, oldest first, each with what it hid and its removal when removed.
    public func notes() throws -> [DiscrepancyNote] {
        try pool.read { db in
            var hidden: [Int64: [DiscrepancyNote.Seen]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.seenColumns), note_id FROM note_hidden ORDER BY rowid") {
                hidden[row["note_id"], default: []].append(Self.seen(row))
            }
            var removals: [Int64: DiscrepancyNote.Removal] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, written_at, author, text, removes FROM note WHERE removes IS NOT NULL") {
                removals[row["removes"]] = .init(id: row["id"], writtenAt: row["written_at"], author: row["author"], text: row["text"])
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM note WHERE removes IS NULL ORDER BY id").map { row in
                let id: Int64 = row["id"]
                let subject = DiscrepancyNote.Subject(
                    creditor: row["creditor_fiscal_code"], code: row["code"], iuv: row["iuv"], iur: row["iur"],
                    transferIndex: row["transfer_index"], flowId: row["flow_id"], treasuryReference: row["treasury_reference"])
                return DiscrepancyNote(id: id, writtenAt: row["written_at"], author: row["author"], text: row["text"],
                                       subject: subject, hide: row["hide"], until: (row["until"] as String?).flatMap(CivilDate.init(iso:)),
                                       hiddenAt: hidden[id] ?? [], removal: removals[id])
            }
        }
    }

    /// A discrepancy's identity and amounts as text, the way report rows carry them (`note_hidden` has the same columns).
    private static let seenColumns = """
        code, creditor_fiscal_code, iuv, iur, CAST(transfer_index AS TEXT), flow_id, treasury_reference,
        CAST(expected_cents AS TEXT), CAST(actual_cents AS TEXT)
        """

    private static func seen(_ row: Row) -> DiscrepancyNote.Seen {
        DiscrepancyNote.Seen(code: row[0], creditor: row[1], iuv: row[2], iur: row[3], transferIndex: row[4], flowId: row[5],
                             treasuryReference: row[6], expectedCents: row[7], actualCents: row[8])
    }
}
