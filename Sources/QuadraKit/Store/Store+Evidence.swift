import GRDB

extension Store {
    /// Runs one reconciliation pass in one write transaction: gathers what the store knows about
    /// every transfer key of the served creditors within the look-back in one set-based pass
    /// (temporary tables and joins, never a query per key), and lets `body` classify and store as
    /// the keys stream past, so a million keys never sit in memory at once.
    ///
    /// Keys come from receipt transfers to a served creditor (digital stamps excluded), from the
    /// current rows of flows a served creditor received, and from current payment options marked
    /// paid with no receipt behind them.
    func reconcile<T>(_ creditors: [Creditor], since: CivilDate, _ body: (ReconciliationPass) throws -> T) throws -> T {
        try pool.write { db in
            try Self.prepareEvidenceTables(creditors, since: since, in: db)
            defer {
                try? db.execute(sql: """
                    DROP TABLE temp.served; DROP TABLE temp.recon_key; DROP TABLE temp.key_flow;
                    DROP TABLE temp.flow_credit; DROP TABLE temp.single_credit
                    """)
            }
            return try body(ReconciliationPass(db: db, creditors: creditors))
        }
    }

    /// The evidence of one reconciliation, read inside its transaction; `Store+Verdicts.swift` adds the writing side.
    struct ReconciliationPass {
        let db: Database
        let creditors: [Creditor]

        /// Every key's evidence, in key order.
        func forEachKey(_ body: (KeyEvidence) throws -> Void) throws {
            try Store.keyEvidence(creditors, in: db, body)
        }

        func flows() throws -> [Classifier.FlowEvidence] { try Store.flowEvidence(in: db) }

        func movements() throws -> [(movementId: String, evidence: Classifier.MovementEvidence)] {
            try Store.movementEvidence(in: db)
        }

        func positions() throws -> [Classifier.PositionPayments] { try Store.positionPayments(in: db) }
    }

    private static func prepareEvidenceTables(_ creditors: [Creditor], since: CivilDate, in db: Database) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE served (fiscal_code TEXT PRIMARY KEY, expects_positions INTEGER, expects_treasury INTEGER);
            CREATE TEMP TABLE recon_key (creditor TEXT, iuv TEXT, iur TEXT, idx INTEGER, PRIMARY KEY (creditor, iuv, iur, idx))
                WITHOUT ROWID;
            CREATE TEMP TABLE key_flow (creditor TEXT, iuv TEXT, iur TEXT, idx INTEGER, flow_version_id INTEGER, position INTEGER,
                PRIMARY KEY (creditor, iuv, iur, idx, flow_version_id, position)) WITHOUT ROWID;
            CREATE TEMP TABLE flow_credit (creditor TEXT, flow_id TEXT, net INTEGER, PRIMARY KEY (creditor, flow_id)) WITHOUT ROWID;
            CREATE TEMP TABLE single_credit (creditor TEXT, iuv TEXT, net INTEGER, PRIMARY KEY (creditor, iuv)) WITHOUT ROWID;
            """)
        for creditor in creditors {
            try db.execute(sql: "INSERT INTO served VALUES (?, ?, ?)",
                           arguments: [creditor.fiscalCode, creditor.expectsPositions, creditor.expectsTreasury])
        }
        let from = since.description
        try db.execute(sql: """
            INSERT OR IGNORE INTO recon_key
            SELECT rt.beneficiary_fiscal_code, r.iuv, r.receipt_id, rt.id_transfer
            FROM receipt_transfer rt JOIN receipt r ON r.receipt_id = rt.receipt_id
            JOIN served s ON s.fiscal_code = rt.beneficiary_fiscal_code
            WHERE rt.is_stamp = 0 AND coalesce(r.application_date, substr(r.payment_date_time, 1, 10)) >= ?;

            INSERT OR IGNORE INTO recon_key
            SELECT v.receiver_fiscal_code, fr.iuv, fr.iur, fr.transfer_index
            FROM flow_row fr JOIN flow_version v ON v.id = fr.flow_version_id
            JOIN served s ON s.fiscal_code = v.receiver_fiscal_code
            WHERE v.is_current = 1 AND coalesce(v.settlement_date, substr(v.flow_instant, 1, 10)) >= ?;

            INSERT OR IGNORE INTO recon_key
            SELECT pt.beneficiary_fiscal_code, o.iuv, coalesce(o.id_receipt, ''), pt.id_transfer
            FROM payment_option o JOIN planned_transfer pt ON pt.option_id = o.id
            JOIN served s ON s.fiscal_code = pt.beneficiary_fiscal_code
            WHERE o.is_current = 1 AND pt.is_stamp = 0 AND o.status IN ('PO_PAID', 'PO_PARTIALLY_REPORTED', 'PO_REPORTED')
              AND coalesce(substr(o.payment_date, 1, 10), ?) >= ?
              AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.receipt_id = o.id_receipt)
              AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.fiscal_code = o.creditor_fiscal_code AND r.iuv = o.iuv);

            INSERT INTO key_flow
            SELECT k.creditor, k.iuv, k.iur, k.idx, fr.flow_version_id, fr.position
            FROM recon_key k CROSS JOIN flow_row fr ON fr.iuv = k.iuv AND fr.iur = k.iur AND fr.transfer_index = k.idx
            CROSS JOIN flow_version fv ON fv.id = fr.flow_version_id
            WHERE fv.is_current = 1 AND fv.receiver_fiscal_code = k.creditor;

            INSERT INTO flow_credit
            SELECT creditor_fiscal_code, flow_id, sum(CASE sign WHEN 'reversal' THEN -amount_cents ELSE amount_cents END)
            FROM treasury_movement WHERE flow_id IS NOT NULL AND creditor_fiscal_code IS NOT NULL
            GROUP BY creditor_fiscal_code, flow_id;

            INSERT INTO single_credit
            SELECT creditor_fiscal_code, iuv, sum(CASE sign WHEN 'reversal' THEN -amount_cents ELSE amount_cents END)
            FROM treasury_movement WHERE causale_kind = 'payment' AND iuv IS NOT NULL AND creditor_fiscal_code IS NOT NULL
            GROUP BY creditor_fiscal_code, iuv;
            """, arguments: [from, from, from, from])
    }

    /// The correlated subqueries below pin their access path (`CROSS JOIN`, unary `+`): with no
    /// statistics SQLite may otherwise walk a creditor's whole transfer index once per key. The
    /// current flow rows of each key were found once, into `key_flow` (the inserts above walk the
    /// keys and probe the flow rows, pinned the same way). A receipt has at most one transfer per
    /// index, so its siblings are counted without a DISTINCT (which costs a temporary B-tree per key).
    /// Columns are read by position: by name, each of a million rows would search its forty column
    /// names again.
    private static func keyEvidence(_ creditors: [Creditor], in db: Database, _ body: (KeyEvidence) throws -> Void) throws {
        let ibans = Dictionary(creditors.map { ($0.fiscalCode, Set($0.ibans.map(IBAN.normalized))) }, uniquingKeysWith: { $1 })
        let rows = try Row.fetchCursor(db, sql: """
            SELECT k.creditor, k.iuv, k.iur, k.idx, s.expects_treasury,
                coalesce((SELECT o2.expects_positions FROM served o2 WHERE o2.fiscal_code = coalesce(r.fiscal_code, k.creditor)), 0)
                    AS expects_positions,
                rt.amount_cents AS rt_amount, coalesce(r.application_date, substr(r.payment_date_time, 1, 10)) AS payment_day,
                r.psp_id, r.stand_in, rt.iban AS rt_iban, rt.taxonomy_code AS rt_code, rt.transfer_category,
                r.payment_amount_cents,
                (SELECT sum(x.amount_cents) FROM receipt_transfer x WHERE x.receipt_id = r.receipt_id
                    AND +x.beneficiary_fiscal_code = k.creditor AND x.is_stamp = 0) AS share,
                (SELECT max(te.valid_from <= coalesce(r.application_date, substr(r.payment_date_time, 1, 10))
                            AND coalesce(r.application_date, substr(r.payment_date_time, 1, 10)) < te.valid_to)
                    FROM taxonomy_entry te WHERE te.code = rt.taxonomy_code) AS taxonomy_valid,
                o.amount_cents AS option_amount, pt.amount_cents AS planned_amount, p.iupd, pt.beneficiary_fiscal_code AS planned_beneficiary,
                pt.iban AS planned_iban, pt.taxonomy_code AS planned_code, p.status AS position_status, o.status AS option_status,
                substr(o.due_date, 1, 10) AS due_date,
                fr.amount_cents AS iuf_amount, fr.outcome, v.flow_id, v.psp_id AS flow_psp, v.revision, v.settlement_date,
                v.computed_total_cents, coalesce(fc.net, 0) AS credited,
                sc.net AS single_credit,
                (SELECT count(*) FROM receipt y CROSS JOIN receipt_transfer x ON x.receipt_id = y.receipt_id
                    WHERE y.iuv = k.iuv AND x.id_transfer = k.idx AND +x.beneficiary_fiscal_code = k.creditor AND x.is_stamp = 0)
                    AS sibling_receipts,
                (SELECT count(DISTINCT z.iur) FROM flow_row z JOIN flow_version w ON w.id = z.flow_version_id
                    WHERE w.is_current = 1 AND w.receiver_fiscal_code = k.creditor AND z.iuv = k.iuv AND z.transfer_index = k.idx) AS sibling_iurs
            FROM recon_key k
            JOIN served s ON s.fiscal_code = k.creditor
            LEFT JOIN receipt_transfer rt ON rt.receipt_id = k.iur AND rt.id_transfer = k.idx
                AND rt.beneficiary_fiscal_code = k.creditor AND rt.is_stamp = 0
            LEFT JOIN receipt r ON r.receipt_id = rt.receipt_id
            LEFT JOIN payment_option o ON o.is_current = 1 AND o.creditor_fiscal_code = coalesce(r.fiscal_code, k.creditor) AND o.iuv = k.iuv
            LEFT JOIN debt_position p ON p.id = o.position_id
            LEFT JOIN planned_transfer pt ON pt.option_id = o.id AND pt.id_transfer = k.idx
            LEFT JOIN flow_version v ON v.id = (SELECT min(kf.flow_version_id) FROM key_flow kf
                WHERE kf.creditor = k.creditor AND kf.iuv = k.iuv AND kf.iur = k.iur AND kf.idx = k.idx)
            LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.position = (SELECT min(kf.position) FROM key_flow kf
                WHERE kf.creditor = k.creditor AND kf.iuv = k.iuv AND kf.iur = k.iur AND kf.idx = k.idx AND kf.flow_version_id = v.id)
            LEFT JOIN flow_credit fc ON fc.creditor = k.creditor AND fc.flow_id = v.flow_id
            LEFT JOIN single_credit sc ON sc.creditor = k.creditor AND sc.iuv = k.iuv
            ORDER BY k.creditor, k.iuv, k.iur, k.idx
            """)
        while let row = try rows.next() {
            let key = TransferKey(creditor: row[0], iuv: row[1], iur: row[2], transferIndex: row[3])
            var evidence = KeyEvidence(key: key, creditorExpectsPositions: row[5])
            evidence.creditorExpectsTreasury = row[4]
            evidence.creditorIBANs = ibans[key.creditor] ?? []
            if let amount: Int64 = row[6], let day = (row[7] as String?).flatMap(CivilDate.init(iso:)) {
                var paid = KeyEvidence.Paid(amountCents: amount, paymentDay: day, pspId: row[8],
                                            creditorShareCents: row[14], receiptTotalCents: row[13])
                paid.standIn = row[9] ?? false
                paid.iban = row[10]
                paid.taxonomyCode = row[11]
                paid.category = row[12]
                evidence.paid = paid
                evidence.taxonomyValidOnPaymentDay = (row[15] as Int?).map { $0 == 1 }
            }
            if let planned: Int64 = row[17] {
                var plan = KeyEvidence.Planned(amountCents: planned, optionAmountCents: row[16], iupd: row[18], beneficiary: row[19])
                plan.iban = row[20]
                plan.taxonomyCode = row[21]
                plan.positionStatus = row[22]
                plan.optionStatus = row[23]
                plan.dueDate = (row[24] as String?).flatMap(CivilDate.init(iso:))
                if evidence.paid != nil || ["PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"].contains(plan.optionStatus ?? "") {
                    evidence.planned = plan
                }
            }
            if let flowId: String = row[27] {
                evidence.reported = KeyEvidence.Reported(
                    amountCents: row[25], outcome: FlowOutcome(rawValue: row[26] ?? "") ?? .unknown,
                    flowId: flowId, pspId: row[28], revision: row[29],
                    settlementDate: (row[30] as String?).flatMap(CivilDate.init(iso:)),
                    flowTotalCents: row[31], creditedCents: row[32])
            }
            evidence.singleCreditCents = row[33]
            evidence.siblings = .init(receipts: row[34], reportedIURs: row[35])
            try body(evidence)
        }
    }

    /// Paid options of the current positions of creditors that load them, with their receipts counted.
    private static func positionPayments(in db: Database) throws -> [Classifier.PositionPayments] {
        var positions: [Classifier.PositionPayments] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT p.creditor_fiscal_code, p.iupd, o.iuv, o.is_partial_payment,
                count(DISTINCT r.receipt_id) AS receipts, sum(r.payment_amount_cents) AS paid
            FROM debt_position p JOIN served s ON s.fiscal_code = p.creditor_fiscal_code AND s.expects_positions = 1
            JOIN payment_option o ON o.position_id = p.id
            JOIN receipt r ON r.fiscal_code = p.creditor_fiscal_code AND r.iuv = o.iuv
            WHERE p.is_current = 1 AND p.iupd IN (SELECT p2.iupd FROM debt_position p2 JOIN payment_option o2 ON o2.position_id = p2.id
                WHERE p2.is_current = 1
                  AND EXISTS (SELECT 1 FROM recon_key k WHERE k.creditor = p2.creditor_fiscal_code AND k.iuv = o2.iuv))
            GROUP BY p.creditor_fiscal_code, p.iupd, o.iuv
            ORDER BY p.creditor_fiscal_code, p.iupd, o.iuv
            """) {
            let option = Classifier.PositionPayments.Option(iuv: row["iuv"], isPartialPayment: row["is_partial_payment"],
                                                            receipts: row["receipts"], paidCents: row["paid"])
            if let last = positions.last, last.creditor == row["creditor_fiscal_code"], last.iupd == row["iupd"] {
                positions[positions.count - 1].paidOptions.append(option)
            } else {
                positions.append(.init(creditor: row["creditor_fiscal_code"], iupd: row["iupd"], paidOptions: [option]))
            }
        }
        return positions
    }

    /// Credits on served creditors' accounts (reversals are netted into the flows they cancel).
    private static func movementEvidence(in db: Database) throws -> [(movementId: String, evidence: Classifier.MovementEvidence)] {
        try Row.fetchAll(db, sql: """
            SELECT m.movement_id, m.creditor_fiscal_code, coalesce(m.reference, m.movement_id) AS reference, m.amount_cents,
                m.raw_causale, m.causale_kind, m.flow_id, m.iuv,
                CASE
                    WHEN m.flow_id IS NOT NULL THEN EXISTS (SELECT 1 FROM flow_version v WHERE v.is_current = 1
                        AND v.receiver_fiscal_code = m.creditor_fiscal_code AND v.flow_id = m.flow_id)
                    WHEN m.iuv IS NOT NULL THEN EXISTS (SELECT 1 FROM recon_key k WHERE k.creditor = m.creditor_fiscal_code AND k.iuv = m.iuv)
                    ELSE 0 END AS known,
                coalesce((SELECT fc.net <> v.computed_total_cents FROM flow_version v JOIN flow_credit fc
                    ON fc.creditor = v.receiver_fiscal_code AND fc.flow_id = v.flow_id
                    WHERE v.is_current = 1 AND v.receiver_fiscal_code = m.creditor_fiscal_code AND v.flow_id = m.flow_id), 0) AS differs,
                EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = m.movement_id) AS reversed
            FROM treasury_movement m JOIN served s ON s.fiscal_code = m.creditor_fiscal_code
            WHERE m.sign = 'credit'
            ORDER BY m.movement_id
            """).map { row in
            let parsed: Classifier.MovementEvidence.Reference
            if let flow: String = row["flow_id"] { parsed = .flow(flow) } else if let iuv: String = row["iuv"] { parsed = .payment(iuv) } else { parsed = .none }
            return (row["movement_id"], Classifier.MovementEvidence(
                creditor: row["creditor_fiscal_code"], reference: row["reference"], amountCents: row["amount_cents"],
                causale: row["raw_causale"], parsed: parsed, known: row["known"], flowCreditDiffers: row["differs"],
                reversed: row["reversed"]))
        }
    }

    private static func flowEvidence(in db: Database) throws -> [Classifier.FlowEvidence] {
        var findings: [Int64: [FlowFinding]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT f.flow_version_id, f.code, f.detail FROM flow_finding f JOIN flow_version v ON v.id = f.flow_version_id
            JOIN served s ON s.fiscal_code = v.receiver_fiscal_code WHERE v.is_current = 1 ORDER BY f.rowid
            """) {
            if let code = FlowFinding.Code(rawValue: row["code"]) {
                findings[row["flow_version_id"], default: []].append(FlowFinding(code, row["detail"]))
            }
        }
        return try Row.fetchAll(db, sql: """
            SELECT v.id, v.receiver_fiscal_code, v.flow_id, v.psp_id, v.settlement_date, v.computed_total_cents,
                coalesce(fc.net, 0) AS credited, s.expects_treasury
            FROM flow_version v JOIN served s ON s.fiscal_code = v.receiver_fiscal_code
            LEFT JOIN flow_credit fc ON fc.creditor = v.receiver_fiscal_code AND fc.flow_id = v.flow_id
            WHERE v.is_current = 1 AND v.id IN (SELECT flow_version_id FROM key_flow)
            ORDER BY v.receiver_fiscal_code, v.psp_id, v.flow_id
            """).map { row in
            Classifier.FlowEvidence(creditor: row["receiver_fiscal_code"], flowId: row["flow_id"], pspId: row["psp_id"],
                                    settlementDate: (row["settlement_date"] as String?).flatMap(CivilDate.init(iso:)),
                                    totalCents: row["computed_total_cents"], creditedCents: row["credited"],
                                    findings: findings[row["id"]] ?? [], creditorExpectsTreasury: row["expects_treasury"])
        }
    }
}
