import GRDB

extension Store {
    /// How many leading hex digits of a document's SHA-256 the ledger's index holds (v16). At 64 bits,
    /// with a year of 100,000 documents a day filed, a lookup meets another document's hash with the
    /// same prefix about twice in a trillion lookups, and then compares one more hash.
    static let hashPrefixLength = 16

    /// The part of a document's hash the ledger's index holds (`sha256_prefix`).
    static func hashPrefix(_ sha256: String) -> String { String(sha256.prefix(hashPrefixLength)) }

    /// Where the ledger finds a document, bound to its hash's prefix and then its hash. Spelled
    /// `substr(sha256, …) = ? AND sha256 = ?`, SQLite would put the hash into the expression (constant
    /// propagation) and scan the whole ledger: the virtual column keeps the index in use.
    static let documentByHash = "FROM document WHERE sha256_prefix = ? AND sha256 = ?"

    /// The hashes among `hashes` whose documents need no further reading (stored or duplicate);
    /// a rejected document is read again, so that a fix in configuration or code can let it land.
    func settledHashes(_ hashes: [String]) throws -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        return try pool.read { db in
            let marks = Array(repeating: "?", count: hashes.count).joined(separator: ",")
            return Set(try String.fetchAll(db, sql: """
                SELECT sha256 FROM document WHERE outcome <> 'rejected' AND sha256_prefix IN (\(marks)) AND sha256 IN (\(marks))
                """, arguments: StatementArguments(hashes.map(Self.hashPrefix) + hashes)))
        }
    }

    /// Calls `body` with a lookup of how the ledger filed a document (kind and outcome, by hash; nil
    /// when it holds none), all within one read. The manifest reports a document as filed, so a night
    /// run again lists the same documents alike.
    func withLedgerFiling<T>(_ body: (_ filing: (String) throws -> (kind: String, outcome: String)?) throws -> T) throws -> T {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT kind, outcome \(Self.documentByHash)")
            return try body { sha256 in
                try Row.fetchOne(statement, arguments: [Self.hashPrefix(sha256), sha256]).map { ($0["kind"], $0["outcome"]) }
            }
        }
    }

    /// Runs `body` with the store's writer for a whole ingest, so that batches of documents can share
    /// a transaction until `LedgerWriter.commit`; what is not committed when `body` ends (it threw)
    /// is rolled back.
    func withLedgerWriter<T>(_ body: (LedgerWriter) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            let writer = LedgerWriter(db: db)
            defer { writer.rollback() }
            return try body(writer)
        }
    }

    /// Stores batches of documents in a transaction left open between them. Each commit writes every
    /// page its transaction touched to the log, and receipts touch index pages at random (the SHA-256,
    /// the receipt id, the transfer key), so one commit per batch rewrote the same pages again and
    /// again. Written through the write-ahead log and its checkpoints, 100,000 receipts (a 190 MB
    /// store): 0.76 GB in transactions of 4,096 documents, 0.43 GB in transactions of 65,536; a
    /// million (1.9 GB): 23.5 GB in 245 commits (211 to 225 s), 7.1 GB in 16 (161 to 177 s).
    struct LedgerWriter {
        fileprivate let db: Database

        /// Stores `documents` in the open transaction, opening one. When it throws, the caller ends
        /// the access and the transaction is rolled back whole: a savepoint per batch, to keep the
        /// batches before, made SQLite copy every page a batch touched into its statement journal
        /// (a million receipts: 226 s and 1.6 GB, against 161 s and 740 MB without).
        func record(_ documents: [PreparedDocument], at timestamp: String) throws -> [DocumentOutcome] {
            if !db.isInsideTransaction { try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute() }
            return try Store.record(documents, at: timestamp, in: db)
        }

        /// Makes what the transaction holds durable; nothing when none is open.
        func commit() throws {
            if db.isInsideTransaction { try db.cachedStatement(sql: "COMMIT").execute() }
        }

        fileprivate func rollback() {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
        }
    }

    /// Stores a batch of documents inside the writer's open transaction, each document inside its own
    /// savepoint (a receipt needs none): a document is stored whole or not at all, and a crash loses
    /// what the transaction had not committed, never part of a document (`BatchWriter` commits).
    /// Statements are prepared once for the batch.
    /// A document rejected before and read again keeps its ledger id, so a re-run changes nothing.
    static func record(_ documents: [PreparedDocument], at timestamp: String, in db: Database) throws -> [DocumentOutcome] {
        var nextId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM document") ?? 0) + 1
        let ledger = try Ledger(db, timestamp: timestamp)
        let receipts = try ReceiptWriter(db)
        var outcomes: [DocumentOutcome] = []
        for document in documents {
            var id = nextId
            if let (previousId, previousOutcome) = try ledger.find(document.sha256) {
                guard previousOutcome == "rejected" else {
                    outcomes.append(DocumentOutcome(path: document.path, kind: document.kind, sha256: document.sha256,
                                                    size: document.size, status: .skipped, reason: "already ingested"))
                    continue
                }
                id = previousId
                try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [id])
            }
            let outcome: DocumentOutcome
            if case let .parsed(.success(.receipt(receipt))) = document.body {
                outcome = try Self.record(receipt, of: document, documentId: id, receipts: receipts, ledger: ledger)
            } else {
                outcome = try Self.recordInSavepoint(document, documentId: id, in: db)
                try ledger.insert(outcome, id: id)
            }
            if id == nextId { nextId += 1 }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// A receipt needs no savepoint: it is refused (a conflicting earlier delivery) before its first
    /// row is written, and any later failure is an SQLite error that rolls back the whole
    /// transaction (`LedgerWriter.record`). Its ledger row goes first, so that SQLite's deferred
    /// foreign-key check finds the parent in place instead of searching every table that references
    /// `document` when the ledger row arrives.
    private static func record(_ receipt: Receipt, of document: PreparedDocument, documentId: Int64,
                               receipts: ReceiptWriter, ledger: Ledger) throws -> DocumentOutcome {
        var outcome = DocumentOutcome(path: document.path, kind: document.kind, sha256: document.sha256,
                                      size: document.size, status: .ingested)
        do {
            if case let .duplicate(path) = try receipts.existing(receipt) {
                outcome.status = .duplicate
                outcome.reason = "receipt \(receipt.receiptId) already stored from \(path)"
                try ledger.insert(outcome, id: documentId)
                return outcome
            }
        } catch let rejection as DocumentRejection {
            outcome = rejected(document, rejection)
            try ledger.insert(outcome, id: documentId)
            return outcome
        }
        outcome.records = 1
        try ledger.insert(outcome, id: documentId)
        try receipts.insert(receipt, documentId: documentId)
        return outcome
    }

    /// Stores any document but a parsed receipt inside a savepoint, so that a refusal found halfway
    /// leaves nothing of it behind.
    private static func recordInSavepoint(_ document: PreparedDocument, documentId id: Int64,
                                          in db: Database) throws -> DocumentOutcome {
        var read = document
        do {
            return try inSavepoint(db) {
                switch document.body {
                case let .parsed(.failure(rejection)):
                    throw rejection
                case let .parsed(.success(content)):
                    return try write(content, of: document, documentId: id, in: db)
                case let .streamed(input, context):
                    return try stream(&read, from: input, context: context, documentId: id, in: db)
                }
            }
        } catch let rejection as DocumentRejection {
            return rejected(read, rejection)
        } catch let failure as InputError {
            // A large document is read a second time here, after its hash: a file moved, truncated or
            // rewritten in between is this document's failure, not the batch's. Rejected, it is read
            // again by the next run that finds it.
            return rejected(read, DocumentRejection(reason: "it changed or went away while it was read: \(failure)"))
        } catch let repeated as FlowWriter.Repeat {
            return DocumentOutcome(path: read.path, kind: read.kind, sha256: read.sha256, size: read.size,
                                   status: .duplicate, reason: "the same flow version is already stored from \(repeated.path)")
        }
    }

    /// A savepoint through cached statements: GRDB's `inSavepoint` parses its SQL anew each time,
    /// which costs more than storing a receipt. A failure in `body` rolls back what it wrote, and is rethrown.
    static func inSavepoint<T>(_ db: Database, named name: String = "document", _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT \(name)").execute()
        do {
            let value = try body()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT \(name)").execute()
            return value
        } catch {
            // Some errors (a full disk, I/O) make SQLite roll the whole transaction back itself.
            if db.isInsideTransaction {
                try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT \(name)").execute()
                try db.cachedStatement(sql: "RELEASE SAVEPOINT \(name)").execute()
            }
            throw error
        }
    }

    /// Reads a large document from its file or ZIP entry while storing it: flow rows go to the store
    /// as they are read. The document's kind is set as soon as it is known, so that a refusal names it.
    private static func stream(_ document: inout PreparedDocument, from file: InputFile, context: DocumentParser.Context,
                               documentId: Int64, in db: Database) throws -> DocumentOutcome {
        guard try file.startsWithXML() else {
            guard let bytes = try file.readAll(limit: InputFile.maximumWhole) else {
                throw DocumentRejection(reason: "a document that is not XML is read whole, and this one holds more than \(InputFile.maximumWhole) bytes")
            }
            let (kind, content) = DocumentParser.parse(bytes, context: context)
            document.kind = kind
            return try write(content.get(), of: document, documentId: documentId, in: db)
        }
        let flowWriter = FlowWriter(db: db, documentId: documentId, served: context.creditors)
        let reader = XMLDocumentReader(flowSink: flowWriter)
        defer { document.kind = reader.kind ?? .unknown }
        let content = try reader.read { parser in try file.forEachChunk { try parser.feed($0) } }
        document.kind = reader.kind ?? .unknown
        if case .flow(_, _, streamed: true) = content {
            return try outcome(of: flowWriter.finish(), for: document)
        }
        return try write(content.assigningCreditors(context.creditors), of: document, documentId: documentId, in: db)
    }

    private static func outcome(of flow: FlowWriter.Result, for document: PreparedDocument) -> DocumentOutcome {
        DocumentOutcome(path: document.path, kind: document.kind, sha256: document.sha256, size: document.size,
                        status: .ingested,
                        reason: flow.current ? nil : "kept as history: a later version of this flow is already stored",
                        records: flow.rows)
    }

    private static func rejected(_ document: PreparedDocument, _ rejection: DocumentRejection) -> DocumentOutcome {
        DocumentOutcome(path: document.path, kind: document.kind, sha256: document.sha256, size: document.size,
                        status: .rejected, reason: rejection.description)
    }

    private static func write(_ content: ParsedContent, of document: PreparedDocument, documentId: Int64,
                              in db: Database) throws -> DocumentOutcome {
        var outcome = DocumentOutcome(path: document.path, kind: document.kind, sha256: document.sha256,
                                      size: document.size, status: .ingested)
        var quarantined: [DocumentRejection] = []
        switch content {
        case let .receipt(receipt):
            switch try write(receipt, documentId: documentId, in: db) {
            case .stored:
                outcome.records = 1
            case let .duplicate(path):
                outcome.status = .duplicate
                outcome.reason = "receipt \(receipt.receiptId) already stored from \(path)"
            }
        case let .debtPositions(positions, rejected):
            quarantined = rejected
            var accepted = 0
            for position in positions {
                do {
                    if case .stored = try write(position, documentId: documentId, in: db) { outcome.records += 1 }
                    accepted += 1
                } catch let rejection as DocumentRejection {
                    quarantined.append(rejection)
                }
            }
            if accepted == 0 { throw summary(of: quarantined, otherwise: "the document holds no debt position") }
        case let .flow(header, rows, _):
            let writer = FlowWriter(db: db, documentId: documentId)
            try writer.begin(header)
            for row in rows { try writer.add(row) }
            return Self.outcome(of: try writer.finish(), for: document)
        case let .flowPart(part):
            try FlowPartWriter(db: db, documentId: documentId).store(part, into: &outcome)
        case let .taxonomy(entries, rejected):
            quarantined = rejected
            guard !entries.isEmpty else { throw summary(of: rejected, otherwise: "the taxonomy table has no rows") }
            try write(entries, documentId: documentId, in: db)
            outcome.records = entries.count
        case let .treasury(statement, rejected):
            quarantined = rejected
            try write(statement, quarantined: rejected, documentId: documentId, into: &outcome, in: db)
        }
        if !quarantined.isEmpty {
            outcome.status = .partial
            outcome.quarantined = quarantined.map(\.description)
            outcome.reason = "\(quarantined.count) item(s) quarantined"
            let insert = try RawStatement(db, "INSERT INTO quarantine (document_id, element, line, reason) VALUES (?, ?, ?, ?)")
            for item in quarantined {
                try insert.run {
                    $0.add(documentId)
                    $0.add(item.element)
                    $0.add(item.line)
                    $0.add(item.reason)
                }
            }
        }
        return outcome
    }

    /// Whether a creditor appears in what the store holds: as the owner of a position or the
    /// beneficiary of a receipt transfer.
    static func knowsCreditor(_ fiscalCode: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM debt_position WHERE creditor_fiscal_code = ?)
                OR EXISTS (SELECT 1 FROM receipt_transfer WHERE beneficiary_fiscal_code = ?)
            """), arguments: [fiscalCode, fiscalCode]) ?? false
    }

    /// The first refused item stands for a document none of whose items could be stored.
    static func summary(of items: [DocumentRejection], otherwise reason: String) -> DocumentRejection {
        guard var first = items.first else { return DocumentRejection(reason: reason) }
        if items.count > 1 { first.reason += " (and \(items.count - 1) more refused item(s))" }
        return first
    }

    /// The ledger's statements, prepared once per batch.
    private struct Ledger {
        private let lookup: RawStatement
        private let insertion: RawStatement
        private let pathInsertion: RawStatement
        private let timestamp: String

        init(_ db: Database, timestamp: String) throws {
            lookup = try RawStatement(db, "SELECT id, outcome \(Store.documentByHash)")
            insertion = try RawStatement(db, """
                INSERT INTO document (id, sha256, kind, path, size, ingested_at, outcome, reason, records, quarantined)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            pathInsertion = try RawStatement(db, "INSERT OR IGNORE INTO document_path (document_id, path) VALUES (?, ?)")
            self.timestamp = timestamp
        }

        /// The ledger id and outcome of the document with these bytes, if it is filed.
        func find(_ sha256: String) throws -> (Int64, String)? {
            try lookup.first({ $0.add(Store.hashPrefix(sha256)); $0.add(sha256) }, { ($0.int64(0), $0.text(1) ?? "") })
        }

        func insert(_ outcome: DocumentOutcome, id: Int64) throws {
            try insertion.run {
                $0.add(id)
                $0.add(outcome.sha256)
                $0.add(outcome.kind.rawValue)
                $0.add(outcome.path)
                $0.add(outcome.size)
                $0.add(timestamp)
                $0.add(outcome.status.rawValue)
                $0.add(outcome.reason)
                $0.add(outcome.records)
                $0.add(outcome.quarantined.count)
            }
            try pathInsertion.run {
                $0.add(id)
                $0.add(outcome.path)
            }
        }
    }
}
