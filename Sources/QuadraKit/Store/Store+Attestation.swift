import GRDB

extension Store {
    /// The receipts a term names (IUV, notice number or receipt id, optionally of one creditor), each
    /// as the attestation of its payment with every transfer's reconciliation state, by receipt id.
    public func attestations(_ term: String, creditor: String? = nil) throws -> [PaymentAttestation] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT receipt_id, company_name, fiscal_code, notice_number, iuv, description, debtor_id, debtor_name,
                    payment_amount_cents, payment_date_time, psp_id, psp_company_name
                FROM receipt WHERE (iuv = :t OR notice_number = :t OR receipt_id = :t) AND (:c IS NULL OR fiscal_code = :c)
                ORDER BY receipt_id
                """, arguments: ["t": term, "c": creditor]).map { row in
                let receiptId: String = row[0]
                let transfers = try Row.fetchAll(db, sql: """
                    SELECT t.id_transfer, t.company_name, t.beneficiary_fiscal_code, t.iban, t.is_stamp, t.amount_cents,
                        t.remittance_information, t.taxonomy_code,
                        (SELECT coalesce(te.service_type_name, te.service_description) FROM taxonomy_entry te WHERE te.code = t.taxonomy_code
                            ORDER BY te.valid_to DESC, CAST(te.version AS INTEGER) DESC LIMIT 1),
                        k.state, k.iuf, k.settlement_date, k.tes_amount_cents, k.tes_references
                    FROM receipt_transfer t JOIN receipt r ON r.receipt_id = t.receipt_id
                    LEFT JOIN key_verdict k ON k.creditor_fiscal_code = t.beneficiary_fiscal_code AND k.iuv = r.iuv
                        AND k.iur = r.receipt_id AND k.transfer_index = t.id_transfer
                    WHERE t.receipt_id = ? ORDER BY t.id_transfer
                    """, arguments: [receiptId]).map { t in
                    PaymentAttestation.Transfer(
                        index: t[0], beneficiaryName: t[1], beneficiaryFiscalCode: t[2], iban: t[3], isStamp: t[4], amountCents: t[5],
                        remittance: t[6], taxonomyCode: t[7], taxonomyDescription: t[8], state: t[9], flowId: t[10], settlementDate: t[11],
                        creditedCents: t[12], creditReferences: t[13])
                }
                return PaymentAttestation(receiptId: receiptId, creditorName: row[1], creditorFiscalCode: row[2], noticeNumber: row[3],
                                          iuv: row[4], description: row[5], debtorId: row[6], debtorName: row[7], amountCents: row[8],
                                          paymentDateTime: row[9], pspId: row[10], pspName: row[11], transfers: transfers)
            }
        }
    }
}
