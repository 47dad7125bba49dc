import GRDB

extension Store {
    /// Stores the provvisorio fields of a treasury document's `SOSPESO ENTRATA` credits and the sospesi
    /// its `REGOLARIZZATO` movements settled; a row already stored (the journal read again) stays as it
    /// is. Returns how many settlements were new.
    static func writeProvvisori(of statement: TreasuryStatement, documentId: Int64, in db: Database) throws -> Int {
        let provvisorio = try RawStatement(db, """
            INSERT INTO provvisorio (movement_id, fiscal_year, number, number_value, receipt_number, effective_date, management_code)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (movement_id) DO NOTHING
            """)
        for movement in statement.movements {
            guard let booked = movement.provvisorio else { continue }
            guard let value = Provvisorio.value(ofNumber: booked.number) else {
                throw DocumentRejection(element: movement.element, reason: "provvisorio number '\(booked.number)' is not a number")
            }
            try provvisorio.run {
                $0.add(movement.movementId)
                $0.add(booked.fiscalYear)
                $0.add(booked.number)
                $0.add(value)
                $0.add(booked.receiptNumber)
                $0.add(booked.effectiveDate)
                $0.add(booked.managementCode)
            }
        }
        let settlement = try RawStatement(db, """
            INSERT INTO treasury_regularisation (regularisation_id, position, document_id, creditor_fiscal_code, account, fiscal_year,
                document_type, document_number, booking_date, document_amount_cents, provvisorio_number, provvisorio_number_value,
                provvisorio_amount_cents, element, holder_fiscal_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (regularisation_id, position) DO NOTHING
            """)
        var stored = 0
        for regularisation in statement.regularisations {
            for (index, sospeso) in regularisation.sospesi.enumerated() {
                guard let value = Provvisorio.value(ofNumber: sospeso.number) else {
                    throw DocumentRejection(element: regularisation.element, reason: "numero_provvisorio '\(sospeso.number)' is not a number")
                }
                try settlement.run {
                    $0.add(regularisation.regularisationId)
                    $0.add(index + 1)
                    $0.add(documentId)
                    $0.add(regularisation.creditorFiscalCode)
                    $0.add(regularisation.account)
                    $0.add(regularisation.fiscalYear)
                    $0.add(regularisation.documentType)
                    $0.add(regularisation.documentNumber)
                    $0.add(regularisation.bookingDate)
                    $0.add(regularisation.amountCents)
                    $0.add(sospeso.number)
                    $0.add(value)
                    $0.add(sospeso.amountCents)
                    $0.add(regularisation.element)
                    $0.add(statement.holderFiscalCode)
                }
                stored += db.changesCount
            }
        }
        return stored
    }
}

extension Store.ReconciliationPass {
    /// One provvisorio of a served creditor, the reversali that name it, and its stored verdict.
    struct ProvvisorioRecord {
        var movementId: String
        var evidence: ProvvisorioEvidence
        var stored: [DatabaseValue]?
        var history: Store.VerdictHistory?
    }

    /// Every provvisorio of a served creditor: there are a few per account and day, so each night
    /// judges them all (their age moves with the as-of date) and writes only what changed. The
    /// verdicts of a creditor no longer served are forgotten first, as its keys' are.
    func provvisori() throws -> [ProvvisorioRecord] {
        try db.execute(sql: """
            DELETE FROM provvisorio_verdict WHERE movement_id IN (
                SELECT m.movement_id FROM provvisorio_verdict v CROSS JOIN treasury_movement m ON m.movement_id = v.movement_id
                WHERE m.creditor_fiscal_code IS NULL OR m.creditor_fiscal_code NOT IN (SELECT fiscal_code FROM served))
            """)
        var settlements: [String: [ProvvisorioEvidence.Settlement]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.movement_id, r.fiscal_year, r.document_number, r.booking_date, r.provvisorio_amount_cents
            FROM provvisorio p CROSS JOIN treasury_movement m ON m.movement_id = p.movement_id
            JOIN served s ON s.fiscal_code = m.creditor_fiscal_code
            CROSS JOIN treasury_regularisation r ON r.creditor_fiscal_code = m.creditor_fiscal_code
                AND r.fiscal_year = p.fiscal_year AND r.provvisorio_number_value = p.number_value
            ORDER BY p.movement_id, r.booking_date, r.document_number, r.regularisation_id, r.position
            """) {
            settlements[row[0], default: []].append(.init(fiscalYear: row[1], documentNumber: row[2], bookingDate: row[3],
                                                          amountCents: row[4]))
        }
        return try Row.fetchAll(db, sql: """
            SELECT p.movement_id, m.creditor_fiscal_code, p.fiscal_year, p.number, m.amount_cents,
                coalesce(p.effective_date, m.booking_date) AS since,
                EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = m.movement_id) AS reversed,
                v.status, v.regularised_cents, v.reversali, v.regularised_on, v.open, v.movement_id IS NOT NULL AS judged,
                v.changed_on, v.previous_status
            FROM provvisorio p CROSS JOIN treasury_movement m ON m.movement_id = p.movement_id
            JOIN served s ON s.fiscal_code = m.creditor_fiscal_code
            LEFT JOIN provvisorio_verdict v ON v.movement_id = p.movement_id
            ORDER BY p.movement_id
            """).compactMap { row in
            guard let since = (row["since"] as String?).flatMap(CivilDate.init(iso:)) else { return nil }
            let movementId: String = row["movement_id"]
            let evidence = ProvvisorioEvidence(creditor: row["creditor_fiscal_code"], fiscalYear: row["fiscal_year"], number: row["number"],
                                               amountCents: row["amount_cents"], effectiveDate: since, reversed: row["reversed"],
                                               settlements: settlements[movementId] ?? [])
            let stored: [DatabaseValue]? = row["judged"] ? (7...11).map { row[$0] as DatabaseValue } : nil
            return ProvvisorioRecord(movementId: movementId, evidence: evidence, stored: stored,
                                     history: (row["changed_on"] as String?).map { Store.VerdictHistory(changedOn: $0, previous: row["previous_status"]) })
        }
    }

    /// Stores a provvisorio's verdict if it changed, and notes its item so that only its own
    /// discrepancies can be resolved tonight.
    func store(_ record: ProvvisorioRecord, _ verdict: ProvvisorioRules.Verdict, asOf: CivilDate) throws {
        try RawStatement(db, "INSERT OR IGNORE INTO scope_item (item) VALUES (?)").run {
            $0.add(Discrepancy.item(movement: record.evidence.reference, creditor: record.evidence.creditor))
        }
        let row: [DatabaseValue] = [verdict.status.rawValue.databaseValue, verdict.regularisedCents.databaseValue,
                                    verdict.reversali.databaseValue, verdict.regularisedOn.databaseValue,
                                    verdict.status.isOpen.databaseValue]
        if record.stored == row { return }
        try RawStatement(db, """
            INSERT OR REPLACE INTO provvisorio_verdict (movement_id, status, regularised_cents, reversali, regularised_on, open, changed_on,
                previous_status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).run {
            $0.add(record.movementId)
            for value in row { $0.add(value) }
            $0.add(asOf.description)
            $0.add(Self.before(record.stored.flatMap { String.fromDatabaseValue($0[0]) }, changedOn: record.history?.changedOn,
                               previous: record.history?.previous, day: asOf.description))
        }
    }
}
