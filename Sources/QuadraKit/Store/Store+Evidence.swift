import Foundation
import GRDB

extension Store {
    /// Runs one reconciliation pass in one write transaction of the store: finds the keys, flows and
    /// movements to classify, gathers their evidence set-based (tables of the pass and joins, never a
    /// query per key), and lets `body` classify and store as the keys stream past, so a million keys
    /// never sit in memory at once.
    ///
    /// A pass looks at what the store received since the previous pass and at what is still open;
    /// with `everything`, or when no incremental pass ran before, at every key of the look-back (see
    /// `ReconciliationScope` for why both give the same verdicts).
    ///
    /// Keys come from receipt transfers to a served creditor (digital stamps excluded), from the
    /// current rows of flows a served creditor received, and from current payment options marked
    /// paid with no receipt behind them.
    func reconcile<T>(_ creditors: [Creditor], since: CivilDate, everything: Bool,
                      _ body: (ReconciliationPass) throws -> T) throws -> T {
        let scratch = ReconciliationScope.scratchPath(forStore: Self.resolvedPath(path))
        try? FileManager.default.removeItem(atPath: scratch)
        try Self.createPrivately(scratch, groupReadable: false)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        return try pool.writeWithoutTransaction { db in
            // The pass's own tables (a row per key in scope, four times over) go to files rather than
            // memory: a first night of a million receipts held them whole (peak RSS 1.21 GB). Their two
            // caches (the temporary file's and the scratch file's) take 32 MiB each, what one took
            // before the evidence reader added its own (a million receipts: 850 MB, 917 MB with 64 MiB
            // each). Changing `temp_store` drops temporary tables, so it is set outside the
            // transaction, and put back for the ingest's statement journals after.
            try db.execute(sql: "PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -32768")
            defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
            try ReconciliationScope.attach(scratch, in: db)
            defer { try? ReconciliationScope.detach(in: db) }
            // The scope is committed to its scratch file by a transaction of its own, so that the
            // evidence reader (another connection) sees it; of the store it writes only whose each
            // treasury row is and the log of the owners it changed (`ReconciliationScope.attributeTreasury`).
            // Nothing else writes the store between the two transactions: the command holds the store's lock.
            var scope: (previous: RunMarks?, marks: RunMarks)?
            try db.inTransaction(.immediate) {
                let previous = everything ? nil : try RunMarks.last(in: db).flatMap { $0.cover(since) ? $0 : nil }
                scope = (previous, try RunMarks.current(in: db, since: since))
                try ReconciliationScope(previous: previous, creditors: creditors, since: since).prepare(in: db)
                return .commit
            }
            defer { try? ReconciliationScope.drop(in: db) }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(ReconciliationPass(db: db, store: self, scratch: scratch, creditors: creditors,
                                                     incremental: scope!.previous != nil, marks: scope!.marks))
                return .commit
            }
            return result!
        }
    }

    /// The evidence of one reconciliation, read inside its transaction; `Store+Verdicts.swift` adds the writing side.
    struct ReconciliationPass {
        let db: Database
        /// For the keys' evidence, read on a connection of its own (`forEachKey`) with the scope's
        /// scratch file attached.
        let store: Store
        let scratch: String
        let creditors: [Creditor]
        /// False when every key of the look-back is classified.
        let incremental: Bool
        /// Where this pass's reading ends, for the next one to start from.
        let marks: RunMarks

        /// Every key's evidence and its stored verdict, in key order. The evidence query runs on a
        /// reader connection and thread of its own while `body` classifies and writes on this one:
        /// reading and writing each take a core. The reader sees the store as the pass found it, since
        /// this pass's writes are not committed until it ends, and the scope from its scratch file.
        func forEachKey(_ body: (KeyEvidence, StoredKey) throws -> Void) throws {
            let (store, scratch, creditors) = (store, scratch, creditors)
            try RowPipe<(KeyEvidence, StoredKey)>.stream(batchSize: 1024, depth: 4, reading: { pipe in
                try store.pool.unsafeRead { db in
                    try ReconciliationScope.attach(scratch, in: db)
                    defer { try? ReconciliationScope.detach(in: db) }
                    try Store.keyEvidence(creditors, in: db) { try pipe.send(($0, $1)) }
                }
            }, writing: { pipe in
                while let batch = try pipe.receive() {
                    for (evidence, stored) in batch { try body(evidence, stored) }
                }
            })
        }

        func flows() throws -> [FlowRecord] { try Store.flowEvidence(in: db) }

        func movements() throws -> [(movementId: String, evidence: Classifier.MovementEvidence, stored: StoredMovement?)] {
            try Store.movementEvidence(in: db)
        }

        func positions() throws -> [Classifier.PositionPayments] { try Store.positionPayments(in: db) }
    }

    /// A key's verdict as stored, and the report columns this pass found for it: the verdict writer
    /// compares the two and writes only what changed.
    struct StoredKey: Sendable {
        /// The report columns (`KeyColumns.facts`), as this pass found them.
        var facts: [DatabaseValue]
        /// The stored row (`KeyColumns.compared`), nil for a key never classified.
        var stored: [DatabaseValue]?
        var changedOn: String?
        var previousLabel: String?
        var previousState: String?
    }

    /// What a stored verdict row remembers of its past: the day it last changed and what it was before
    /// (nil: first judged that day).
    struct VerdictHistory: Sendable {
        var changedOn: String
        var previous: String?
    }

    /// A movement's stored label and its history.
    struct StoredMovement: Sendable {
        var label: String
        var history: VerdictHistory
    }

    /// A current flow with what its verdict row shows.
    struct FlowRecord {
        var versionId: Int64
        var evidence: Classifier.FlowEvidence
        /// The receiver is a served creditor: only then does the flow raise discrepancies.
        var served: Bool
        var revision: Int
        var settlementReference: String?
        var rows: Int
        var declaredTotalCents: Int64?
        var stored: [DatabaseValue]?
        var history: VerdictHistory?
    }

    /// The columns the evidence query reads by position: by name, each of a million rows would search
    /// its sixty column names again. `facts` are the report columns stored with each verdict.
    private enum KeyColumns {
        static let facts: Int32 = 36
        static let factCount: Int32 = 17
        /// Among the facts: the banks' references of the credits, sorted here.
        static let references = 12
        static let stored = facts + factCount
        /// label, anomalies, state, open, then the facts.
        static let comparedCount = 4 + factCount
    }

    /// A code's validity on the payment day is that of its newest table edition (`taxonomy_edition`).
    ///
    /// What a key's receipt and transfer say comes with the key (`recon_key`, see
    /// `ReconciliationScope.paidColumns`): this query reads neither table.
    ///
    /// Each key's current flow rows were found once, into `key_flow`; its siblings (other receipts and
    /// IURs of the same IUV and index) were counted once per IUV and index, into `key_siblings`, so a
    /// flow whose rows all share one IUV costs linear time, not quadratic.
    private static func keyEvidence(_ creditors: [Creditor], in db: Database, _ body: (KeyEvidence, StoredKey) throws -> Void) throws {
        let ibans = Dictionary(creditors.map { ($0.fiscalCode, Set($0.ibans.map(IBAN.normalized))) }, uniquingKeysWith: { $1 })
        let query = try RawStatement(db, """
            SELECT k.creditor, k.iuv, k.iur, k.idx, s.expects_treasury,
                coalesce(o2.expects_positions, 0) AS expects_positions,
                k.amount_cents, k.payment_day, k.psp_id, k.stand_in, k.iban, k.taxonomy_code, k.transfer_category,
                k.receipt_cents, k.share, te.valid_from <= k.payment_day AND k.payment_day < te.valid_to AS taxonomy_valid,
                o.amount_cents AS option_amount, pt.amount_cents AS planned_amount, p.iupd, pt.beneficiary_fiscal_code AS planned_beneficiary,
                pt.iban AS planned_iban, pt.taxonomy_code AS planned_code, p.status AS position_status, o.status AS option_status,
                substr(o.due_date, 1, 10) AS due_date,
                fr.amount_cents AS iuf_amount, fr.outcome, v.flow_id, v.psp_id AS flow_psp, v.revision, v.settlement_date,
                v.computed_total_cents, coalesce(fc.net, 0) AS credited,
                sc.net - sc.outside AS single_credit, coalesce(ks.receipts, 0), coalesce(ks.iurs, 0),

                k.receipt_id, k.payment_day, k.psp_id, k.amount_cents, pt.amount_cents, fr.amount_cents, v.flow_id, v.psp_id,
                v.revision, v.settlement_reference, v.settlement_date,
                CASE WHEN v.flow_id IS NOT NULL THEN fc.net ELSE sc.net END,
                CASE WHEN v.flow_id IS NOT NULL THEN fc.refs ELSE sc.refs END,
                coalesce(k.taxonomy_code, pt.taxonomy_code), coalesce(k.iban, pt.iban, pt.postal_iban), p.iupd,
                coalesce(k.debtor_id, p.debtor_id),

                kv.label, kv.anomalies, kv.state, kv.open, kv.receipt_id, kv.payment_day, kv.psp_id, kv.rt_amount_cents,
                kv.iud_amount_cents, kv.iuf_amount_cents, kv.iuf, kv.flow_psp_id, kv.flow_revision, kv.settlement_reference,
                kv.settlement_date, kv.tes_amount_cents, kv.tes_references, kv.taxonomy_code, kv.beneficiary_iban, kv.iupd,
                kv.debtor_id, kv.changed_on, kv.previous_label, kv.previous_state
            FROM recon_key k
            JOIN served s ON s.fiscal_code = k.creditor
            LEFT JOIN served o2 ON o2.fiscal_code = coalesce(k.receipt_creditor, k.creditor)
            LEFT JOIN taxonomy_edition te ON te.code = k.taxonomy_code
            LEFT JOIN payment_option o ON o.is_current = 1 AND o.creditor_fiscal_code = coalesce(k.receipt_creditor, k.creditor)
                AND o.iuv = k.iuv
            LEFT JOIN debt_position p ON p.id = o.position_id
            LEFT JOIN planned_transfer pt ON pt.option_id = o.id AND pt.id_transfer = k.idx
            LEFT JOIN flow_version v ON v.id = (SELECT min(kf.flow_version_id) FROM key_flow kf
                WHERE kf.creditor = k.creditor AND kf.iuv = k.iuv AND kf.iur = k.iur AND kf.idx = k.idx)
            LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.position = (SELECT min(kf.position) FROM key_flow kf
                WHERE kf.creditor = k.creditor AND kf.iuv = k.iuv AND kf.iur = k.iur AND kf.idx = k.idx AND kf.flow_version_id = v.id)
            LEFT JOIN flow_credit fc ON fc.creditor = k.creditor AND fc.flow_id = v.flow_id
            LEFT JOIN single_credit sc ON sc.creditor = k.creditor AND sc.iuv = k.iuv
            LEFT JOIN key_siblings ks ON ks.creditor = k.creditor AND ks.iuv = k.iuv AND ks.idx = k.idx
            LEFT JOIN key_verdict kv ON kv.creditor_fiscal_code = k.creditor AND kv.iuv = k.iuv AND kv.iur = k.iur
                AND kv.transfer_index = k.idx
            ORDER BY k.creditor, k.iuv, k.iur, k.idx
            """)
        // Read straight from SQLite's columns rather than through GRDB's `Row`: decoding the 120,064
        // keys of 100,000 receipts went from 0.8 s to 0.5 s of CPU (perf).
        try query.forEachRow { row in
            let key = TransferKey(creditor: row.text(0) ?? "", iuv: row.text(1) ?? "", iur: row.text(2) ?? "",
                                  transferIndex: Int(row.int64(3)))
            var evidence = KeyEvidence(key: key, creditorExpectsPositions: row.int64(5) != 0)
            evidence.creditorExpectsTreasury = row.int64(4) != 0
            evidence.creditorIBANs = ibans[key.creditor] ?? []
            if let amount = row.int64OrNil(6), let day = row.text(7).flatMap(CivilDate.init(iso:)) {
                var paid = KeyEvidence.Paid(amountCents: amount, paymentDay: day, pspId: row.text(8) ?? "",
                                            creditorShareCents: row.int64(14), receiptTotalCents: row.int64(13))
                paid.standIn = row.int64(9) != 0
                paid.iban = row.text(10)
                paid.taxonomyCode = row.text(11)
                paid.category = row.text(12)
                evidence.paid = paid
                evidence.taxonomyValidOnPaymentDay = row.int64OrNil(15).map { $0 == 1 }
            }
            if let planned = row.int64OrNil(17) {
                var plan = KeyEvidence.Planned(amountCents: planned, optionAmountCents: row.int64(16), iupd: row.text(18) ?? "",
                                               beneficiary: row.text(19) ?? "")
                plan.iban = row.text(20)
                plan.taxonomyCode = row.text(21)
                plan.positionStatus = row.text(22)
                plan.optionStatus = row.text(23)
                plan.dueDate = row.text(24).flatMap(CivilDate.init(iso:))
                if evidence.paid != nil || ["PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"].contains(plan.optionStatus ?? "") {
                    evidence.planned = plan
                }
            }
            if let flowId = row.text(27) {
                evidence.reported = KeyEvidence.Reported(
                    amountCents: row.int64OrNil(25), outcome: FlowOutcome(rawValue: row.text(26) ?? "") ?? .unknown,
                    flowId: flowId, pspId: row.text(28) ?? "", revision: Int(row.int64(29)),
                    settlementDate: row.text(30).flatMap(CivilDate.init(iso:)),
                    flowTotalCents: row.int64(31), creditedCents: row.int64(32))
            }
            evidence.singleCreditCents = row.int64OrNil(33)
            evidence.siblings = .init(receipts: Int(row.int64(34)), reportedIURs: Int(row.int64(35)))

            var facts = (KeyColumns.facts..<KeyColumns.stored).map { row.value($0) }
            if let list = String.fromDatabaseValue(facts[KeyColumns.references]) {
                facts[KeyColumns.references] = Self.sortedList(list).databaseValue
            }
            let changedOn = row.text(KeyColumns.stored + KeyColumns.comparedCount)
            let stored = changedOn == nil ? nil : (KeyColumns.stored..<KeyColumns.stored + KeyColumns.comparedCount).map { row.value($0) }
            try body(evidence, StoredKey(facts: facts, stored: stored, changedOn: changedOn,
                                         previousLabel: row.text(KeyColumns.stored + KeyColumns.comparedCount + 1),
                                         previousState: row.text(KeyColumns.stored + KeyColumns.comparedCount + 2)))
        }
    }

    /// The payment's operating day D of receipt `r`: `applicationDate`, else the date of `paymentDateTime`.
    static let paymentDay = "coalesce(r.application_date, substr(r.payment_date_time, 1, 10))"

    /// A `|`- or `,`-joined list of the store's, sorted and `|`-joined: the same references always read the same.
    static func sortedList(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: ",") }) else { return text }
        return text.split(whereSeparator: { $0 == "|" || $0 == "," }).map(String.init).sorted().joined(separator: "|")
    }

    /// Paid options of the current positions of creditors that load them, with their receipts counted:
    /// the positions holding an option of a key of this pass (`key_position`).
    private static func positionPayments(in db: Database) throws -> [Classifier.PositionPayments] {
        var positions: [Classifier.PositionPayments] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT p.creditor_fiscal_code, p.iupd, o.iuv, o.is_partial_payment,
                count(DISTINCT r.receipt_id) AS receipts, sum(r.payment_amount_cents) AS paid, min(r.payment_amount_cents) AS one
            FROM key_position t CROSS JOIN debt_position p ON p.id = t.id
            JOIN served s ON s.fiscal_code = p.creditor_fiscal_code AND s.expects_positions = 1
            CROSS JOIN payment_option o ON o.position_id = p.id
            CROSS JOIN receipt r ON r.fiscal_code = p.creditor_fiscal_code AND r.iuv = o.iuv
            WHERE p.is_current = 1
            GROUP BY p.creditor_fiscal_code, p.iupd, o.iuv
            ORDER BY p.creditor_fiscal_code, p.iupd, o.iuv
            """) {
            let option = Classifier.PositionPayments.Option(iuv: row["iuv"], isPartialPayment: row["is_partial_payment"],
                                                            receipts: row["receipts"], paidCents: row["paid"], onePaymentCents: row["one"])
            if let last = positions.last, last.creditor == row["creditor_fiscal_code"], last.iupd == row["iupd"] {
                positions[positions.count - 1].paidOptions.append(option)
            } else {
                positions.append(.init(creditor: row["creditor_fiscal_code"], iupd: row["iupd"], paidOptions: [option]))
            }
        }
        return positions
    }

    /// The credits of this pass (`scope_movement`), with no creditor when theirs is not served;
    /// a credit the bank reversed counts for nothing in what its flow or IUV received (`standing`).
    /// A payment credit is known when a key of its creditor and IUV has a verdict: keys are
    /// classified before movements, so that includes this pass's keys; what it should total is what its
    /// keys' receipts that no flow reports paid the creditor (nothing, when a flow reports them all: the
    /// flow's credit pays them). A credit counts before another when booked
    /// before it and not reversed since. A flow credit may name a flow whose parts are still arriving
    /// (`flow_part` not yet assembled).
    private static func movementEvidence(in db: Database) throws -> [(movementId: String, evidence: Classifier.MovementEvidence, stored: StoredMovement?)] {
        try Row.fetchAll(db, sql: """
            SELECT m.movement_id, s.fiscal_code AS creditor_fiscal_code, coalesce(m.reference, m.movement_id) AS reference, m.amount_cents,
                m.raw_causale, m.causale_kind, m.flow_id, m.iuv,
                CASE
                    WHEN m.flow_id IS NOT NULL THEN EXISTS (SELECT 1 FROM flow_version v WHERE v.is_current = 1
                        AND v.receiver_fiscal_code = m.creditor_fiscal_code AND v.flow_id = m.flow_id)
                    WHEN m.iuv IS NOT NULL THEN EXISTS (SELECT 1 FROM key_verdict k
                        WHERE k.creditor_fiscal_code = m.creditor_fiscal_code AND k.iuv = m.iuv)
                    ELSE 0 END AS known,
                m.flow_id IS NOT NULL AND EXISTS (SELECT 1 FROM flow_part p WHERE p.assembled = 0 AND p.flow_id = m.flow_id
                    AND coalesce(p.receiver_fiscal_code, m.creditor_fiscal_code) = m.creditor_fiscal_code) AS awaits_parts,
                v.computed_total_cents AS flow_total,
                \(credits(ofSame: "n.creditor_fiscal_code = v.receiver_fiscal_code AND n.flow_id = v.flow_id", as: "flow")),
                (SELECT sum(CASE WHEN k.iuf IS NULL THEN k.rt_amount_cents ELSE 0 END) FROM key_verdict k
                    WHERE k.creditor_fiscal_code = m.creditor_fiscal_code AND k.iuv = m.iuv AND k.rt_amount_cents IS NOT NULL
                      AND m.flow_id IS NULL) AS paid_total,
                (SELECT sum(k.rt_amount_cents) FROM key_verdict k WHERE k.creditor_fiscal_code = m.creditor_fiscal_code
                    AND k.iuv = m.iuv AND k.label = '\(Label.rtTes.rawValue)' AND m.flow_id IS NULL) AS paid_covered,
                \(credits(ofSame: "n.iuv = m.iuv AND n.causale_kind = 'payment' AND n.creditor_fiscal_code = m.creditor_fiscal_code",
                          as: "paid")),
                EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = m.movement_id) AS reversed,
                mv.label AS stored, mv.changed_on, mv.previous_label
            FROM scope_movement sm CROSS JOIN treasury_movement m ON m.movement_id = sm.movement_id
            LEFT JOIN served s ON s.fiscal_code = m.creditor_fiscal_code
            LEFT JOIN flow_version v ON v.is_current = 1 AND v.receiver_fiscal_code = m.creditor_fiscal_code AND v.flow_id = m.flow_id
            LEFT JOIN movement_verdict mv ON mv.movement_id = m.movement_id
            WHERE m.sign = 'credit'
            ORDER BY m.movement_id
            """).map { row in
            let parsed: Classifier.MovementEvidence.Reference
            if let flow: String = row["flow_id"] { parsed = .flow(flow) } else if let iuv: String = row["iuv"] { parsed = .payment(iuv) } else { parsed = .none }
            var credit: Classifier.MovementEvidence.FlowCredit?
            if let total: Int64 = row["flow_total"] {
                credit = .init(totalCents: total, netCents: row["flow_net"] ?? 0, creditedBeforeCents: row["flow_before"] ?? 0)
            } else if let total: Int64 = row["paid_total"] {
                let covered: Int64 = row["paid_covered"] ?? 0
                credit = .init(totalCents: total, netCents: row["paid_net"] ?? 0, creditedBeforeCents: row["paid_before"] ?? 0,
                               coveredCents: covered)
            }
            return (row["movement_id"], Classifier.MovementEvidence(
                creditor: row["creditor_fiscal_code"], reference: row["reference"], amountCents: row["amount_cents"],
                causale: row["raw_causale"], parsed: parsed, known: row["known"], flowCredit: credit,
                reversed: row["reversed"], awaitsParts: row["awaits_parts"]),
                    (row["stored"] as String?).map { StoredMovement(label: $0, history: VerdictHistory(changedOn: row["changed_on"],
                                                                                                       previous: row["previous_label"])) })
        }
    }

    /// Booking order of the credits `m` (of one flow or IUV): by booking date, then bank reference, then
    /// movement id, so that two credits of one day with the same reference (one credit read from two
    /// channels, an OPI journal and a home-banking export) are still one before the other; with the
    /// reference last, each counted the other after it and both matched, the excess unnamed.
    static func bookingOrder(_ m: String) -> String {
        "\(m).booking_date, coalesce(\(m).reference, \(m).movement_id), \(m).movement_id"
    }

    /// Whether credit `n` comes before credit `m` in booking order (`bookingOrder`).
    static func booked(_ n: String, before m: String) -> String {
        "(\(bookingOrder(n))) < (\(bookingOrder(m)))"
    }

    /// The columns `<name>_net` and `<name>_before` of movement `m`'s query: what the credits `same` picks
    /// among `n` (those of `m`'s flow, or of its IUV) bring that still stands, all of them and those
    /// booked before `m`.
    private static func credits(ofSame same: String, as name: String) -> String {
        """
        (SELECT sum(\(standing("n"))) FROM treasury_movement n WHERE \(same)) AS \(name)_net,
        (SELECT coalesce(sum(\(standing("n"))), 0) FROM treasury_movement n WHERE \(same)
            AND \(booked("n", before: "m"))) AS \(name)_before
        """
    }

    /// The current flows of this pass (`scope_flow`), served or not: every one gets a verdict row,
    /// only a served creditor's raises discrepancies.
    private static func flowEvidence(in db: Database) throws -> [FlowRecord] {
        var findings: [Int64: [FlowFinding]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT f.flow_version_id, f.code, f.detail FROM scope_flow sf
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = sf.receiver AND v.psp_id = sf.psp AND v.flow_id = sf.flow_id
                AND v.is_current = 1
            CROSS JOIN flow_finding f ON f.flow_version_id = v.id ORDER BY f.rowid
            """) {
            if let code = FlowFinding.Code(rawValue: row["code"]) {
                findings[row["flow_version_id"], default: []].append(FlowFinding(code, row["detail"]))
            }
        }
        return try Row.fetchAll(db, sql: """
            SELECT v.id, v.receiver_fiscal_code, v.flow_id, v.psp_id, v.settlement_date, v.computed_total_cents,
                coalesce(fc.net, 0) AS credited, coalesce(s.expects_treasury, 0) AS expects_treasury, s.fiscal_code IS NOT NULL AS served,
                v.revision, v.settlement_reference, v.computed_count, v.declared_total_cents,
                (SELECT min(c.booking_date) FROM (
                    SELECT m.booking_date, sum(\(standing("m"))) OVER (ORDER BY \(bookingOrder("m"))) AS cumulated
                    FROM treasury_movement m WHERE m.creditor_fiscal_code = v.receiver_fiscal_code AND m.flow_id = v.flow_id
                      AND m.sign = 'credit') c WHERE c.cumulated >= v.computed_total_cents) AS credited_on,
                fv.flow_version_id AS s0, fv.revision AS s1, fv.settlement_date AS s2, fv.settlement_reference AS s3, fv.rows AS s4,
                fv.declared_total_cents AS s5, fv.computed_total_cents AS s6, fv.credited_cents AS s7, fv.credit_status AS s8,
                fv.findings AS s9, fv.open AS s10, fv.credited_on AS s11, fv.days_late AS s12,
                fv.changed_on, fv.previous_credit_status
            FROM scope_flow sf
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = sf.receiver AND v.psp_id = sf.psp AND v.flow_id = sf.flow_id
                AND v.is_current = 1
            LEFT JOIN served s ON s.fiscal_code = v.receiver_fiscal_code
            LEFT JOIN flow_credit fc ON fc.creditor = v.receiver_fiscal_code AND fc.flow_id = v.flow_id
            LEFT JOIN flow_verdict fv ON fv.receiver_fiscal_code = v.receiver_fiscal_code AND fv.psp_id = v.psp_id AND fv.flow_id = v.flow_id
            ORDER BY v.receiver_fiscal_code, v.psp_id, v.flow_id
            """).map { row in
            let id: Int64 = row["id"]
            var evidence = Classifier.FlowEvidence(
                creditor: row["receiver_fiscal_code"], flowId: row["flow_id"], pspId: row["psp_id"],
                settlementDate: (row["settlement_date"] as String?).flatMap(CivilDate.init(iso:)),
                totalCents: row["computed_total_cents"], creditedCents: row["credited"],
                findings: findings[id] ?? [], creditorExpectsTreasury: row["expects_treasury"])
            evidence.creditedOn = (row["credited_on"] as String?).flatMap(CivilDate.init(iso:))
            evidence.declaredTotalCents = row["declared_total_cents"]
            let stored: [DatabaseValue]? = row["s0"] == nil ? nil : (0...12).map { row["s\($0)"] as DatabaseValue }
            return FlowRecord(versionId: id, evidence: evidence, served: row["served"], revision: row["revision"],
                              settlementReference: row["settlement_reference"], rows: row["computed_count"],
                              declaredTotalCents: row["declared_total_cents"], stored: stored,
                              history: (row["changed_on"] as String?).map { VerdictHistory(changedOn: $0, previous: row["previous_credit_status"]) })
        }
    }

    /// A credit adds its amount, a reversal takes it back.
    /// What movement `m` brings that is still there: a credit the bank has not reversed, in full; a
    /// reversal nothing, since it takes away the credit it is linked to (`linkReversals`), whatever
    /// its own causale names, and one whose credit is not in the store takes away nothing counted.
    static func standing(_ m: String) -> String {
        """
        CASE WHEN \(m).sign = 'credit' AND NOT EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = \(m).movement_id)
            THEN \(m).amount_cents ELSE 0 END
        """
    }
}
