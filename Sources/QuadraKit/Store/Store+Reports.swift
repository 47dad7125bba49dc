import GRDB
import GRDBSQLite

/// The report queries: each reads the verdict tables reconciliation keeps (one row per key, flow or
/// movement with every column a report shows), streamed through a cursor so a report of a million
/// keys never sits in memory, each column already in the report's order.
///
/// A nightly report holds what the night brings: the rows whose verdict changed on the as-of date
/// and the rows still open, found through the `changed_on` and `open` indexes; `everything` lists
/// every row in key order (`quadra report --full`).
extension Store {
    /// Keys with their verdict and evidence, by creditor, IUV, IUR, index, with what changed: `new`
    /// (first verdict tonight), `changed` (with the label and state before), `open` (unchanged, still
    /// open); in a full listing, an empty change for a key closed before tonight.
    func classificationRows(asOf: CivilDate, everything: Bool, _ body: ([String?]) throws -> Void) throws {
        let columns = """
            creditor_fiscal_code, iuv, iur, transfer_index, label, anomalies, state, receipt_id, payment_day, psp_id,
            rt_amount_cents, iud_amount_cents, iuf_amount_cents, iuf, flow_psp_id, flow_revision, settlement_reference,
            settlement_date, tes_amount_cents, tes_references, taxonomy_code, beneficiary_iban, iupd, debtor_id,
            \(Self.change(open: "open = 1", first: "previous_state", was: [("previous_label", "label"), ("previous_state", "state")]))
            """
        try streamRows(sql: everything ? "SELECT \(columns) FROM key_verdict ORDER BY 1, 2, 3, 4" : """
            SELECT \(columns) FROM key_verdict WHERE changed_on = :day
            UNION ALL SELECT \(columns) FROM key_verdict WHERE open = 1 AND changed_on <> :day
            ORDER BY 1, 2, 3, 4
            """, arguments: ["day": asOf.description], body)
    }

    /// What happened to a row tonight, then what it was before, one column per pair of `was`
    /// (previous, current): `new` (first judged tonight: `first` names the previous column that is
    /// never empty once judged), `changed` (with what it was before), `open` (unchanged and still
    /// open: the previous columns repeat the current ones); empty for a row closed before tonight,
    /// which only a full listing shows. The one statement of that rule for every report that carries it.
    static func change(changedOn: String = "changed_on", open: String, first: String? = nil,
                       was: [(previous: String, current: String)]) -> String {
        (["""
            CASE WHEN \(changedOn) = :day THEN CASE WHEN \(first ?? was[0].previous) IS NULL THEN 'new' ELSE 'changed' END
                 WHEN \(open) THEN 'open' ELSE '' END
            """] + was.map { "CASE WHEN \(changedOn) = :day THEN \($0.previous) ELSE \($0.current) END" }).joined(separator: ",\n")
    }

    /// Incoming movements with their label: those labelled tonight and those not `MATCHED` (in a full
    /// listing, all), by creditor, booking date and movement id, with what changed (`change`).
    func treasuryRows(asOf: CivilDate, everything: Bool, _ body: ([String?]) throws -> Void) throws {
        let verdicts = everything ? "movement_verdict" : """
            (SELECT movement_id, label, changed_on, previous_label FROM movement_verdict WHERE changed_on = :day
             UNION SELECT movement_id, label, changed_on, previous_label FROM movement_verdict WHERE label <> 'MATCHED')
            """
        try streamRows(sql: """
            SELECT m.movement_id, m.creditor_fiscal_code, m.account, m.booking_date, m.value_date, m.amount_cents, m.reference,
                m.raw_causale, m.flow_id, m.iuv, mv.label,
                \(Self.change(changedOn: "mv.changed_on", open: "mv.label <> 'MATCHED'", was: [("mv.previous_label", "mv.label")]))
            FROM \(verdicts) mv CROSS JOIN treasury_movement m ON m.movement_id = mv.movement_id
            ORDER BY m.creditor_fiscal_code, m.booking_date, m.movement_id
            """, arguments: ["day": asOf.description], body)
    }

    /// Current flows with their rows, totals, net credit and credit status: those that arrived or
    /// changed tonight and those still open (not credited in full, or with a discrepancy), with what
    /// changed (`change`).
    func flowRows(asOf: CivilDate, everything: Bool, _ body: ([String?]) throws -> Void) throws {
        let columns = """
            receiver_fiscal_code, psp_id, flow_id, revision, settlement_date, settlement_reference, rows, declared_total_cents,
            computed_total_cents, credited_cents, credit_status, findings, credited_on, days_late,
            \(Self.change(open: "open = 1", was: [("previous_credit_status", "credit_status")]))
            """
        try streamRows(sql: everything ? "SELECT \(columns) FROM flow_verdict ORDER BY 1, 2, 3" : """
            SELECT \(columns) FROM flow_verdict WHERE changed_on = :day
            UNION ALL SELECT \(columns) FROM flow_verdict WHERE open = 1 AND changed_on <> :day
            ORDER BY 1, 2, 3
            """, arguments: ["day": asOf.description], body)
    }

    /// Open discrepancies and those resolved or escalated on the as-of date, errors first, then by code and
    /// key; the last column, the PSP, is for the action the report writes, not a column of its own (a
    /// key's discrepancy about no flow, `FDR_OVERDUE`, names the PSP of the key's receipt, else of its
    /// flow row: an `IUR_MISMATCH` on the flow's side).
    func discrepancyRows(asOf: CivilDate, _ body: ([String?]) throws -> Void) throws {
        let columns = """
            code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, treasury_reference,
            expected_cents, actual_cents, first_seen, CAST(julianday(:day) - julianday(first_seen) AS INTEGER), message,
            replaced_by, coalesce(psp_id, (SELECT coalesce(k.psp_id, k.flow_psp_id) FROM key_verdict k WHERE k.creditor_fiscal_code = discrepancy.creditor_fiscal_code
                AND k.iuv = discrepancy.iuv AND k.iur = discrepancy.iur AND k.transfer_index = discrepancy.transfer_index)),
            CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END AS rank, identity
            """
        try streamRows(sql: """
            SELECT * FROM (
                SELECT \(columns) FROM discrepancy WHERE status IN ('new', 'open')
                UNION ALL SELECT \(columns) FROM discrepancy WHERE resolved_on = :day AND status IN ('resolved', 'escalated'))
            ORDER BY rank, code, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, treasury_reference, identity
            """, arguments: ["day": asOf.description], dropping: 2, body)
    }

    /// The receipts to recover: one row per key with an open discrepancy of `codes`, with the notice
    /// number when its position is known, the PSP, the evidence (the flow and its row, or the
    /// position), the payment day it shows (the row's payment date, the option's GPD `paymentDate`),
    /// the day it was first missed, and the GPD payments API request that fetches it; and one per
    /// `/RFB/` credit of an IUV with no receipt (an open `credit` discrepancy that no reversal took
    /// back), whose evidence is the credit, paid by its booking day at the latest.
    func recoveryRows(codes: [String], credit: String, _ body: ([String?]) throws -> Void) throws {
        let marks = Array(repeating: "?", count: codes.count).joined(separator: ", ")
        try streamRows(sql: """
            SELECT * FROM (
                SELECT d.creditor_fiscal_code, d.iuv, nullif(d.iur, ''), \(Self.noticeNumber("d.iuv")), k.flow_psp_id,
                    CASE WHEN min(k.iuf) IS NOT NULL THEN 'flow ' || min(k.iuf) || coalesce(' row ' || min(fr.position), '')
                        ELSE 'position ' || coalesce(min(k.iupd), '') END,
                    coalesce(min(substr(fr.outcome_date, 1, 10)),
                        (SELECT substr(o.payment_date, 1, 10) FROM payment_option o WHERE o.creditor_fiscal_code = d.creditor_fiscal_code
                            AND o.iuv = d.iuv AND o.is_current = 1)),
                    min(d.first_seen), \(Self.receiptRequest("d.iuv"))
                FROM discrepancy d
                JOIN key_verdict k ON k.creditor_fiscal_code = d.creditor_fiscal_code AND k.iuv = d.iuv AND k.iur = d.iur
                    AND k.transfer_index = d.transfer_index
                LEFT JOIN flow_version v ON v.receiver_fiscal_code = d.creditor_fiscal_code AND v.psp_id = k.flow_psp_id
                    AND v.flow_id = k.iuf AND v.is_current = 1
                LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.iuv = d.iuv AND fr.iur = d.iur
                    AND fr.transfer_index = d.transfer_index
                WHERE d.status IN ('new', 'open') AND d.code IN (\(marks)) AND k.receipt_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.receipt_id = d.iur)
                GROUP BY d.creditor_fiscal_code, d.iuv, d.iur
                UNION ALL
                SELECT d.creditor_fiscal_code, m.iuv, NULL, \(Self.noticeNumber("m.iuv")), NULL, 'credit ' || d.treasury_reference,
                    m.booking_date, d.first_seen, \(Self.receiptRequest("m.iuv"))
                FROM discrepancy d
                JOIN treasury_movement m ON m.creditor_fiscal_code = d.creditor_fiscal_code
                    AND coalesce(m.reference, m.movement_id) = d.treasury_reference
                WHERE d.status IN ('new', 'open') AND d.code = ? AND m.iuv IS NOT NULL AND m.flow_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = m.movement_id)
                    AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.fiscal_code = d.creditor_fiscal_code AND r.iuv = m.iuv))
            ORDER BY 1, 2, 3
            """, arguments: StatementArguments(codes + [credit]), body)
    }

    /// The notice number of the creditor's current option of an IUV.
    private static func noticeNumber(_ iuv: String) -> String {
        "(SELECT o.nav FROM payment_option o WHERE o.creditor_fiscal_code = d.creditor_fiscal_code AND o.iuv = \(iuv) AND o.is_current = 1)"
    }

    /// What `quadra fetch receipts` sends for an IUV: GPD's payments API.
    private static func receiptRequest(_ iuv: String) -> String {
        "'GET /payments/' || d.creditor_fiscal_code || '/receipts/' || \(iuv)"
    }

    /// Which keys the accounting export totals.
    enum AccountingSpan {
        /// The complete rows of every (creditor, payment day) that a key changed on the as-of date touches.
        case night
        /// Every payment day from `from` to `to`, each its own row, or all as one `period` label.
        case days(from: CivilDate, to: CivilDate, period: String?)
    }

    /// Receipt amounts of the keys paid up to the as-of date, totalled per creditor, taxonomy code,
    /// IBAN (the receipt's, else the plan's), day and state.
    func accountingRows(asOf: CivilDate, span: AccountingSpan, _ body: ([String?]) throws -> Void) throws {
        let description = { (code: String) in
            """
            (SELECT coalesce(te.service_type_name, te.service_description) FROM taxonomy_entry te WHERE te.code = \(code)
                ORDER BY te.valid_to DESC, CAST(te.version AS INTEGER) DESC LIMIT 1)
            """
        }
        switch span {
        case .night:
            // The sums the store keeps (`payment_day_total`, '' standing for no code or IBAN), not the
            // keys summed again: see `Migrations.keepPaymentDayTotalsPerCode`.
            try streamRows(sql: """
                WITH days AS MATERIALIZED (
                    SELECT DISTINCT creditor_fiscal_code AS creditor, payment_day AS day FROM key_verdict
                    WHERE changed_on = :day AND rt_amount_cents IS NOT NULL AND payment_day <= :day
                )
                SELECT t.creditor_fiscal_code, nullif(t.taxonomy_code, ''), \(description("nullif(t.taxonomy_code, '')")),
                    nullif(t.beneficiary_iban, ''), t.payment_day, t.state, t.keys, t.cents
                FROM days d CROSS JOIN payment_day_total t ON t.creditor_fiscal_code = d.creditor AND t.payment_day = d.day
                ORDER BY t.creditor_fiscal_code, t.taxonomy_code, t.beneficiary_iban, t.payment_day, t.state
                """, arguments: ["day": asOf.description], body)
        case let .days(from, to, period):
            try streamRows(sql: """
                SELECT k.creditor_fiscal_code, k.taxonomy_code, \(description("k.taxonomy_code")), k.beneficiary_iban,
                    coalesce(:period, k.payment_day) AS day, k.state, count(*), sum(k.rt_amount_cents)
                FROM key_verdict k
                WHERE k.rt_amount_cents IS NOT NULL AND k.payment_day >= :from AND k.payment_day <= :to
                GROUP BY k.creditor_fiscal_code, k.taxonomy_code, k.beneficiary_iban, day, k.state
                ORDER BY k.creditor_fiscal_code, k.taxonomy_code, k.beneficiary_iban, day, k.state
                """, arguments: ["period": period, "from": from.description, "to": min(to, asOf).description], body)
        }
    }

    /// Steps the statement through SQLite's C API and reads each column as text straight from it:
    /// GRDB's `Row` would copy every value into a `DatabaseValue` first. Integers are written in
    /// decimal, blobs (which no report column holds) as absent.
    /// `dropping` leaves out the last columns, which only served the sort.
    func streamRows(sql: String, arguments: StatementArguments = [], dropping: Int32 = 0,
                            _ body: ([String?]) throws -> Void) throws {
        try pool.read { db in try Self.streamRows(db, sql: sql, arguments: arguments, dropping: dropping, body) }
    }

    /// The same within a read already open (so that `body` may query the same connection).
    static func streamRows(_ db: Database, sql: String, arguments: StatementArguments = [], dropping: Int32 = 0,
                           _ body: ([String?]) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let columns = sqlite3_column_count(handle) - dropping
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

    static func text(_ handle: OpaquePointer, _ column: Int32) -> String? {
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
