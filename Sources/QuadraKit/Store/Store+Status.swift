import GRDB

/// What the store holds: the `quadra status` view.
public struct StoreStatus: Sendable, Codable, Equatable {
    public struct DocumentCount: Sendable, Codable, Equatable {
        public var kind: String
        public var outcome: String
        public var count: Int
    }

    public struct TableCount: Sendable, Codable, Equatable {
        public var table: String
        public var rows: Int
    }

    public struct Refusal: Sendable, Codable, Equatable {
        public var path: String
        public var kind: String
        public var element: String?
        public var reason: String
    }

    public var documents: [DocumentCount]
    public var tables: [TableCount]
    /// Whole documents refused.
    public var rejected: [Refusal]
    /// Items refused inside documents that were otherwise stored.
    public var quarantined: [Refusal]
    public var treasury: TreasuryStatus
}

extension Store {
    static let dataTables = ["document", "quarantine", "receipt", "receipt_transfer", "debt_position", "payment_option",
                             "planned_transfer", "taxonomy_entry", "treasury_movement", "treasury_page"]

    public func status() throws -> StoreStatus {
        try pool.read { db in
            let documents = try Row.fetchAll(db, sql: """
                SELECT kind, outcome, count(*) AS n FROM document GROUP BY kind, outcome ORDER BY kind, outcome
                """).map { StoreStatus.DocumentCount(kind: $0["kind"], outcome: $0["outcome"], count: $0["n"]) }
            let tables = try Self.dataTables.map {
                StoreStatus.TableCount(table: $0, rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0)
            }
            let rejected = try Row.fetchAll(db, sql: """
                SELECT path, kind, reason FROM document WHERE outcome = 'rejected' ORDER BY path
                """).map { StoreStatus.Refusal(path: $0["path"], kind: $0["kind"], element: nil, reason: $0["reason"] ?? "") }
            let quarantined = try Row.fetchAll(db, sql: """
                SELECT d.path, d.kind, q.element, q.reason FROM quarantine q JOIN document d ON d.id = q.document_id
                ORDER BY d.path, q.id
                """).map { StoreStatus.Refusal(path: $0["path"], kind: $0["kind"], element: $0["element"], reason: $0["reason"]) }
            return StoreStatus(documents: documents, tables: tables, rejected: rejected, quarantined: quarantined,
                               treasury: try TreasuryStatus.read(db))
        }
    }
}
