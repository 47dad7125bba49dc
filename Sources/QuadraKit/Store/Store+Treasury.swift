import GRDB

extension Store {
    /// Stores a treasury document's movements and its journal page, then links reversals to the
    /// credits they cancel.
    ///
    /// A movement already stored (the same journal or statement read again from another file) is
    /// left as it is; a document all of whose movements were stored before is a `duplicate`. The
    /// document is rejected only when it held movements and none could be read.
    static func write(_ statement: TreasuryStatement, quarantined: [DocumentRejection], documentId: Int64,
                      into outcome: inout DocumentOutcome, in db: Database) throws {
        if statement.movements.isEmpty, statement.regularisations.isEmpty, !quarantined.isEmpty {
            throw summary(of: quarantined, otherwise: "the document holds no movement that could be read")
        }
        let insert = try RawStatement(db, """
            INSERT INTO treasury_movement (movement_id, document_id, format, account, creditor_fiscal_code, booking_date,
                value_date, amount_cents, sign, reference, transaction_id, end_to_end_id, raw_causale, causale_kind,
                flow_id, iuv, causale_amount_cents, debtor_name, additional_info, reversed_reference, statement_id, element,
                holder_fiscal_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (movement_id) DO NOTHING
            """)
        var stored = 0
        for movement in statement.movements {
            let parsed = ParsedCausale(movement.causale)
            try insert.run {
                $0.add(movement.movementId)
                $0.add(documentId)
                $0.add(movement.format.rawValue)
                $0.add(movement.account)
                $0.add(movement.creditorFiscalCode)
                $0.add(movement.bookingDate)
                $0.add(movement.valueDate)
                $0.add(movement.amountCents)
                $0.add(movement.sign.rawValue)
                $0.add(movement.reference)
                $0.add(movement.transactionId)
                $0.add(movement.endToEndId)
                $0.add(movement.rawCausale)
                $0.add(parsed.kind)
                $0.add(parsed.flowId)
                $0.add(parsed.iuv)
                $0.add(parsed.amountCents)
                $0.add(movement.debtorName)
                $0.add(movement.additionalInfo)
                $0.add(movement.reversedReference)
                $0.add(movement.statementId)
                $0.add(movement.element)
                $0.add(statement.holderFiscalCode)
            }
            stored += db.changesCount
        }
        if let page = statement.page {
            try RawStatement(db, """
                INSERT INTO treasury_page (journal, page, pages, document_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (journal, page) DO NOTHING
                """).run {
                $0.add(page.journal)
                $0.add(page.page)
                $0.add(page.pages)
                $0.add(documentId)
            }
        }
        try linkReversals(in: db)
        let settled = try writeProvvisori(of: statement, documentId: documentId, in: db)
        outcome.records = stored + settled
        if stored == 0, settled == 0, let first = statement.movements.first {
            let earlier = try String.fetchOne(db, sql: """
                SELECT d.path FROM treasury_movement m JOIN document d ON d.id = m.document_id WHERE m.movement_id = ?
                """, arguments: [first.movementId])
            outcome.status = .duplicate
            outcome.reason = "its \(statement.movements.count) movement(s) are already stored from \(earlier ?? "an earlier document")"
        } else if statement.passedOver > 0 {
            outcome.reason = "\(stored) movement(s) stored; \(statement.passedOver) outgoing or non-credit movement(s) passed over"
        }
    }

    /// Points each reversal not yet linked at the credit it cancels: same account and amount,
    /// booked no later, not cancelled already, and named by the reversal (the same bank
    /// reference, or that reference quoted in its additional information) or, failing that,
    /// sharing its transaction id or end-to-end id. A credit named by reference wins; among equals
    /// the latest credit. A reversal that states its credit's reference (an OPI storno's
    /// `numero_documento`) is that credit's alone: the end-to-end id of a PSP's `/RFB/` credits is
    /// the same for every credit of one IUV, so a storno arriving before its credit was otherwise
    /// linked to the IUV's earlier, standing credit and took its money away. A reversal whose
    /// credit is not in the store yet is linked when it comes.
    static func linkReversals(in db: Database) throws {
        let unlinked = try String.fetchAll(db.cachedStatement(sql: """
            SELECT movement_id FROM treasury_movement WHERE sign = 'reversal' AND reverses_movement_id IS NULL
            ORDER BY booking_date, movement_id
            """))
        for reversal in unlinked {
            try db.cachedStatement(sql: """
                UPDATE treasury_movement SET reverses_movement_id = (
                    SELECT c.movement_id FROM treasury_movement c, treasury_movement r
                    WHERE r.movement_id = ?1 AND c.sign = 'credit' AND c.account = r.account
                      AND c.amount_cents = r.amount_cents AND c.booking_date <= r.booking_date
                      AND NOT EXISTS (SELECT 1 FROM treasury_movement x WHERE x.reverses_movement_id = c.movement_id)
                      AND CASE WHEN r.reversed_reference IS NOT NULL THEN c.reference = r.reversed_reference
                          ELSE instr(r.additional_info, c.reference) > 0
                               OR c.transaction_id = r.transaction_id
                               OR (c.end_to_end_id = r.end_to_end_id AND r.end_to_end_id <> 'NOTPROVIDED') END
                    ORDER BY (c.reference = r.reversed_reference OR instr(r.additional_info, c.reference) > 0) DESC,
                             c.booking_date DESC, c.movement_id
                    LIMIT 1)
                WHERE movement_id = ?1
                """).execute(arguments: [reversal])
        }
    }
}

/// The parsed causale as the store's columns hold it.
private struct ParsedCausale {
    var kind: String
    var flowId: String?
    var iuv: String?
    var amountCents: Int64?

    init(_ reference: CausaleReference) {
        switch reference {
        case let .flow(id, integration):
            kind = integration ? "integration" : "flow"
            flowId = id
        case let .payment(iuv, amountCents):
            kind = "payment"
            self.iuv = iuv
            self.amountCents = amountCents
        case .unparseable:
            kind = "unparseable"
        }
    }
}
