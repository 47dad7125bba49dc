import GRDB

extension Store {
    /// What storing a receipt did: stored anew, or recognised as a delivery already stored.
    enum ReceiptWrite {
        case stored
        case duplicate(ofPath: String)
    }

    /// Stores a receipt and its transfers, unless the same receipt is already stored.
    static func write(_ receipt: Receipt, documentId: Int64, in db: Database) throws -> ReceiptWrite {
        let writer = try ReceiptWriter(db)
        if let write = try writer.existing(receipt) { return write }
        try writer.insert(receipt, documentId: documentId)
        return .stored
    }
}

/// Stores receipts through statements prepared once for a whole batch.
///
/// pagoPA delivers one receipt to every beneficiary's station, so the same `receiptId` with the
/// same content is a repeated delivery; with other content it is a conflict a person must see.
struct ReceiptWriter {
    private let find: RawStatement
    private let insertReceipt: RawStatement
    private let insertTransfer: RawStatement

    init(_ db: Database) throws {
        self.db = db
        find = try RawStatement(db, """
            SELECT r.content_digest, d.path FROM receipt r JOIN document d ON d.id = r.document_id WHERE r.receipt_id = ?
            """)
        insertReceipt = try RawStatement(db, """
            INSERT INTO receipt (receipt_id, document_id, version, \(Self.receiptColumns.joined(separator: ", ")), content_digest)
            VALUES (\(Array(repeating: "?", count: Self.receiptColumns.count + 4).joined(separator: ", ")))
            """)
        insertTransfer = try RawStatement(db, """
            INSERT INTO receipt_transfer (receipt_id, \(Self.transferColumns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: Self.transferColumns.count + 1).joined(separator: ", ")))
            """)
    }

    private let db: Database

    /// What an earlier delivery of the same `receiptId` makes of this one: nil when there is none,
    /// `duplicate` when its content is the same, or when every field both deliveries carry is equal
    /// (a V1 station gets paSendRT while the primary's gets paSendRTV2 of the same payment; the
    /// versions carry different fields); a rejection naming the field and the first one's file otherwise.
    func existing(_ receipt: Receipt) throws -> Store.ReceiptWrite? {
        guard let (digest, path) = try find.first({ $0.add(receipt.receiptId) }, { ($0.text(0), $0.text(1)) }) else {
            return nil
        }
        if digest != receipt.contentDigest, let field = try conflictingField(receipt) {
            throw DocumentRejection(element: "receipt/receiptId",
                                    reason: "receipt \(receipt.receiptId) was already ingested from \(path ?? "") with different content: \(field)")
        }
        return .duplicate(ofPath: path ?? "")
    }

    /// The first field both the stored delivery and this one carry with different values, as
    /// `name: 'this' here, 'that' before`; nil when none differs.
    private func conflictingField(_ receipt: Receipt) throws -> String? {
        func differs(_ name: String, _ mine: DatabaseValue, _ stored: DatabaseValue) -> String? {
            guard !mine.isNull, !stored.isNull, mine != stored else { return nil }
            return "\(name) '\(mine)' here, '\(stored)' before"
        }
        let stored = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(Self.receiptColumns.joined(separator: ", ")) FROM receipt WHERE receipt_id = ?
            """), arguments: [receipt.receiptId])
        for (index, value) in Self.values(receipt).enumerated() {
            if let found = differs(Self.receiptColumns[index], value, stored?[index] ?? .null) { return found }
        }
        let transfers = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Self.transferColumns.joined(separator: ", ")) FROM receipt_transfer WHERE receipt_id = ? ORDER BY id_transfer
            """), arguments: [receipt.receiptId])
        let mine = receipt.transfers.sorted { $0.idTransfer < $1.idTransfer }
        guard mine.count == transfers.count else { return "transfers: \(mine.count) here, \(transfers.count) before" }
        for (transfer, row) in zip(mine, transfers) {
            for (index, value) in Self.values(transfer).enumerated() {
                if let found = differs("transfer[\(transfer.idTransfer)]/\(Self.transferColumns[index])", value, row[index]) { return found }
            }
        }
        return nil
    }


    /// The `receipt` columns read from a delivery, in the order `values(_:)` gives them.
    private static let receiptColumns = [
        "notice_number", "fiscal_code", "outcome", "iuv", "payment_amount_cents", "description", "company_name", "office_name",
        "debtor_type", "debtor_id", "debtor_name", "payer_type", "payer_id", "payer_name", "psp_id", "psp_fiscal_code",
        "psp_company_name", "channel_id", "channel_description", "payment_method", "payment_note", "fee_cents",
        "primary_ci_incurred_fee_cents", "id_bundle", "id_ci_bundle", "payment_date_time", "application_date", "transfer_date",
        "stand_in", "metadata",
    ]

    private static func values(_ r: Receipt) -> [DatabaseValue] {
        [r.noticeNumber.databaseValue, r.fiscalCode.databaseValue, r.outcome.databaseValue, r.iuv.databaseValue,
         r.paymentAmountCents.databaseValue, r.description.databaseValue, r.companyName.databaseValue, r.officeName.databaseValue,
         r.debtor?.kind.databaseValue ?? .null, r.debtor?.identifier.databaseValue ?? .null, r.debtor?.fullName.databaseValue ?? .null,
         r.payer?.kind.databaseValue ?? .null, r.payer?.identifier.databaseValue ?? .null, r.payer?.fullName.databaseValue ?? .null,
         r.pspId.databaseValue, r.pspFiscalCode.databaseValue, r.pspCompanyName.databaseValue, r.channelId.databaseValue,
         r.channelDescription.databaseValue, r.paymentMethod.databaseValue, r.paymentNote.databaseValue, r.feeCents.databaseValue,
         r.primaryCiIncurredFeeCents.databaseValue, r.idBundle.databaseValue, r.idCiBundle.databaseValue,
         r.paymentDateTime.databaseValue, r.applicationDate.databaseValue, r.transferDate.databaseValue, r.standIn.databaseValue,
         MetadataColumn.encode(r.metadata).databaseValue]
    }

    /// The `receipt_transfer` columns of a transfer, in the order `values(_:)` gives them.
    private static let transferColumns = [
        "id_transfer", "amount_cents", "beneficiary_fiscal_code", "company_name", "iban", "is_stamp", "remittance_information",
        "transfer_category", "taxonomy_code", "metadata",
    ]

    private static func values(_ t: ReceiptTransfer) -> [DatabaseValue] {
        [t.idTransfer.databaseValue, t.amountCents.databaseValue, t.beneficiaryFiscalCode.databaseValue, t.companyName.databaseValue,
         t.iban.databaseValue, t.isStamp.databaseValue, t.remittanceInformation.databaseValue, t.transferCategory.databaseValue,
         t.taxonomyCode.databaseValue, MetadataColumn.encode(t.metadata).databaseValue]
    }

    /// Inserts the receipt and its transfers; call once `existing` has found no earlier delivery.
    func insert(_ receipt: Receipt, documentId: Int64) throws {
        try insertReceipt.run {
            $0.add(receipt.receiptId)
            $0.add(documentId)
            $0.add(receipt.version.rawValue)
            for value in Self.values(receipt) { $0.add(value) }
            $0.add(receipt.contentDigest)
        }
        for transfer in receipt.transfers {
            try insertTransfer.run {
                $0.add(receipt.receiptId)
                for value in Self.values(transfer) { $0.add(value) }
            }
        }
    }
}
