import GRDB

/// The whole trail behind a payment or a flow, for `quadra explain`: position, receipt, every
/// version of the flow rows, treasury movements, verdicts, discrepancies and the notes on them.
public struct ExplainTrail: Sendable, Codable, Equatable {
    /// One section of the trail: its rows as column → value, in a stable order.
    public struct Section: Sendable, Codable, Equatable {
        public var title: String
        public var rows: [[String: String]]
    }

    public var term: String
    public var iuvs: [String]
    public var sections: [Section]
}

extension Store {
    /// Finds everything about an IUV, notice number, receipt id (IUR) or flow id.
    public func explain(_ term: String) throws -> ExplainTrail {
        try pool.read { db in
            let iuvs = try String.fetchAll(db, sql: """
                SELECT iuv FROM receipt WHERE iuv = :t OR notice_number = :t OR receipt_id = :t
                UNION SELECT iuv FROM payment_option WHERE iuv = :t OR nav = :t
                UNION SELECT iuv FROM flow_row WHERE iuv = :t OR iur = :t
                UNION SELECT r.iuv FROM flow_row r JOIN flow_version v ON v.id = r.flow_version_id WHERE v.flow_id = :t
                UNION SELECT iuv FROM treasury_movement WHERE iuv = :t
                ORDER BY 1
                """, arguments: ["t": term])
            let marks = Array(repeating: "?", count: max(iuvs.count, 1)).joined(separator: ",")
            let list = StatementArguments(iuvs.isEmpty ? [""] : iuvs)
            func section(_ title: String, _ sql: String, _ arguments: StatementArguments = list) throws -> ExplainTrail.Section {
                let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    Dictionary(row.columnNames.map { name in (name, row[name].map { "\($0)" }) }.compactMap { pair in
                        pair.1.map { (pair.0, $0) }
                    }, uniquingKeysWith: { first, _ in first })
                }
                return ExplainTrail.Section(title: title, rows: rows)
            }
            let sections = [
                try section("debt positions", """
                    SELECT p.creditor_fiscal_code, p.iupd, p.version, p.is_current, p.status AS position_status, o.iuv, o.nav,
                        o.amount_cents, o.due_date, o.status AS option_status, o.id_receipt, t.id_transfer, t.amount_cents AS transfer_cents,
                        t.beneficiary_fiscal_code, t.iban, t.is_stamp, t.taxonomy_code
                    FROM payment_option o JOIN debt_position p ON p.id = o.position_id JOIN planned_transfer t ON t.option_id = o.id
                    WHERE o.iuv IN (\(marks)) ORDER BY p.creditor_fiscal_code, o.iuv, p.version, t.id_transfer
                    """),
                try section("receipts", """
                    SELECT r.receipt_id, r.notice_number, r.fiscal_code, r.iuv, r.payment_amount_cents, r.psp_id, r.payment_date_time,
                        r.application_date, r.stand_in, t.id_transfer, t.amount_cents AS transfer_cents, t.beneficiary_fiscal_code,
                        t.iban, t.is_stamp, t.taxonomy_code, d.path AS document
                    FROM receipt r JOIN receipt_transfer t ON t.receipt_id = r.receipt_id JOIN document d ON d.id = r.document_id
                    WHERE r.iuv IN (\(marks)) ORDER BY r.receipt_id, t.id_transfer
                    """),
                try section("flow rows (every version)", """
                    SELECT v.receiver_fiscal_code, v.psp_id, v.flow_id, v.revision, v.is_current, v.channel, v.settlement_date,
                        v.settlement_reference, r.iuv, r.iur, r.transfer_index, r.amount_cents, r.outcome, d.path AS document
                    FROM flow_row r JOIN flow_version v ON v.id = r.flow_version_id JOIN document d ON d.id = v.document_id
                    WHERE r.iuv IN (\(marks)) ORDER BY v.receiver_fiscal_code, v.flow_id, v.revision, r.position
                    """),
                try section("treasury movements", """
                    SELECT m.movement_id, m.creditor_fiscal_code, m.account, m.booking_date, m.value_date, m.amount_cents, m.sign,
                        m.reference, m.raw_causale, m.flow_id, m.iuv, mv.label,
                        (SELECT coalesce(c.reference, c.movement_id) FROM treasury_movement c
                            WHERE c.movement_id = m.reverses_movement_id) AS reverses
                    FROM treasury_movement m LEFT JOIN movement_verdict mv ON mv.movement_id = m.movement_id
                    WHERE m.iuv IN (\(marks)) OR m.flow_id IN (SELECT v.flow_id FROM flow_row r JOIN flow_version v
                        ON v.id = r.flow_version_id WHERE r.iuv IN (\(marks)))
                    ORDER BY m.booking_date, m.movement_id
                    """, list + list),
                try section("verdicts", """
                    SELECT creditor_fiscal_code, iuv, iur, transfer_index, label, anomalies, state, changed_on, previous_label,
                        previous_state
                    FROM key_verdict WHERE iuv IN (\(marks)) ORDER BY 1, 2, 3, 4
                    """),
                try section("discrepancies", """
                    SELECT code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, treasury_reference,
                        expected_cents, actual_cents, first_seen, resolved_on, message
                    FROM discrepancy WHERE iuv IN (\(marks)) OR flow_id IN (SELECT v.flow_id FROM flow_row r JOIN flow_version v
                        ON v.id = r.flow_version_id WHERE r.iuv IN (\(marks)))
                    ORDER BY severity, code, identity
                    """, list + list),
                try section("notes", """
                    SELECT n.id, n.written_at, n.author, n.text, n.code, n.creditor_fiscal_code, n.iuv, n.iur, n.transfer_index,
                        n.flow_id, n.treasury_reference, n.hide, n.until, r.id AS removed_by, r.author AS removal_author,
                        r.written_at AS removed_at, r.text AS removal_text
                    FROM note n LEFT JOIN note r ON r.removes = n.id
                    WHERE n.iuv IN (\(marks)) OR n.flow_id IN (SELECT v.flow_id FROM flow_row fr JOIN flow_version v
                        ON v.id = fr.flow_version_id WHERE fr.iuv IN (\(marks)))
                        OR n.treasury_reference IN (SELECT m.reference FROM treasury_movement m WHERE m.iuv IN (\(marks)))
                    ORDER BY n.id
                    """, list + list + list),
            ]
            return ExplainTrail(term: term, iuvs: iuvs, sections: sections)
        }
    }
}
