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
        find = try RawStatement(db, """
            SELECT r.content_digest, d.path FROM receipt r JOIN document d ON d.id = r.document_id WHERE r.receipt_id = ?
            """)
        insertReceipt = try RawStatement(db, """
            INSERT INTO receipt (receipt_id, document_id, version, notice_number, fiscal_code, outcome, iuv,
                payment_amount_cents, description, company_name, office_name, debtor_type, debtor_id, debtor_name,
                payer_type, payer_id, payer_name, psp_id, psp_fiscal_code, psp_company_name, channel_id,
                channel_description, payment_method, payment_note, fee_cents, primary_ci_incurred_fee_cents,
                id_bundle, id_ci_bundle, payment_date_time, application_date, transfer_date, stand_in, metadata,
                content_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTransfer = try RawStatement(db, """
            INSERT INTO receipt_transfer (receipt_id, id_transfer, amount_cents, beneficiary_fiscal_code, company_name,
                iban, is_stamp, remittance_information, transfer_category, taxonomy_code, metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// What an earlier delivery of the same `receiptId` makes of this one: nil when there is none,
    /// `duplicate` when its content is the same; a rejection naming the first one's file otherwise.
    func existing(_ receipt: Receipt) throws -> Store.ReceiptWrite? {
        guard let (digest, path) = try find.first({ $0.add(receipt.receiptId) }, { ($0.text(0), $0.text(1)) }) else {
            return nil
        }
        guard digest == receipt.contentDigest else {
            throw DocumentRejection(element: "receipt/receiptId",
                                    reason: "receipt \(receipt.receiptId) was already ingested from \(path ?? "") with different content")
        }
        return .duplicate(ofPath: path ?? "")
    }

    /// Inserts the receipt and its transfers; call once `existing` has found no earlier delivery.
    func insert(_ receipt: Receipt, documentId: Int64) throws {
        try insertReceipt.run {
            $0.add(receipt.receiptId)
            $0.add(documentId)
            $0.add(receipt.version.rawValue)
            $0.add(receipt.noticeNumber)
            $0.add(receipt.fiscalCode)
            $0.add(receipt.outcome)
            $0.add(receipt.iuv)
            $0.add(receipt.paymentAmountCents)
            $0.add(receipt.description)
            $0.add(receipt.companyName)
            $0.add(receipt.officeName)
            $0.add(receipt.debtor?.kind)
            $0.add(receipt.debtor?.identifier)
            $0.add(receipt.debtor?.fullName)
            $0.add(receipt.payer?.kind)
            $0.add(receipt.payer?.identifier)
            $0.add(receipt.payer?.fullName)
            $0.add(receipt.pspId)
            $0.add(receipt.pspFiscalCode)
            $0.add(receipt.pspCompanyName)
            $0.add(receipt.channelId)
            $0.add(receipt.channelDescription)
            $0.add(receipt.paymentMethod)
            $0.add(receipt.paymentNote)
            $0.add(receipt.feeCents)
            $0.add(receipt.primaryCiIncurredFeeCents)
            $0.add(receipt.idBundle)
            $0.add(receipt.idCiBundle)
            $0.add(receipt.paymentDateTime)
            $0.add(receipt.applicationDate)
            $0.add(receipt.transferDate)
            $0.add(receipt.standIn)
            $0.add(MetadataColumn.encode(receipt.metadata))
            $0.add(receipt.contentDigest)
        }
        for transfer in receipt.transfers {
            try insertTransfer.run {
                $0.add(receipt.receiptId)
                $0.add(transfer.idTransfer)
                $0.add(transfer.amountCents)
                $0.add(transfer.beneficiaryFiscalCode)
                $0.add(transfer.companyName)
                $0.add(transfer.iban)
                $0.add(transfer.isStamp)
                $0.add(transfer.remittanceInformation)
                $0.add(transfer.transferCategory)
                $0.add(transfer.taxonomyCode)
                $0.add(MetadataColumn.encode(transfer.metadata))
            }
        }
    }
}
