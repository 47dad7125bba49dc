import GRDB

extension Store.ReconciliationPass {
    /// The current debt positions of served creditors this pass looks at, option by option with
    /// their receipts and the verdicts of the keys they paid (keys are classified first, so tonight's).
    /// A position is `judged` when one of its options belongs to a key of this pass or to something
    /// that arrived tonight; a full pass also looks at every other current position, for its status alone.
    func positionFacts() throws -> [PositionFacts] {
        var positions: [PositionFacts] = []
        let rows = try Row.fetchCursor(db, sql: """
            WITH judged AS MATERIALIZED (
                SELECT id FROM temp.key_position
                UNION SELECT o.position_id FROM temp.touched_iuv t CROSS JOIN payment_option o ON o.iuv = t.iuv AND o.is_current = 1
            ),
            looked_at AS MATERIALIZED (
                SELECT id, 1 AS judged FROM judged
                UNION ALL SELECT p.id, 0 FROM debt_position p WHERE :all AND p.is_current = 1 AND p.id NOT IN (SELECT id FROM judged)
            ),
            options AS MATERIALIZED (
                SELECT s.judged, p.creditor_fiscal_code AS creditor, p.iupd, p.status AS position_status, p.document_id, o.iuv, o.nav,
                    o.is_partial_payment, o.amount_cents, o.status AS option_status
                FROM looked_at s CROSS JOIN debt_position p ON p.id = s.id
                JOIN scope.served sv ON sv.fiscal_code = p.creditor_fiscal_code
                CROSS JOIN payment_option o ON o.position_id = p.id
            ),
            paid AS MATERIALIZED (
                SELECT r.fiscal_code AS creditor, r.iuv, group_concat(r.receipt_id, '|') AS receipts, sum(r.payment_amount_cents) AS cents,
                    max(r.document_id) AS document, min(r.notice_number) AS notice
                FROM (SELECT DISTINCT creditor, iuv FROM options) x CROSS JOIN receipt r ON r.fiscal_code = x.creditor AND r.iuv = x.iuv
                GROUP BY 1, 2
            ),
            -- Reported: by a flow row that agrees with the receipt (the key REPORTED, or CASHED on its
            -- flow); a payment the flow revokes, or reports for another amount, stays PAID and reports
            -- nothing, and one credited alone (/RFB/) was never in a flow.
            keys AS MATERIALIZED (
                SELECT k.creditor_fiscal_code AS creditor, k.iuv, count(*) AS keys,
                    sum(k.iuf IS NOT NULL AND k.state IN ('REPORTED', 'CASHED')) AS reported, sum(k.state = 'CASHED') AS cashed,
                    coalesce(sum(CASE WHEN k.iuf IS NOT NULL AND k.state IN ('REPORTED', 'CASHED') THEN k.iuf_amount_cents END), 0)
                        AS reported_cents,
                    coalesce(sum(CASE WHEN k.state = 'CASHED' THEN coalesce(k.iuf_amount_cents, k.rt_amount_cents) END), 0) AS credited_cents,
                    group_concat(DISTINCT k.iuf) AS flows
                FROM (SELECT DISTINCT creditor, iuv FROM options) x
                CROSS JOIN key_verdict k ON k.creditor_fiscal_code = x.creditor AND k.iuv = x.iuv
                WHERE k.receipt_id IS NOT NULL
                GROUP BY 1, 2
            )
            -- The notice number GPD gave the option, else the one its receipt was paid with (GPD may send none).
            SELECT o.creditor, o.iupd, o.position_status, o.document_id, o.judged, o.iuv, coalesce(o.nav, pd.notice), o.is_partial_payment,
                o.amount_cents,
                o.option_status, pd.receipts, coalesce(pd.cents, 0), pd.document, coalesce(k.keys, 0), coalesce(k.reported, 0),
                coalesce(k.cashed, 0), coalesce(k.reported_cents, 0), coalesce(k.credited_cents, 0), k.flows
            FROM options o
            LEFT JOIN paid pd ON pd.creditor = o.creditor AND pd.iuv = o.iuv
            LEFT JOIN keys k ON k.creditor = o.creditor AND k.iuv = o.iuv
            ORDER BY o.creditor, o.iupd, o.iuv
            """, arguments: ["all": !incremental])
        while let row = try rows.next() {
            let option = PositionFacts.Option(
                iuv: row[5], nav: row[6], isPartialPayment: row[7], amountCents: row[8], gpdStatus: row[9],
                receiptIds: Self.sorted(row[10]), paidCents: row[11], lastReceiptDocument: row[12], keys: row[13], reportedKeys: row[14],
                cashedKeys: row[15], reportedCents: row[16], creditedCents: row[17], flows: Self.sorted(row[18]))
            if let last = positions.last, last.creditor == row[0], last.iupd == row[1] {
                positions[positions.count - 1].options.append(option)
            } else {
                positions.append(PositionFacts(creditor: row[0], iupd: row[1], gpdStatus: row[2], document: row[3], options: [option],
                                               judged: row[4]))
            }
        }
        return positions
    }

    private static func sorted(_ list: String?) -> [String] {
        list.map { Set($0.split(whereSeparator: { $0 == "|" || $0 == "," }).map(String.init)).sorted() } ?? []
    }

    func positionStatusWriter(asOf: CivilDate) throws -> PositionStatusWriter { try PositionStatusWriter(db, day: asOf.description) }

    /// Stores each position's derived status and figures when they differ from the stored row; the
    /// day of change (and the status before it) moves only when the status itself changes. A judged
    /// position's options are noted as items, so its `POSITION_STATUS_MISMATCH` resolves when gone.
    struct PositionStatusWriter {
        private let day: String
        private let stored: RawStatement
        private let upsert: RawStatement
        private let noteItem: RawStatement

        fileprivate init(_ db: Database, day: String) throws {
            self.day = day
            stored = try RawStatement(db, """
                SELECT status, previous_status, changed_on, gpd_status, notice_numbers, due_cents, paid_cents, reported_cents,
                    credited_cents, receipts, flows
                FROM position_verdict WHERE creditor_fiscal_code = ? AND iupd = ?
                """)
            // Updated in place, so that a verdict keeps its place in arrival order (v17) and its key entry.
            let columns = ["status", "previous_status", "changed_on", "gpd_status", "notice_numbers", "due_cents", "paid_cents",
                           "reported_cents", "credited_cents", "receipts", "flows"]
            upsert = try RawStatement(db, """
                INSERT INTO position_verdict (creditor_fiscal_code, iupd, \(columns.joined(separator: ", ")))
                VALUES (?, ?, \(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                ON CONFLICT (creditor_fiscal_code, iupd) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """)
            noteItem = try RawStatement(db, "INSERT OR IGNORE INTO scope_item (item) VALUES (?)")
        }

        func add(_ position: PositionFacts, status: PositionStatus) throws {
            if position.judged {
                for option in position.options {
                    let item = Discrepancy.item(option: option.iuv, creditor: position.creditor)
                    try noteItem.run { $0.add(item) }
                }
            }
            let join = { (list: [String]) in list.isEmpty ? nil : list.joined(separator: "|") }
            let figures: [String?] = [
                position.gpdStatus, join(position.options.compactMap(\.nav).sorted()), String(position.dueCents), String(position.paidCents),
                String(position.reportedCents), String(position.creditedCents),
                join(Array(Set(position.options.flatMap(\.receiptIds))).sorted()), join(Array(Set(position.options.flatMap(\.flows))).sorted()),
            ]
            let before = try stored.first({ $0.add(position.creditor); $0.add(position.iupd) }) { columns in
                (0..<11).map { columns.text(Int32($0)) }
            }
            if let before, before[0] == status.rawValue, Array(before[3...]) == figures { return }
            let statusChanged = before?[0] != status.rawValue
            let changedOn = statusChanged ? day : before?[2] ?? day
            // A second run on the same day keeps the status the position had before that day.
            let previous = !statusChanged || before?[2] == day ? before?[1] : before?[0]
            try upsert.run {
                $0.add(position.creditor)
                $0.add(position.iupd)
                $0.add(status.rawValue)
                $0.add(previous)
                $0.add(changedOn)
                for (index, value) in figures.enumerated() {
                    if (2...5).contains(index) { $0.add(value.flatMap { Int64($0) }) } else { $0.add(value) }
                }
            }
        }
    }
}

extension Store {
    /// `positions.csv.gz`: the positions whose derived status changed on the as-of date (in a full
    /// listing, all), by creditor and IUPD.
    func positionRows(asOf: CivilDate, everything: Bool, _ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            SELECT creditor_fiscal_code, iupd, status, previous_status, gpd_status, changed_on, notice_numbers, due_cents, paid_cents,
                reported_cents, credited_cents, receipts, flows
            FROM position_verdict \(everything ? "" : "WHERE changed_on = :day") ORDER BY 1, 2
            """, arguments: everything ? [] : ["day": asOf.description], body)
    }
}
