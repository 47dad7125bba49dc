import GRDB

/// A payment whose receipt is not in the store (a current flow reports it to a served creditor, GPD
/// marks its option paid, a credit names its IUV): what `quadra fetch receipts` asks the GPD payments
/// API for.
public struct MissingReceipt: Sendable, Equatable, Hashable {
    public var creditor: String
    public var iuv: String
    /// The receipt id the evidence names (empty for a credit, which names none).
    public var iur: String
}

extension Store {
    /// Current flow rows received by `creditors` with no receipt of their IUR, one per (creditor, IUV,
    /// IUR). Outcomes 8 and 9 (`STAND_IN_NO_RPT`, `NO_RPT`) are left out: no receipt exists for them.
    public func flowRowsWithoutReceipt(creditors: [String]) throws -> [MissingReceipt] {
        guard !creditors.isEmpty else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT v.receiver_fiscal_code, r.iuv, r.iur
                FROM flow_version v JOIN flow_row r ON r.flow_version_id = v.id
                WHERE v.is_current = 1 AND v.receiver_fiscal_code IN (\(creditors.map { _ in "?" }.joined(separator: ",")))
                  AND r.outcome NOT IN ('STAND_IN_NO_RPT', 'NO_RPT') AND r.iuv <> ''
                  AND NOT EXISTS (SELECT 1 FROM receipt WHERE receipt_id = r.iur)
                ORDER BY v.receiver_fiscal_code, r.iuv, r.iur
                """, arguments: StatementArguments(creditors)).map {
                MissingReceipt(creditor: $0[0], iuv: $0[1], iur: $0[2])
            }
        }
    }

    /// Every receipt recovery.csv lists as of the last reconciliation (a flow row, a GPD option marked
    /// paid with its `idReceipt`, an `/RFB/` credit, each with no receipt), served creditors' only:
    /// with the flow rows above, what `quadra fetch receipts` asks for. `codes` and `credit` are the
    /// discrepancy codes that mean a receipt exists (`DiscrepancyCode.missingReceipt`, `creditWithoutReceipt`).
    public func receiptsToRecover(creditors: [String], codes: [String], credit: String) throws -> [MissingReceipt] {
        let served = Set(creditors)
        var missing: [MissingReceipt] = []
        try recoveryRows(codes: codes, credit: credit) { fields in
            guard let creditor = fields[0], let iuv = fields[1], served.contains(creditor) else { return }
            missing.append(MissingReceipt(creditor: creditor, iuv: iuv, iur: fields[2] ?? ""))
        }
        return missing
    }
}
