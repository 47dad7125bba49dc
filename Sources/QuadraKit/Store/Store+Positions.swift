import GRDB

extension Store {
    /// What storing one debt position did.
    enum PositionWrite {
        /// A new version (the first, or one replacing the current version, which stays as history).
        case stored(version: Int64)
        /// The same content as the current version: nothing to do.
        case unchanged
    }

    /// Stores a debt position as the current version of (creditor, IUPD), keeping earlier versions.
    ///
    /// Refuses the position, without writing anything, when one of its IUVs belongs to another
    /// current position of the same creditor: an IUV names one notice.
    static func write(_ position: DebtPosition, documentId: Int64, in db: Database) throws -> PositionWrite {
        // Cached statements: parsing these anew for every position was a tenth of a positions-heavy ingest.
        let current = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, version, content_digest FROM debt_position
            WHERE creditor_fiscal_code = ? AND iupd = ? AND is_current = 1
            """), arguments: [position.creditorFiscalCode, position.iupd])
        if let current, current["content_digest"] == position.contentDigest { return .unchanged }
        for option in position.options {
            if let owner = try String.fetchOne(db.cachedStatement(sql: """
                SELECT p.iupd FROM payment_option o JOIN debt_position p ON p.id = o.position_id
                WHERE o.creditor_fiscal_code = ? AND o.iuv = ? AND o.is_current = 1 AND p.iupd <> ?
                """), arguments: [position.creditorFiscalCode, option.iuv, position.iupd]) {
                throw DocumentRejection(element: "iupd \(position.iupd)",
                                        reason: "IUV \(option.iuv) already belongs to position \(owner) of creditor \(position.creditorFiscalCode)")
            }
        }
        var version: Int64 = 1
        if let current {
            let id: Int64 = current["id"]
            version = current["version"] + 1
            try db.cachedStatement(sql: "UPDATE debt_position SET is_current = 0 WHERE id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "UPDATE payment_option SET is_current = 0 WHERE position_id = ?").execute(arguments: [id])
        }
        try RawStatement(db, """
            INSERT INTO debt_position (creditor_fiscal_code, iupd, version, is_current, document_id, content_digest,
                debtor_type, debtor_id, debtor_name, company_name, office_name, validity_date, switch_to_expired,
                pay_stand_in, status, payment_date)
            VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run {
            $0.add(position.creditorFiscalCode)
            $0.add(position.iupd)
            $0.add(version)
            $0.add(documentId)
            $0.add(position.contentDigest)
            $0.add(position.debtor?.kind)
            $0.add(position.debtor?.identifier)
            $0.add(position.debtor?.fullName)
            $0.add(position.companyName)
            $0.add(position.officeName)
            $0.add(position.validityDate)
            $0.add(position.switchToExpired)
            $0.add(position.payStandIn)
            $0.add(position.status)
            $0.add(position.paymentDate)
        }
        let positionId = db.lastInsertedRowID
        let insertOption = try RawStatement(db, """
            INSERT INTO payment_option (position_id, creditor_fiscal_code, iuv, nav, amount_cents, description,
                is_partial_payment, due_date, retention_date, fee_cents, notification_fee_cents, status, payment_date,
                id_receipt, id_flow_reporting, metadata, is_current)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            """)
        let insertTransfer = try RawStatement(db, """
            INSERT INTO planned_transfer (option_id, id_transfer, amount_cents, beneficiary_fiscal_code, iban, postal_iban,
                is_stamp, remittance_information, category, taxonomy_code, company_name, status, metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for option in position.options {
            try insertOption.run {
                $0.add(positionId)
                $0.add(position.creditorFiscalCode)
                $0.add(option.iuv)
                $0.add(option.nav)
                $0.add(option.amountCents)
                $0.add(option.description)
                $0.add(option.isPartialPayment)
                $0.add(option.dueDate)
                $0.add(option.retentionDate)
                $0.add(option.feeCents)
                $0.add(option.notificationFeeCents)
                $0.add(option.status)
                $0.add(option.paymentDate)
                $0.add(option.idReceipt)
                $0.add(option.idFlowReporting)
                $0.add(MetadataColumn.encode(option.metadata))
            }
            let optionId = db.lastInsertedRowID
            for transfer in option.transfers {
                try insertTransfer.run {
                    $0.add(optionId)
                    $0.add(transfer.idTransfer)
                    $0.add(transfer.amountCents)
                    $0.add(transfer.beneficiaryFiscalCode)
                    $0.add(transfer.iban)
                    $0.add(transfer.postalIban)
                    $0.add(transfer.isStamp)
                    $0.add(transfer.remittanceInformation)
                    $0.add(transfer.category)
                    $0.add(transfer.taxonomyCode)
                    $0.add(transfer.companyName)
                    $0.add(transfer.status)
                    $0.add(MetadataColumn.encode(transfer.metadata))
                }
            }
        }
        return .stored(version: version)
    }
}
