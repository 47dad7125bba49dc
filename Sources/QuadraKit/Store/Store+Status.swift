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

    /// Current flows per PSP.
    public struct PSPFlows: Sendable, Codable, Equatable {
        public var pspId: String
        public var flows: Int
        public var rows: Int
        public var totalCents: Int64
    }

    /// One current flow: what its file says and what was found wrong with it.
    public struct Flow: Sendable, Codable, Equatable {
        public var receiver: String
        public var pspId: String
        public var flowId: String
        public var revision: Int
        public var channel: String
        public var settlementDate: String?
        public var settlementReference: String?
        public var declaredCount: Int?
        public var declaredTotalCents: Int64?
        public var rows: Int
        public var computedTotalCents: Int64
        public var findings: [FlowFinding]
    }

    public var documents: [DocumentCount]
    public var tables: [TableCount]
    /// Whole documents refused.
    public var rejected: [Refusal]
    /// Items refused inside documents that were otherwise stored.
    public var quarantined: [Refusal]
    public var flowsByPSP: [PSPFlows]
    /// Current flows, newest settlement first; at most `Store.statusFlowLimit`.
    public var flows: [Flow]
    public var treasury: TreasuryStatus
    /// FdR-3 flow revisions still missing their header or pages: not reconciled until whole.
    public var incompleteFlows: [IncompleteFlow]
}

extension Store {
    static let dataTables = ["document", "quarantine", "receipt", "receipt_transfer", "debt_position", "payment_option",
                             "planned_transfer", "taxonomy_entry", "flow_version", "flow_row", "flow_finding",
                             "flow_revision_change", "flow_part", "treasury_movement", "treasury_page", "key_verdict",
                             "flow_verdict", "movement_verdict", "discrepancy", "reconciliation_run", "served_creditor",
                             "provvisorio", "treasury_regularisation", "provvisorio_verdict"]
    /// Status is for a person reading a terminal: the latest flows, not a year of them.
    static let statusFlowLimit = 500

    public func status() throws -> StoreStatus {
        let incomplete = try incompleteFlows()
        return try pool.read { db in
            let documents = try Row.fetchAll(db, sql: """
                SELECT kind, outcome, count(*) AS n FROM document GROUP BY kind, outcome ORDER BY kind, outcome
                """).map { StoreStatus.DocumentCount(kind: $0["kind"], outcome: $0["outcome"], count: $0["n"]) }
            let tables = try Self.dataTables.map {
                StoreStatus.TableCount(table: $0, rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0)
            }
            let rejected = try Row.fetchAll(db, sql: """
                SELECT p.path, d.kind, d.reason FROM document d JOIN document_path p ON p.document_id = d.id
                WHERE d.outcome = 'rejected' ORDER BY p.path
                """).map { StoreStatus.Refusal(path: $0["path"], kind: $0["kind"], element: nil, reason: $0["reason"] ?? "") }
            let quarantined = try Row.fetchAll(db, sql: """
                SELECT d.path, d.kind, q.element, q.reason FROM quarantine q JOIN document d ON d.id = q.document_id
                ORDER BY d.path, q.id
                """).map { StoreStatus.Refusal(path: $0["path"], kind: $0["kind"], element: $0["element"], reason: $0["reason"]) }
            let byPSP = try Row.fetchAll(db, sql: """
                SELECT psp_id, count(*) AS flows, sum(computed_count) AS rows, sum(computed_total_cents) AS total
                FROM flow_version WHERE is_current = 1 GROUP BY psp_id ORDER BY psp_id
                """).map { StoreStatus.PSPFlows(pspId: $0["psp_id"], flows: $0["flows"], rows: $0["rows"], totalCents: $0["total"]) }
            var findings: [Int64: [FlowFinding]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT f.flow_version_id, f.code, f.detail FROM flow_finding f JOIN flow_version v ON v.id = f.flow_version_id
                WHERE v.is_current = 1 ORDER BY f.flow_version_id, f.code, f.detail
                """) {
                findings[row["flow_version_id"], default: []].append(
                    FlowFinding(FlowFinding.Code(rawValue: row["code"]) ?? .badRow, row["detail"]))
            }
            let flows = try Row.fetchAll(db, sql: """
                SELECT * FROM flow_version WHERE is_current = 1
                ORDER BY settlement_date DESC, receiver_fiscal_code, psp_id, flow_id LIMIT \(Self.statusFlowLimit)
                """).map { row in
                StoreStatus.Flow(receiver: row["receiver_fiscal_code"], pspId: row["psp_id"], flowId: row["flow_id"],
                                 revision: row["revision"], channel: row["channel"], settlementDate: row["settlement_date"],
                                 settlementReference: row["settlement_reference"], declaredCount: row["declared_count"],
                                 declaredTotalCents: row["declared_total_cents"], rows: row["computed_count"],
                                 computedTotalCents: row["computed_total_cents"], findings: findings[row["id"]] ?? [])
            }
            return StoreStatus(documents: documents, tables: tables, rejected: rejected, quarantined: quarantined,
                               flowsByPSP: byPSP, flows: flows, treasury: try TreasuryStatus.read(db),
                               incompleteFlows: incomplete)
        }
    }
}
