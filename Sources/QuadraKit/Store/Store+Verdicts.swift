import GRDB

extension Store {
    /// Keys whose rows a flow revision changed since the last run, and which that run had already
    /// closed (REPORTED or CASHED): a revision after the books were closed must be looked at.
    func keysRevisedAfterClose() throws -> [TransferKey] {
        try pool.read { db in
            let last = try Int64.fetchOne(db, sql: "SELECT last_document_id FROM reconciliation_run ORDER BY id DESC LIMIT 1") ?? Int64.max
            return try Row.fetchAll(db, sql: """
                SELECT DISTINCT v.receiver_fiscal_code, c.iuv, c.iur, c.transfer_index
                FROM flow_revision_change c JOIN flow_version v ON v.id = c.flow_version_id
                JOIN key_verdict k ON k.creditor_fiscal_code = v.receiver_fiscal_code AND k.iuv = c.iuv AND k.iur = c.iur
                    AND k.transfer_index = c.transfer_index
                WHERE v.document_id > ? AND k.state IN ('REPORTED', 'CASHED')
                ORDER BY 1, 2, 3, 4
                """, arguments: [last]).map {
                TransferKey(creditor: $0[0], iuv: $0[1], iur: $0[2], transferIndex: $0[3])
            }
        }
    }
}

extension Store.ReconciliationPass {
    /// Replaces the stored verdicts with this run's, one key at a time as the keys stream past.
    struct VerdictWriter {
        private let insert: RawStatement
        private let day: String

        fileprivate init(_ db: Database, asOf: CivilDate) throws {
            try db.execute(sql: "DELETE FROM key_verdict")
            insert = try RawStatement(db, """
                INSERT INTO key_verdict (creditor_fiscal_code, iuv, iur, transfer_index, label, anomalies, state, as_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            day = asOf.description
        }

        func add(_ key: TransferKey, _ verdict: Classifier.Verdict) throws {
            try insert.run {
                $0.add(key.creditor)
                $0.add(key.iuv)
                $0.add(key.iur)
                $0.add(key.transferIndex)
                $0.add(verdict.label?.rawValue)
                $0.add(verdict.anomalies.map(\.rawValue).joined(separator: "|"))
                $0.add(verdict.state.rawValue)
                $0.add(day)
            }
        }
    }

    /// Clears the previous run's verdicts; the writer stores this run's.
    func verdictWriter(asOf: CivilDate) throws -> VerdictWriter { try VerdictWriter(db, asOf: asOf) }

    /// Replaces the movement verdicts with this run's and files the discrepancies against the
    /// previous runs': an item seen before stays open, a new one is `new` (first seen on the as-of
    /// date), and one that is gone is `resolved` on the as-of date. Running again for the same as-of
    /// date gives the same statuses.
    func store(movements: [(movementId: String, label: String)], discrepancies: [Discrepancy], keys: Int, asOf: CivilDate) throws {
        let day = asOf.description
        try db.execute(sql: "DELETE FROM movement_verdict")
        let insertMovement = try RawStatement(db, "INSERT INTO movement_verdict (movement_id, label, as_of) VALUES (?, ?, ?)")
        for movement in movements {
            try insertMovement.run {
                $0.add(movement.movementId)
                $0.add(movement.label)
                $0.add(day)
            }
        }
        var previous: [String: (status: String, firstSeen: String, resolvedOn: String?)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT identity, status, first_seen, resolved_on FROM discrepancy") {
            previous[row["identity"]] = (row["status"], row["first_seen"], row["resolved_on"])
        }
        let upsert = try RawStatement(db, """
            INSERT OR REPLACE INTO discrepancy (identity, code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index,
                flow_id, psp_id, treasury_reference, expected_cents, actual_cents, message, first_seen, last_seen, resolved_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """)
        var present = Set<String>()
        for item in discrepancies where present.insert(item.identity).inserted {
            var firstSeen = day
            if let earlier = previous[item.identity], earlier.status != "resolved" || earlier.resolvedOn == day {
                firstSeen = earlier.firstSeen
            }
            try upsert.run {
                $0.add(item.identity)
                $0.add(item.code)
                $0.add(item.severity.rawValue)
                $0.add(firstSeen == day ? "new" : "open")
                $0.add(item.creditor)
                $0.add(item.key?.iuv)
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
            }
        }
        let resolve = try RawStatement(db, "UPDATE discrepancy SET status = 'resolved', resolved_on = ? WHERE identity = ?")
        for (identity, earlier) in previous where !present.contains(identity) && earlier.status != "resolved" {
            try resolve.run {
                $0.add(day)
                $0.add(identity)
            }
        }
        let lastDocument = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM document") ?? 0
        let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM discrepancy WHERE status <> 'resolved'") ?? 0
        try db.execute(sql: "INSERT INTO reconciliation_run (as_of, last_document_id, keys, open_discrepancies) VALUES (?, ?, ?, ?)",
                       arguments: [day, lastDocument, keys, open])
    }
}

extension Store {
    /// Discrepancies by status for an as-of date: open ones, and those resolved on that day.
    func discrepancyCounts(asOf: CivilDate) throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT status, count(*) AS n FROM discrepancy WHERE status <> 'resolved' OR resolved_on = ? GROUP BY status
                """, arguments: [asOf.description]) {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }
}
