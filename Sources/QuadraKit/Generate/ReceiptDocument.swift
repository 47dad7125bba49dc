import Foundation

/// A payment's receipt as the node sends it to a creditor's station: `paSendRTV2Request` (CtReceiptV2)
/// or, for stations still on the old interface, `paSendRTReq` (CtReceipt).
struct ReceiptDocument {
    let world: DatasetWorld
    let identity: DatasetIdentity
    let firstDay: CivilDate

    /// The XML for `payment`, delivered to the station of `recipient` (a served creditor's index), in
    /// the payment's own version unless `version1` says which interface that station is on.
    func xml(_ payment: DatasetPlan.Payment, recipient: Int, version1: Bool? = nil) -> String {
        let version1 = version1 ?? payment.version1
        let creditor = world.creditors[payment.creditor]
        let station = world.creditors[recipient].fiscalCode
        let psp = world.psps[payment.psp]
        let debtor = identity.person(payment.noticeSerial)
        let payer = identity.person(payment.serial)
        let day = firstDay.adding(days: payment.day)
        let settlement = WorkingDayCalendar.italianBanking.adding(workingDays: 1, to: day)
        let root = version1 ? "paSendRTReq" : "paSendRTV2Request"
        var transfers = ""
        for (index, transfer) in payment.transfers.enumerated() {
            transfers += self.transfer(transfer, index: index + 1, payment: payment, version1: version1)
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ns2:\(root) xmlns:ns2="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">
                <idPA>\(station)</idPA>
                <idBrokerPA>\(world.creditors[0].fiscalCode)</idBrokerPA>
                <idStation>\(station)_01</idStation>
                <receipt>
                    <receiptId>\(identity.receiptId(payment.serial))</receiptId>
                    <noticeNumber>\(identity.nav(notice: payment.noticeSerial, slot: payment.slot))</noticeNumber>
                    <fiscalCode>\(creditor.fiscalCode)</fiscalCode>
                    <outcome>OK</outcome>
                    <creditorReferenceId>\(identity.iuv(notice: payment.noticeSerial, slot: payment.slot))</creditorReferenceId>
                    <paymentAmount>\(Money.format(payment.totalCents))</paymentAmount>
                    <description>\(description(payment).xmlEscaped)</description>
                    <companyName>\(creditor.name.xmlEscaped)</companyName>
                    <officeName>Servizio Entrate</officeName>
                    <debtor>
            \(subject(debtor))
                    </debtor>
                    <transferList>
            \(transfers)        </transferList>
                    <idPSP>\(psp.id)</idPSP>
                    <pspFiscalCode>\(psp.fiscalCode)</pspFiscalCode>
                    <pspPartitaIVA>\(psp.fiscalCode)</pspPartitaIVA>
                    <PSPCompanyName>\(psp.name.xmlEscaped)</PSPCompanyName>
                    <idChannel>\(psp.fiscalCode)_01</idChannel>
                    <channelDescription>\(payment.serial % 3 == 0 ? "app" : "home banking")</channelDescription>
                    <payer>
            \(subject(payer))
                    </payer>
                    <paymentMethod>\(["creditCard", "BBT", "PPAL", "AD"][payment.serial % 4])</paymentMethod>
                    <fee>\(Money.format(Int64(50 + payment.serial % 150)))</fee>
                    <paymentDateTime>\(day)T\(Self.time(payment.second))</paymentDateTime>
                    <applicationDate>\(day)</applicationDate>
                    <transferDate>\(settlement)</transferDate>
                    <standIn>\(payment.standIn)</standIn>
                </receipt>
            </ns2:\(root)>

            """
    }

    private func transfer(_ transfer: DatasetPlan.Transfer, index: Int, payment: DatasetPlan.Payment, version1: Bool) -> String {
        let (fiscalCode, name, iban) = beneficiary(transfer, payment: payment)
        let account: String
        if transfer.beneficiary == .stamp {
            account = "            <MBDAttachment>\(Self.stampAttachment)</MBDAttachment>\n"
        } else {
            account = "            <IBAN>\(iban)</IBAN>\n"
        }
        let company = version1 ? "" : "            <companyName>\(name.xmlEscaped)</companyName>\n"
        return """
                        <transfer>
                            <idTransfer>\(index)</idTransfer>
                            <transferAmount>\(Money.format(transfer.amountCents))</transferAmount>
                            <fiscalCodePA>\(fiscalCode)</fiscalCodePA>
            \(company)\(account)                <remittanceInformation>\(remittance(transfer, payment: payment).xmlEscaped)</remittanceInformation>
                            <transferCategory>\(category(transfer))</transferCategory>
                        </transfer>

            """
    }

    /// Who a transfer pays: fiscal code, name and IBAN (a stamp is paid by the primary creditor's notice).
    func beneficiary(_ transfer: DatasetPlan.Transfer, payment: DatasetPlan.Payment) -> (String, String, String) {
        switch transfer.beneficiary {
        case let .served(index):
            let creditor = world.creditors[index]
            return (creditor.fiscalCode, creditor.name, transfer.usesOldIBAN ? creditor.oldIBAN : creditor.iban)
        case .external:
            return (world.provincia.fiscalCode, world.provincia.name, world.provincia.iban)
        case .stamp:
            let creditor = world.creditors[payment.creditor]
            return (creditor.fiscalCode, creditor.name, "")
        }
    }

    func category(_ transfer: DatasetPlan.Transfer) -> String {
        transfer.taxonomy.map { world.taxonomy[$0].code } ?? "9/0199999ZZ/"
    }

    func description(_ payment: DatasetPlan.Payment) -> String {
        let service = payment.transfers[0].taxonomy.map { world.taxonomy[$0].service } ?? "Servizio non censito"
        let instalment = payment.slot > 0 ? " - rata \(payment.slot)" : ""
        return "\(service) - avviso \(payment.noticeSerial)\(instalment)"
    }

    func remittance(_ transfer: DatasetPlan.Transfer, payment: DatasetPlan.Payment) -> String {
        transfer.beneficiary == .stamp ? "Imposta di bollo avviso \(payment.noticeSerial)" : "Avviso \(payment.noticeSerial)"
    }

    private func subject(_ person: DatasetIdentity.Person) -> String {
        """
                        <uniqueIdentifier>
                            <entityUniqueIdentifierType>F</entityUniqueIdentifierType>
                            <entityUniqueIdentifierValue>\(person.fiscalCode)</entityUniqueIdentifierValue>
                        </uniqueIdentifier>
                        <fullName>\(person.fullName.xmlEscaped)</fullName>
                        <streetName>\(person.street.xmlEscaped)</streetName>
                        <city>\(person.city)</city>
                        <country>IT</country>
        """
    }

    static func time(_ second: Int) -> String {
        [second / 3600, second / 60 % 60, second % 60].map { String($0).leftPadded(to: 2, with: "0") }.joined(separator: ":")
    }

    /// A marca da bollo digitale: the receipt carries it base64-encoded; its content is not read here.
    private static let stampAttachment = "PG1hcmNhRGFCb2xsbyB4bWxucz0iaHR0cDovL3d3dy5hZ2VuemlhZW50cmF0ZS5nb3YuaXQvMjAxNC9NYXJjYURhQm9sbG8iPjxJbXBvcnRvPjE2LjAwPC9JbXBvcnRvPjwvbWFyY2FEYUJvbGxvPg=="
}

extension String {
    /// Text safe inside an XML element.
    var xmlEscaped: String {
        guard contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return self }
        return replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
