import GRDB
import GRDBSQLite

/// The report queries: one set-based query per report, streamed through a cursor so a report of a
/// million keys never sits in memory, each column already in the report's order.
extension Store {
    /// Every key of the last reconciliation with its evidence, by creditor, IUV, IUR, index. The
    /// credits are totalled once per flow and per IUV (`MATERIALIZED`, looked up through an
    /// automatic index), not again for each of a flow's keys.
    func classificationRows(_ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            WITH flow_tes AS MATERIALIZED (
                SELECT m.creditor_fiscal_code AS creditor, m.flow_id, sum(\(Self.netAmount)) AS net,
                    group_concat(DISTINCT CASE m.sign WHEN 'credit' THEN coalesce(m.reference, m.movement_id) END) AS refs
                FROM treasury_movement m WHERE m.flow_id IS NOT NULL GROUP BY m.creditor_fiscal_code, m.flow_id
            ), payment_tes AS MATERIALIZED (
                SELECT m.creditor_fiscal_code AS creditor, m.iuv, sum(\(Self.netAmount)) AS net,
                    group_concat(DISTINCT CASE m.sign WHEN 'credit' THEN coalesce(m.reference, m.movement_id) END) AS refs
                FROM treasury_movement m WHERE m.causale_kind = 'payment' AND m.iuv IS NOT NULL GROUP BY m.creditor_fiscal_code, m.iuv
            )
            SELECT k.creditor_fiscal_code, k.iuv, k.iur, k.transfer_index, k.label, k.anomalies, k.state,
                rt.receipt_id, coalesce(r.application_date, substr(r.payment_date_time, 1, 10)), r.psp_id,
                rt.amount_cents, pt.amount_cents, fr.amount_cents, v.flow_id, v.psp_id, v.revision,
                v.settlement_reference, v.settlement_date,
                CASE WHEN v.flow_id IS NOT NULL THEN ft.net ELSE pay.net END,
                CASE WHEN v.flow_id IS NOT NULL THEN ft.refs ELSE pay.refs END,
                coalesce(rt.taxonomy_code, pt.taxonomy_code), coalesce(rt.iban, pt.iban, pt.postal_iban), p.iupd,
                coalesce(r.debtor_id, p.debtor_id)
            FROM key_verdict k
            LEFT JOIN receipt_transfer rt ON rt.receipt_id = k.iur AND rt.id_transfer = k.transfer_index
                AND rt.beneficiary_fiscal_code = k.creditor_fiscal_code AND rt.is_stamp = 0
            LEFT JOIN receipt r ON r.receipt_id = rt.receipt_id
            LEFT JOIN payment_option o ON o.id = (SELECT min(o2.id) FROM payment_option o2 WHERE o2.is_current = 1
                AND o2.creditor_fiscal_code = coalesce(r.fiscal_code, k.creditor_fiscal_code) AND o2.iuv = k.iuv)
            LEFT JOIN debt_position p ON p.id = o.position_id
            LEFT JOIN planned_transfer pt ON pt.option_id = o.id AND pt.id_transfer = k.transfer_index
            LEFT JOIN flow_version v ON v.id = (SELECT min(fv.id) FROM flow_row f2 JOIN flow_version fv ON fv.id = f2.flow_version_id
                WHERE fv.is_current = 1 AND fv.receiver_fiscal_code = k.creditor_fiscal_code
                  AND f2.iuv = k.iuv AND f2.iur = k.iur AND f2.transfer_index = k.transfer_index)
            LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.position = (SELECT min(f3.position) FROM flow_row f3
                WHERE f3.flow_version_id = v.id AND f3.iuv = k.iuv AND f3.iur = k.iur AND f3.transfer_index = k.transfer_index)
            LEFT JOIN flow_tes ft ON ft.creditor = k.creditor_fiscal_code AND ft.flow_id = v.flow_id
            LEFT JOIN payment_tes pay ON pay.creditor = k.creditor_fiscal_code AND pay.iuv = k.iuv
            ORDER BY k.creditor_fiscal_code, k.iuv, k.iur, k.transfer_index
            """, body)
    }

    /// Incoming movements (outgoing ones are never stored as credits) with their label; a movement on
    /// no served creditor's account has no verdict and is unmatched.
    func treasuryRows(_ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            SELECT m.movement_id, m.creditor_fiscal_code, m.account, m.booking_date, m.value_date, m.amount_cents, m.reference,
                m.raw_causale, m.flow_id, m.iuv, coalesce(mv.label, 'TES_NO_MATCH')
            FROM treasury_movement m LEFT JOIN movement_verdict mv ON mv.movement_id = m.movement_id
            WHERE m.sign = 'credit'
            ORDER BY m.creditor_fiscal_code, m.booking_date, m.movement_id
            """, body)
    }

    /// Current flows with their actual rows and net credit; the credit status column is left empty for
    /// the caller, who knows the as-of date and the deadlines.
    func flowRows(_ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            SELECT v.receiver_fiscal_code, v.psp_id, v.flow_id, v.revision, v.settlement_date, v.settlement_reference,
                (SELECT count(*) FROM flow_row fr WHERE fr.flow_version_id = v.id), v.declared_total_cents, v.computed_total_cents,
                coalesce((SELECT sum(\(Self.netAmount)) FROM treasury_movement m
                    WHERE m.creditor_fiscal_code = v.receiver_fiscal_code AND m.flow_id = v.flow_id), 0),
                NULL,
                (SELECT group_concat(DISTINCT f.code) FROM flow_finding f WHERE f.flow_version_id = v.id)
            FROM flow_version v WHERE v.is_current = 1
            ORDER BY v.receiver_fiscal_code, v.psp_id, v.flow_id
            """, body)
    }

    /// Open discrepancies and those resolved on the as-of date, errors first, then by code and key.
    func discrepancyRows(asOf: CivilDate, _ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            SELECT code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, treasury_reference,
                expected_cents, actual_cents, first_seen, CAST(julianday(:day) - julianday(first_seen) AS INTEGER), message
            FROM discrepancy WHERE status <> 'resolved' OR resolved_on = :day
            ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, code, creditor_fiscal_code, iuv, iur,
                transfer_index, flow_id, treasury_reference, identity
            """, arguments: ["day": asOf.description], body)
    }

    /// Receipt amounts of the keys paid in `from...to`, totalled per creditor, taxonomy code, IBAN,
    /// day (or `period` when given) and state. The unary `+` keeps SQLite on the transfer's primary
    /// key, which holds every column read, rather than the beneficiary index and a second probe.
    func accountingRows(from: CivilDate, to: CivilDate, period: String?, _ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            WITH paid AS (
                SELECT k.creditor_fiscal_code AS creditor, rt.taxonomy_code AS code, rt.iban AS iban,
                    coalesce(:period, r.application_date, substr(r.payment_date_time, 1, 10)) AS day,
                    coalesce(r.application_date, substr(r.payment_date_time, 1, 10)) AS paid_on, k.state, rt.amount_cents AS amount
                FROM key_verdict k
                JOIN receipt_transfer rt ON rt.receipt_id = k.iur AND rt.id_transfer = k.transfer_index
                    AND +rt.beneficiary_fiscal_code = k.creditor_fiscal_code AND rt.is_stamp = 0
                JOIN receipt r ON r.receipt_id = rt.receipt_id
            )
            SELECT creditor, code,
                (SELECT coalesce(te.service_type_name, te.service_description) FROM taxonomy_entry te WHERE te.code = paid.code
                    ORDER BY te.valid_to DESC, CAST(te.version AS INTEGER) DESC LIMIT 1),
                iban, day, state, count(*), sum(amount)
            FROM paid WHERE paid_on >= :from AND paid_on <= :to
            GROUP BY creditor, code, iban, day, state
            ORDER BY creditor, code, iban, day, state
            """, arguments: ["period": period, "from": from.description, "to": to.description], body)
    }

    /// A credit adds its amount, a reversal takes it back.
    private static let netAmount = "CASE m.sign WHEN 'reversal' THEN -m.amount_cents ELSE m.amount_cents END"

    /// Steps the statement through SQLite's C API and reads each column as text straight from it:
    /// GRDB's `Row` would copy every value into a `DatabaseValue` first. Integers are written in
    /// decimal, blobs (which no report column holds) as absent.
    private func streamRows(sql: String, arguments: StatementArguments = [], _ body: ([String?]) throws -> Void) throws {
        try pool.read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(arguments)
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            let columns = sqlite3_column_count(handle)
            var fields = [String?](repeating: nil, count: Int(columns))
            while true {
                let status = sqlite3_step(handle)
                if status == SQLITE_DONE { break }
                guard status == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: status),
                                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
                }
                for column in 0..<columns {
                    fields[Int(column)] = Self.text(handle, column)
                }
                try body(fields)
            }
        }
    }

    private static func text(_ handle: OpaquePointer, _ column: Int32) -> String? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return String(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return String(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let bytes = UnsafeBufferPointer(start: sqlite3_column_text(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
            return String(decoding: bytes, as: UTF8.self)
        default:
            return nil
        }
    }
}

extension Store {
    /// The as-of date of the last reconciliation, which `quadra report` writes for by default.
    public func lastReconciliationDay() throws -> CivilDate? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT as_of FROM reconciliation_run ORDER BY id DESC LIMIT 1").flatMap(CivilDate.init(iso:))
        }
    }
}

extension Store {
    /// The last reconciliation before `day` (as-of date, keys, open discrepancies), for what changed
    /// since; reruns for the same day never count as "previous".
    func previousReconciliation(before day: CivilDate) throws -> (asOf: String, keys: Int, open: Int)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT as_of, keys, open_discrepancies FROM reconciliation_run WHERE as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1
                """, arguments: [day.description]).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
