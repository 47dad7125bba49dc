import GRDB

extension Store {
    /// Keys whose rows a flow revision changed since the last run, and which that run had already
    /// closed (REPORTED or CASHED): a revision after the books were closed must be looked at. Read
    /// from the flow versions that arrived since (their document index), never the whole history of
    /// revisions, which SQLite without statistics chose to scan.
    func keysRevisedAfterClose() throws -> [TransferKey: (flowId: String?, pspId: String?)] {
        try pool.read { db in
            let last = try Int64.fetchOne(db, sql: "SELECT last_document_id FROM reconciliation_run ORDER BY id DESC LIMIT 1") ?? Int64.max
            var keys: [TransferKey: (flowId: String?, pspId: String?)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT v.receiver_fiscal_code, c.iuv, c.iur, c.transfer_index, v.flow_id, v.psp_id
                FROM flow_version v INDEXED BY flow_version_document CROSS JOIN flow_revision_change c ON c.flow_version_id = v.id
                JOIN key_verdict k ON k.creditor_fiscal_code = v.receiver_fiscal_code AND k.iuv = c.iuv AND k.iur = c.iur
                    AND k.transfer_index = c.transfer_index
                WHERE v.document_id > ? AND k.state IN ('REPORTED', 'CASHED')
                ORDER BY 1, 2, 3, 4
                """, arguments: [last]) {
                keys[TransferKey(creditor: row[0], iuv: row[1], iur: row[2], transferIndex: row[3])] = (row[4], row[5])
            }
            return keys
        }
    }
}

extension Store.ReconciliationPass {
    /// Stores this pass's verdicts: a key, flow or movement whose verdict row is what the store
    /// already holds costs no write; one that changed keeps the day (`changed_on`) and, for keys,
    /// the label and state it had before that day. Every item classified is noted, so that only its
    /// discrepancies can be resolved.
    struct VerdictWriter {
        private let db: Database
        private let day: String
        private let upsertKey: RawStatement
        private let upsertFlow: RawStatement
        private let upsertMovement: RawStatement
        private let noteItem: RawStatement
        private let dayTotals = PaymentDayTotalsChange()

        fileprivate init(_ db: Database, asOf: CivilDate) throws {
            self.db = db
            day = asOf.description
            // Updated in place, not replaced: a replacing insert deletes the row and every index
            // entry of it and inserts them again.
            upsertKey = try RawStatement(db, """
                INSERT INTO key_verdict (creditor_fiscal_code, iuv, iur, transfer_index, \(Self.keyVerdictColumns.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, \(Array(repeating: "?", count: Self.keyVerdictColumns.count).joined(separator: ", ")))
                ON CONFLICT (creditor_fiscal_code, iuv, iur, transfer_index) DO UPDATE SET
                    \(Self.keyVerdictColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """)
            upsertFlow = try RawStatement(db, """
                INSERT OR REPLACE INTO flow_verdict (receiver_fiscal_code, psp_id, flow_id, flow_version_id, revision,
                    settlement_date, settlement_reference, rows, declared_total_cents, computed_total_cents, credited_cents,
                    credit_status, findings, open, credited_on, days_late, changed_on, previous_credit_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            upsertMovement = try RawStatement(db, """
                INSERT OR REPLACE INTO movement_verdict (movement_id, label, changed_on, previous_label) VALUES (?, ?, ?, ?)
                """)
            noteItem = try RawStatement(db, "INSERT OR IGNORE INTO scope_item (item) VALUES (?)")
        }

        /// Where the columns of `payment_day_total` are among a verdict row's compared columns
        /// (`Store.StoredKey.stored`: the verdict's four, then the facts).
        private static let dayTotalColumns = ["state", "payment_day", "rt_amount_cents", "taxonomy_code", "beneficiary_iban"]
            .map { keyVerdictColumns.firstIndex(of: $0)! }

        /// A key verdict's columns after its key, in the order `add` binds them.
        private static let keyVerdictColumns = [
            "label", "anomalies", "state", "open", "receipt_id", "payment_day", "psp_id", "rt_amount_cents", "iud_amount_cents",
            "iuf_amount_cents", "iuf", "flow_psp_id", "flow_revision", "settlement_reference", "settlement_date", "tes_amount_cents",
            "tes_references", "taxonomy_code", "beneficiary_iban", "iupd", "debtor_id", "changed_on", "previous_label", "previous_state",
        ]

        /// Stores a key's verdict if it differs from the stored one; true when it did.
        @discardableResult
        func add(_ key: TransferKey, _ verdict: Classifier.Verdict, open: Bool, _ record: Store.StoredKey) throws -> Bool {
            try note(Discrepancy.item(key: key))
            // The verdict, then the facts: compared and bound in place, never joined into one array.
            let verdictColumns: [DatabaseValue] = [verdict.label?.rawValue.databaseValue ?? .null,
                                                   verdict.anomalies.map(\.rawValue).joined(separator: "|").databaseValue,
                                                   verdict.state.rawValue.databaseValue, open.databaseValue]
            if let stored = record.stored, stored.count == verdictColumns.count + record.facts.count,
               stored[..<verdictColumns.count].elementsEqual(verdictColumns),
               stored[verdictColumns.count...].elementsEqual(record.facts) { return false }
            if let stored = record.stored { try countDayTotal(key.creditor, stored, sign: -1) }
            try countDayTotal(key.creditor, verdictColumns + record.facts, sign: 1)
            let previousLabel = before(record.stored.flatMap { String.fromDatabaseValue($0[0]) }, record.changedOn, record.previousLabel)
            let previousState = before(record.stored.flatMap { String.fromDatabaseValue($0[2]) }, record.changedOn, record.previousState)
            try upsertKey.run {
                $0.add(key.creditor)
                $0.add(key.iuv)
                $0.add(key.iur)
                $0.add(key.transferIndex)
                for value in verdictColumns { $0.add(value) }
                for value in record.facts { $0.add(value) }
                $0.add(day)
                $0.add(previousLabel)
                $0.add(previousState)
            }
            return true
        }

        /// What a verdict changing tonight was before: what is stored, unless a run earlier the same
        /// day changed it already; then what it was before that run, so a second run keeps the night's
        /// `new` or `changed`.
        private func before(_ stored: String?, _ changedOn: String?, _ previous: String?) -> String? {
            Store.ReconciliationPass.before(stored, changedOn: changedOn, previous: previous, day: day)
        }

        private func countDayTotal(_ creditor: String, _ row: [DatabaseValue], sign: Int64) throws {
            let column = Self.dayTotalColumns.map { row[$0] }
            try dayTotals.count(creditor: creditor, state: String.fromDatabaseValue(column[0]), day: String.fromDatabaseValue(column[1]),
                                cents: Int64.fromDatabaseValue(column[2]), code: String.fromDatabaseValue(column[3]),
                                iban: String.fromDatabaseValue(column[4]), sign: sign)
        }

        /// Writes what the keys' verdicts changed in `payment_day_total`; called once the keys are done.
        func finishKeys() throws {
            try dayTotals.write(in: db)
        }

        /// Stores a flow's verdict row if it differs from the stored one; `findings` are those that stand
        /// tonight (`Classifier.findings(of:served:)`), not always all its ingest found.
        func add(_ flow: Store.FlowRecord, status: FlowCreditStatus, findings: [FlowFinding], daysLate: Int?, open: Bool) throws {
            try note(Discrepancy.item(flow: flow.evidence.flowId, psp: flow.evidence.pspId, creditor: flow.evidence.creditor))
            let findings = findings.isEmpty ? nil : Set(findings.map(\.code.rawValue)).sorted().joined(separator: "|")
            let row: [DatabaseValue] = [flow.versionId.databaseValue, flow.revision.databaseValue,
                                        flow.evidence.settlementDate?.description.databaseValue ?? .null,
                                        flow.settlementReference.databaseValue, flow.rows.databaseValue,
                                        flow.declaredTotalCents.databaseValue, flow.evidence.totalCents.databaseValue,
                                        flow.evidence.creditedCents.databaseValue, status.rawValue.databaseValue,
                                        findings.databaseValue, open.databaseValue,
                                        flow.evidence.creditedOn?.description.databaseValue ?? .null, daysLate.databaseValue]
            if flow.stored == row { return }
            try upsertFlow.run {
                $0.add(flow.evidence.creditor)
                $0.add(flow.evidence.pspId)
                $0.add(flow.evidence.flowId)
                for value in row { $0.add(value) }
                $0.add(day)
                $0.add(before(flow.stored.flatMap { String.fromDatabaseValue($0[8]) }, flow.history?.changedOn, flow.history?.previous))
            }
        }

        /// Stores the verdict row of a flow still in parts: `INCOMPLETE`, open, what is missing as its findings.
        func add(incomplete flow: IncompleteFlow, receiver: String) throws {
            try note(Discrepancy.item(flow: flow.flowId, psp: flow.pspId, creditor: receiver))
            let row: [DatabaseValue] = [0.databaseValue, flow.revision.databaseValue, flow.settlementDate.databaseValue, DatabaseValue.null,
                                        flow.pagesPresent.count.databaseValue, DatabaseValue.null, 0.databaseValue, 0.databaseValue,
                                        FlowCreditStatus.incomplete.rawValue.databaseValue, flow.description.databaseValue,
                                        true.databaseValue, DatabaseValue.null, DatabaseValue.null]
            let found = try Row.fetchOne(db, sql: """
                SELECT flow_version_id, revision, settlement_date, settlement_reference, rows, declared_total_cents,
                    computed_total_cents, credited_cents, credit_status, findings, open, credited_on, days_late,
                    changed_on, previous_credit_status
                FROM flow_verdict WHERE receiver_fiscal_code = ? AND psp_id = ? AND flow_id = ?
                """, arguments: [receiver, flow.pspId, flow.flowId])
            let stored = found.map { row in (0..<13).map { row[$0] as DatabaseValue } }
            // A whole revision's verdict stands while a later (or earlier) one is in parts: its keys
            // stay reconciled on it, and the flow is not shown as empty and uncredited meanwhile.
            if let stored, stored[0] != 0.databaseValue || stored == row { return }
            try upsertFlow.run {
                $0.add(receiver)
                $0.add(flow.pspId)
                $0.add(flow.flowId)
                for value in row { $0.add(value) }
                $0.add(day)
                $0.add(before(found?[8], found?[13], found?[14]))
            }
        }

        /// Stores a movement's label if it differs from the stored one.
        func add(movement movementId: String, _ evidence: Classifier.MovementEvidence, label: MovementLabel,
                 stored: Store.StoredMovement?) throws {
            try note(Discrepancy.item(movement: evidence.reference, creditor: evidence.creditor))
            guard stored?.label != label.rawValue else { return }
            try upsertMovement.run {
                $0.add(movementId)
                $0.add(label.rawValue)
                $0.add(day)
                $0.add(before(stored?.label, stored?.history.changedOn, stored?.history.previous))
            }
        }

        /// The credits that changed owner tonight were judged under their new owner: what their former
        /// owner's items raised (the credit's, and its provvisorio's) is gone from them.
        func addFormerOwners() throws {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT coalesce(m.reference, m.movement_id), a.previous, p.fiscal_year, p.number FROM treasury_attribution a
                CROSS JOIN treasury_movement m ON m.movement_id = a.movement_id
                LEFT JOIN provvisorio p ON p.movement_id = a.movement_id
                """)
            while let row = try rows.next() {
                try note(Discrepancy.item(movement: row[0], creditor: row[1]))
                if let year: Int = row[2], let number: String = row[3] {
                    try note(Discrepancy.item(movement: ProvvisorioEvidence.reference(fiscalYear: year, number: number), creditor: row[1]))
                }
            }
        }

        /// A creditor's own items (its sources' silence) were judged.
        func add(creditor fiscalCode: String) throws {
            try note(Discrepancy.item(creditor: fiscalCode))
        }

        /// A position was classified: each of its paid options is an item its discrepancy may name.
        func add(position: Classifier.PositionPayments) throws {
            for option in position.paidOptions { try note(Discrepancy.item(option: option.iuv, creditor: position.creditor)) }
        }

        private func note(_ item: String) throws {
            try noteItem.run { $0.add(item) }
        }
    }

    func verdictWriter(asOf: CivilDate) throws -> VerdictWriter { try VerdictWriter(db, asOf: asOf) }

    /// What a verdict changing on `day` was before: `stored`, unless a run earlier that day changed
    /// it already (`changedOn`); then what it was before that run (`previous`).
    static func before(_ stored: String?, changedOn: String?, previous: String?, day: String) -> String? {
        changedOn == day ? previous : stored
    }

    /// Files this pass's discrepancies against the stored ones: an item seen before stays open, a new
    /// one is `new` (first seen on the as-of date), and one that is gone from an item this pass
    /// classified is `resolved` on the as-of date, or `escalated` when `replacement` names a
    /// discrepancy raised tonight on the same item that takes its place; items not classified keep
    /// theirs. Running again for the same as-of date gives the same statuses. Then forgets the
    /// verdicts of creditors no longer served (their open discrepancies resolved, except those this
    /// pass raised, such as a flow received tonight for the creditor just dropped), records each
    /// creditor's configuration, and logs the run with the marks the next pass starts from.
    func store(discrepancies: [Discrepancy], keys: Int, asOf: CivilDate,
               replacement: (_ code: String, _ severity: Discrepancy.Severity, _ raised: [Discrepancy]) -> String?) throws {
        let day = asOf.description
        try db.execute(sql: "CREATE TEMP TABLE present (identity TEXT PRIMARY KEY) WITHOUT ROWID")
        defer { try? db.execute(sql: "DROP TABLE temp.present") }
        let earlier = try RawStatement(db, "SELECT status, first_seen, resolved_on FROM discrepancy WHERE identity = ?")
        let upsert = try RawStatement(db, """
            INSERT OR REPLACE INTO discrepancy (identity, code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index,
                flow_id, psp_id, treasury_reference, expected_cents, actual_cents, message, first_seen, last_seen, resolved_on,
                replaced_by, item)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
            """)
        let present = try RawStatement(db, "INSERT OR IGNORE INTO present (identity) VALUES (?)")
        var seen = Set<String>()
        var raisedTonight: [String: [Discrepancy]] = [:]
        for item in discrepancies where seen.insert(item.identity).inserted {
            let identity = item.identity
            try present.run { $0.add(identity) }
            var firstSeen = day
            if let (status, first, resolvedOn) = try earlier.first({ $0.add(identity) }, { ($0.text(0), $0.text(1), $0.text(2)) }),
               let first, status == "new" || status == "open" || resolvedOn == day {
                firstSeen = first
            }
            if firstSeen == day { raisedTonight[item.item, default: []].append(item) }
            try upsert.run {
                $0.add(identity)
                $0.add(item.code)
                $0.add(item.severity.rawValue)
                $0.add(firstSeen == day ? "new" : "open")
                $0.add(item.creditor)
                $0.add(item.iuv)
                $0.add(item.key?.iur)
                $0.add(item.key?.transferIndex)
                $0.add(item.flowId)
                $0.add(item.pspId)
                $0.add(item.treasuryReference)
                $0.add(item.expectedCents)
                $0.add(item.actualCents)
                $0.add(item.message)
                $0.add(firstSeen)
                $0.add(day)
                $0.add(item.item)
            }
        }
        let gone = try Row.fetchAll(db, sql: """
            SELECT identity, code, severity, item FROM discrepancy
            WHERE status IN ('new', 'open') AND item IN (SELECT item FROM temp.scope_item)
              AND identity NOT IN (SELECT identity FROM temp.present)
            """)
        let close = try RawStatement(db, "UPDATE discrepancy SET status = ?, resolved_on = ?, replaced_by = ? WHERE identity = ?")
        for row in gone {
            let severity = Discrepancy.Severity(rawValue: row["severity"]) ?? .info
            let replacedBy = replacement(row["code"], severity, raisedTonight[row["item"]] ?? [])
            try close.run {
                $0.add(replacedBy == nil ? "resolved" : "escalated")
                $0.add(day)
                $0.add(replacedBy)
                $0.add(row["identity"] as String)
            }
        }
        try db.execute(sql: """
            CREATE TEMP TABLE removed AS SELECT fiscal_code FROM served_creditor WHERE fiscal_code NOT IN (SELECT fiscal_code FROM scope.served);
            UPDATE discrepancy SET status = 'resolved', resolved_on = :day
            WHERE status IN ('new', 'open') AND creditor_fiscal_code IN (SELECT fiscal_code FROM temp.removed)
              AND identity NOT IN (SELECT identity FROM temp.present);
            DELETE FROM key_verdict WHERE creditor_fiscal_code IN (SELECT fiscal_code FROM temp.removed);
            DELETE FROM payment_day_total WHERE creditor_fiscal_code IN (SELECT fiscal_code FROM temp.removed);
            DROP TABLE temp.removed;
            """, arguments: ["day": day])
        try db.execute(sql: "DELETE FROM served_creditor; DELETE FROM treasury_attribution")
        let serve = try RawStatement(db, "INSERT INTO served_creditor (fiscal_code, digest, name) VALUES (?, ?, ?)")
        for creditor in creditors {
            let digest = ReconciliationScope.digest(creditor)
            try serve.run {
                $0.add(creditor.fiscalCode)
                $0.add(digest)
                $0.add(creditor.name)
            }
        }
        let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM discrepancy WHERE status IN ('new', 'open')") ?? 0
        try db.execute(sql: """
            INSERT INTO reconciliation_run (as_of, last_document_id, keys, open_discrepancies, engine, receipt_mark, flow_mark,
                position_mark, movement_mark, since)
            VALUES (?, ?, ?, ?, 3, ?, ?, ?, ?, ?)
            """, arguments: [day, marks.document, keys, open, marks.receipt, marks.flow, marks.position, marks.movement,
                             marks.since?.description])
    }
}

extension Store {
    /// Discrepancies by status for an as-of date: open ones, and those resolved or escalated on that day.
    func discrepancyCounts(asOf: CivilDate) throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT status, count(*) AS n FROM discrepancy WHERE status IN ('new', 'open') GROUP BY status
                UNION ALL SELECT status, count(*) FROM discrepancy WHERE resolved_on = ? AND status IN ('resolved', 'escalated')
                GROUP BY status
                """, arguments: [asOf.description]) {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }

    /// The open "revised after close" events, with the day each was first seen: for a key revised by
    /// several flows, the one seen last (the one a day keeps).
    func openRevisionEvents() throws -> [TransferKey: (flowId: String?, pspId: String?, firstSeen: String)] {
        try pool.read { db in
            var events: [TransferKey: (flowId: String?, pspId: String?, firstSeen: String)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT creditor_fiscal_code, iuv, iur, transfer_index, flow_id, psp_id, first_seen FROM discrepancy
                WHERE code = 'FDR_REVISED_AFTER_CLOSE' AND status IN ('new', 'open') ORDER BY first_seen, identity
                """) {
                events[TransferKey(creditor: row[0], iuv: row[1], iur: row[2], transferIndex: row[3])] = (row[4], row[5], row[6])
            }
            return events
        }
    }
}
