/// Debt positions as a creditor loads them into GPD, in the bulk body `{"paymentPositions": [...]}`:
/// published before the payments, with one option per notice or one per instalment.
struct PositionDocument {
    let world: DatasetWorld
    let identity: DatasetIdentity
    let receipts: ReceiptDocument
    let firstDay: CivilDate

    /// The position behind a payment's notice.
    func json(_ payment: DatasetPlan.Payment, position: DatasetPlan.Position) -> String {
        let creditor = world.creditors[payment.creditor]
        let payday = firstDay.adding(days: payment.day)
        let slots = position.instalments == 1 ? [0] : Array(1...position.instalments)
        let options = slots.map { slot in
            option(payment, position: position, slot: slot, due: payday.adding(days: position.dueInDays + (slot - payment.slot) * 30))
        }
        return """
            {"iupd": "\(identity.iupd(creditor: creditor, notice: payment.noticeSerial))", "organizationFiscalCode": "\(creditor.fiscalCode)", \
            "type": "F", "fiscalCode": "\(identity.person(payment.noticeSerial).fiscalCode)", "fullName": "\(identity.person(payment.noticeSerial).fullName)", \
            "companyName": "\(creditor.name)", "officeName": "Servizio Entrate", "switchToExpired": false, "payStandIn": true, \
            "status": "\(position.status)", "paymentOption": [\(options.joined(separator: ", "))]}
            """
    }

    /// A position marked paid whose receipt never arrived.
    func json(_ paid: DatasetPlan.PaidPosition) -> String {
        let creditor = world.creditors[paid.creditor]
        let day = firstDay.adding(days: paid.day)
        let transfer = """
            {"idTransfer": "1", "amount": \(paid.amountCents), "organizationFiscalCode": "\(creditor.fiscalCode)", \
            "remittanceInformation": "Avviso \(paid.noticeSerial)", "category": "\(world.taxonomy[paid.taxonomy].code)", "iban": "\(creditor.iban)"}
            """
        return """
            {"iupd": "\(identity.iupd(creditor: creditor, notice: paid.noticeSerial))", "organizationFiscalCode": "\(creditor.fiscalCode)", \
            "type": "F", "fiscalCode": "\(identity.person(paid.noticeSerial).fiscalCode)", "fullName": "\(identity.person(paid.noticeSerial).fullName)", \
            "companyName": "\(creditor.name)", "status": "PAID", "paymentDate": "\(day)T11:00:00", "paymentOption": [{\
            "nav": "\(identity.nav(notice: paid.noticeSerial, slot: 9))", "iuv": "\(identity.iuv(notice: paid.noticeSerial, slot: 9))", \
            "amount": \(paid.amountCents), "description": "Avviso \(paid.noticeSerial)", "isPartialPayment": false, \
            "dueDate": "\(day.adding(days: 30))T23:59:59", "status": "PO_PAID", "paymentDate": "\(day)T11:00:00", \
            "idReceipt": "\(identity.receiptId(paid.iurSerial))", "transfer": [\(transfer)]}]}
            """
    }

    private func option(_ payment: DatasetPlan.Payment, position: DatasetPlan.Position, slot: Int, due: CivilDate) -> String {
        var transfers: [String] = []
        var total: Int64 = 0
        for (index, transfer) in payment.transfers.enumerated() {
            let (fiscalCode, _, iban) = receipts.beneficiary(transfer, payment: payment)
            var amount = transfer.amountCents
            if index == 0, let asked = position.askedCents { amount += asked - payment.totalCents }
            total += amount
            var category = receipts.category(transfer)
            if index == 0, let planned = position.plannedTaxonomy { category = world.taxonomy[planned].code }
            let account = transfer.beneficiary == .stamp
                ? "\"stamp\": {\"hashDocument\": \"\(identity.receiptId(payment.noticeSerial))\", \"stampType\": \"01\", \"provincialResidence\": \"RM\"}"
                : "\"iban\": \"\(iban)\""
            transfers.append("""
                {"idTransfer": "\(index + 1)", "amount": \(amount), "organizationFiscalCode": "\(fiscalCode)", \
                "remittanceInformation": "\(receipts.remittance(transfer, payment: payment))", "category": "\(category)", \(account)}
                """)
        }
        return """
            {"nav": "\(identity.nav(notice: payment.noticeSerial, slot: slot))", "iuv": "\(identity.iuv(notice: payment.noticeSerial, slot: slot))", \
            "amount": \(total), "description": "\(receipts.description(payment))", "isPartialPayment": \(slot > 0), \
            "dueDate": "\(due)T23:59:59", "status": "PO_UNPAID", "transfer": [\(transfers.joined(separator: ", "))]}
            """
    }
}
