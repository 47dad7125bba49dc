/// A flow as its PSP sends it: FdR XML (`FlussoRiversamento`) or the FdR-3 JSON the new service
/// publishes (epoch seconds, decimal amounts).
struct FlowDocument {
    let world: DatasetWorld
    let identity: DatasetIdentity
    let firstDay: CivilDate

    func flowId(_ flow: DatasetPlan.Flow) -> String {
        identity.flowId(day: firstDay.adding(days: flow.settlementDay), psp: world.psps[flow.psp], ordinal: flow.ordinal)
    }

    /// The settlement's bank reference (identificativoUnivocoRegolamento / regulation).
    func settlementReference(_ flow: DatasetPlan.Flow) -> String {
        let day = firstDay.adding(days: flow.settlementDay)
        let digits = day.description.replacingDashes
        return "0\(world.psps[flow.psp].iban.dropFirst(5).prefix(5))\(digits.dropFirst(2))\(String(flow.ordinal).leftPadded(to: 8, with: "0"))IT"
    }

    /// FdR XML; `revision` 1 of a revised flow carries a wrong first row and an earlier timestamp.
    func xml(_ flow: DatasetPlan.Flow, revision: Int = 2) -> String {
        let psp = world.psps[flow.psp]
        let creditor = world.creditors[flow.creditor]
        let day = firstDay.adding(days: flow.settlementDay)
        var rows = rows(of: flow, revision: revision)
        var declaredCount = rows.count
        var declaredTotal = rows.reduce(0) { $0 + $1.amountCents }
        switch flow.anomaly {
        case .flowTotalMismatch?: declaredTotal += 100
        case .flowCountMismatch?: declaredCount += 1
        case .duplicateFlowRow?:
            rows.append(rows[0])
            declaredCount += 1
            declaredTotal += rows[0].amountCents
        default: break
        }
        var body = ""
        body.reserveCapacity(rows.count * 420 + 2_000)
        for row in rows {
            body += """
                    <datiSingoliPagamenti>
                        <identificativoUnivocoVersamento>\(identity.iuv(notice: row.noticeSerial, slot: row.slot))</identificativoUnivocoVersamento>
                        <identificativoUnivocoRiscossione>\(identity.receiptId(row.iurSerial))</identificativoUnivocoRiscossione>
                        <indiceDatiSingoloPagamento>\(row.transferIndex)</indiceDatiSingoloPagamento>
                        <singoloImportoPagato>\(Money.format(row.amountCents))</singoloImportoPagato>
                        <codiceEsitoSingoloPagamento>\(row.outcome)</codiceEsitoSingoloPagamento>
                        <dataEsitoSingoloPagamento>\(firstDay.adding(days: row.paymentDay))</dataEsitoSingoloPagamento>
                    </datiSingoliPagamenti>

                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
                <versioneOggetto>1.0</versioneOggetto>
                <identificativoFlusso>\(flowId(flow))</identificativoFlusso>
                <dataOraFlusso>\(day)T0\(revision == 1 ? 1 : 6):\(String(flow.ordinal % 60).leftPadded(to: 2, with: "0")):00</dataOraFlusso>
                <identificativoUnivocoRegolamento>\(settlementReference(flow))</identificativoUnivocoRegolamento>
                <dataRegolamento>\(day)</dataRegolamento>
                <istitutoMittente>
                    <identificativoUnivocoMittente>
                        <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
                        <codiceIdentificativoUnivoco>\(psp.id)</codiceIdentificativoUnivoco>
                    </identificativoUnivocoMittente>
                    <denominazioneMittente>\(psp.name.xmlEscaped)</denominazioneMittente>
                </istitutoMittente>
                <codiceBicBancaDiRiversamento>\(psp.bic)</codiceBicBancaDiRiversamento>
                <istitutoRicevente>
                    <identificativoUnivocoRicevente>
                        <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
                        <codiceIdentificativoUnivoco>\(creditor.fiscalCode)</codiceIdentificativoUnivoco>
                    </identificativoUnivocoRicevente>
                    <denominazioneRicevente>\(creditor.name.xmlEscaped)</denominazioneRicevente>
                </istitutoRicevente>
                <numeroTotalePagamenti>\(declaredCount)</numeroTotalePagamenti>
                <importoTotalePagamenti>\(Money.format(declaredTotal))</importoTotalePagamenti>
            \(body)</FlussoRiversamento>

            """
    }

    /// FdR-3 JSON in the form the service publishes (`fdrDate` and the like in epoch seconds).
    func json(_ flow: DatasetPlan.Flow, revision: Int = 2) -> String {
        let (head, payments) = fdr3(flow, revision: revision)
        return "{\n\(head),\n  \"payments\": [\n\(payments.joined(separator: ",\n"))\n  ]\n}\n"
    }

    /// One clean FdR-3 flow in three of more than one row comes as `quadra fetch` saves it: header and pages.
    func comesInParts(_ flow: DatasetPlan.Flow) -> Bool {
        world.psps[flow.psp].sendsFdR3 && flow.anomaly == nil && flow.ordinal % 3 == 0 && flow.rows.count > 1
    }

    /// The same flow as the FdR-3 organization API serves it to `quadra fetch`: the header alone
    /// (`SingleFlowResponse`) and its payments in pages (`PaginatedPaymentsResponse`) of `pageSize`,
    /// each at the path the fetch layout gives it.
    func parts(_ flow: DatasetPlan.Flow, pageSize: Int) -> [(path: String, text: String)] {
        let (head, payments) = fdr3(flow, revision: 2)
        let creditor = world.creditors[flow.creditor]
        let pages = stride(from: 0, to: payments.count, by: pageSize).map { Array(payments[$0..<min($0 + pageSize, payments.count)]) }
        func path(_ page: Int?) -> String {
            FlowPartPath(receiverFiscalCode: creditor.fiscalCode, flowId: flowId(flow), revision: 1, pspId: world.psps[flow.psp].id,
                         page: page).relativePath
        }
        return [(path(nil), "{\n\(head)\n}\n")] + pages.enumerated().map { number, slice in
            (path(number + 1), """
                {"metadata": {"pageSize": \(pageSize), "pageNumber": \(number + 1), "totPage": \(pages.count)}, "count": \(slice.count),
                 "data": [
                \(slice.joined(separator: ",\n"))
                ]}

                """)
        }
    }

    /// The header's members and the payments, as FdR-3 spells them.
    private func fdr3(_ flow: DatasetPlan.Flow, revision: Int) -> (head: String, payments: [String]) {
        let psp = world.psps[flow.psp]
        let creditor = world.creditors[flow.creditor]
        let day = firstDay.adding(days: flow.settlementDay)
        let rows = rows(of: flow, revision: revision)
        let instant = Self.epochSeconds(day) - 3_600 + (revision == 1 ? 1 : 6) * 3_600 + flow.ordinal % 60 * 60
        var payments: [String] = []
        payments.reserveCapacity(rows.count)
        for (position, row) in rows.enumerated() {
            let status = ["0": "EXECUTED", "3": "REVOKED", "4": "STAND_IN"][row.outcome] ?? "EXECUTED"
            payments.append("""
                    {"index": \(position + 1), "iuv": "\(identity.iuv(notice: row.noticeSerial, slot: row.slot))", \
                "iur": "\(identity.receiptId(row.iurSerial))", "pay": \(Money.format(row.amountCents)), \
                "payDate": "\(firstDay.adding(days: row.paymentDay))T10:00:00Z", "payStatus": "\(status)", "idTransfer": \(row.transferIndex)}
                """)
        }
        let total = rows.reduce(Int64(0)) { $0 + $1.amountCents }
        let head = """
              "fdr": "\(flowId(flow))",
              "fdrDate": \(instant),
              "revision": \(flow.anomaly == .revisedFlow ? revision : 1),
              "created": \(instant - 60),
              "updated": \(instant),
              "published": \(instant),
              "status": "PUBLISHED",
              "sender": {"type": "BIC_CODE", "id": "\(psp.id)", "pspName": "\(psp.name)", "pspBrokerId": "\(psp.fiscalCode)", \
            "channelId": "\(psp.fiscalCode)_01", "pspId": "\(psp.id)"},
              "receiver": {"id": "\(creditor.fiscalCode)", "organizationName": "\(creditor.name)", "organizationId": "\(creditor.fiscalCode)"},
              "regulation": "\(settlementReference(flow))",
              "regulationDate": "\(day)T07:30:00Z",
              "computedTotPayments": \(rows.count),
              "computedSumPayments": \(Money.format(total))
            """
        return (head, payments)
    }

    /// The rows as sent in `revision`: the first version of a revised flow misstates its first row.
    private func rows(of flow: DatasetPlan.Flow, revision: Int) -> [DatasetPlan.Row] {
        var rows = flow.rows
        if flow.anomaly == .revisedFlow && revision == 1 { rows[0].amountCents += 100 }
        return rows
    }

    /// Midnight UTC of `day`, in seconds since 1970.
    static func epochSeconds(_ day: CivilDate) -> Int {
        CivilDate.daysBetween(CivilDate(year: 1970, month: 1, day: 1)!, day) * 86_400
    }
}

extension String {
    var replacingDashes: String { split(separator: "-").joined() }
}
