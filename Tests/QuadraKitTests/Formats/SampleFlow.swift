import Foundation
@testable import QuadraKit

/// FdR documents built in the real layouts (`FlussoRiversamento` XML, FdR-3 JSON), with the
/// header and rows a test needs.
struct SampleFlow {
    struct Row {
        var iuv: String
        var iur: String
        var index: Int? = 1
        var amount: String
        var code = "0"
    }

    var flowId = "2026-11-17ESMPITMM-S0001726"
    var dateTime = "2026-11-17T19:02:11"
    var settlementDate = "2026-11-17"
    var psp = "ESMPITMM"
    var receiver = "80000000002"
    var rows: [Row] = [
        Row(iuv: "01261010000041774", iur: "a8c1f3d2e4b5a6978812345678901234", amount: "204.00"),
        Row(iuv: "01261070000009017", iur: "dfdaba17d51862a641dec90c8ec32bcf", amount: "22.21"),
    ]
    var declaredCount: Int?
    var declaredTotal: String?

    var xml: String {
        let total = declaredTotal ?? Money.format(rows.compactMap { Money.cents(fromTwoDecimals: $0.amount) }.reduce(0, +))
        let body = rows.map { row in
            """
                <datiSingoliPagamenti>
                    <identificativoUnivocoVersamento>\(row.iuv)</identificativoUnivocoVersamento>
                    <identificativoUnivocoRiscossione>\(row.iur)</identificativoUnivocoRiscossione>
                    \(row.index.map { "<indiceDatiSingoloPagamento>\($0)</indiceDatiSingoloPagamento>" } ?? "")
                    <singoloImportoPagato>\(row.amount)</singoloImportoPagato>
                    <codiceEsitoSingoloPagamento>\(row.code)</codiceEsitoSingoloPagamento>
                    <dataEsitoSingoloPagamento>2026-11-16</dataEsitoSingoloPagamento>
                </datiSingoliPagamenti>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
                <versioneOggetto>1.0</versioneOggetto>
                <identificativoFlusso>\(flowId)</identificativoFlusso>
                <dataOraFlusso>\(dateTime)</dataOraFlusso>
                <identificativoUnivocoRegolamento>BONIFICO-0001</identificativoUnivocoRegolamento>
                <dataRegolamento>\(settlementDate)</dataRegolamento>
                <istitutoMittente>
                    <identificativoUnivocoMittente>
                        <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
                        <codiceIdentificativoUnivoco>\(psp)</codiceIdentificativoUnivoco>
                    </identificativoUnivocoMittente>
                    <denominazioneMittente>Banca Esempio</denominazioneMittente>
                </istitutoMittente>
                <istitutoRicevente>
                    <identificativoUnivocoRicevente>
                        <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
                        <codiceIdentificativoUnivoco>\(receiver)</codiceIdentificativoUnivoco>
                    </identificativoUnivocoRicevente>
                </istitutoRicevente>
                <numeroTotalePagamenti>\(declaredCount ?? rows.count)</numeroTotalePagamenti>
                <importoTotalePagamenti>\(total)</importoTotalePagamenti>
            \(body)
            </FlussoRiversamento>
            """
    }

    /// The same flow as FdR-3 publishes it (internal form: epoch-second instants, payments inline).
    func fdr3(revision: Int, fdrDate: String) -> String {
        let payments = rows.enumerated().map { position, row in
            """
            {"index": \(position + 1), "iuv": "\(row.iuv)", "iur": "\(row.iur)", "pay": \(row.amount), "payDate": "2026-11-16T10:00:00Z",
             "payStatus": "\(FlowOutcome(xmlCode: row.code).rawValue)", "idTransfer": \(row.index ?? 1)}
            """
        }.joined(separator: ",\n")
        return """
            {"fdr": "\(flowId)", "fdrDate": \(fdrDate), "revision": \(revision), "status": "PUBLISHED",
             "sender": {"type": "BIC_CODE", "id": "\(psp)", "pspId": "\(psp)", "pspName": "Banca Esempio"},
             "receiver": {"id": "\(receiver)", "organizationId": "\(receiver)", "organizationName": "Comune di Esempio"},
             "regulation": "BONIFICO-0001", "regulationDate": "\(settlementDate)T07:00:00Z",
             "totPayments": \(declaredCount ?? rows.count),
             "payments": [\(payments)]}
            """
    }

    /// The flow's header as `GET /organizations/{org}/fdrs/{fdr}/revisions/{rev}/psps/{psp}` returns it: no payments.
    func fdr3Header(revision: Int) -> String {
        let total = Money.format(rows.compactMap { Money.cents(fromTwoDecimals: $0.amount) }.reduce(0, +))
        return """
            {"status": "PUBLISHED", "revision": \(revision), "created": "2026-11-17T18:00:00Z", "updated": "2026-11-17T18:02:11Z",
             "fdr": "\(flowId)", "fdrDate": "2026-11-17T18:02:11Z", "regulation": "BONIFICO-0001",
             "regulationDate": "\(settlementDate)T07:00:00Z", "bicCodePouringBank": "\(psp)",
             "sender": {"type": "BIC_CODE", "id": "\(psp)", "pspId": "\(psp)", "pspName": "Banca Esempio", "pspBrokerId": "\(psp)",
                        "channelId": "\(psp)_01", "password": "x"},
             "receiver": {"id": "\(receiver)", "organizationId": "\(receiver)", "organizationName": "Comune di Esempio"},
             "published": "2026-11-17T18:02:11Z", "computedTotPayments": \(rows.count), "computedSumPayments": \(total),
             "totPayments": \(declaredCount ?? rows.count), "sumPayments": \(declaredTotal ?? total)}
            """
    }

    /// Page `number` of `pages` of the flow's payments, `PaginatedPaymentsResponse`, holding `rows` (1-based positions).
    func fdr3Page(_ number: Int, of pages: Int, rows range: ClosedRange<Int>) -> String {
        let payments = range.map { position -> String in
            let row = rows[position - 1]
            return """
                {"index": \(position), "iuv": "\(row.iuv)", "iur": "\(row.iur)", "idTransfer": \(row.index ?? 1), "pay": \(row.amount),
                 "payStatus": "\(FlowOutcome(xmlCode: row.code).rawValue)", "payDate": "2026-11-16T10:00:00Z"}
                """
        }.joined(separator: ",\n")
        return """
            {"metadata": {"pageSize": 1000, "pageNumber": \(number), "totPage": \(pages)}, "count": \(range.count),
             "data": [\(payments)]}
            """
    }

    /// Where `quadra fetch flows` saves a part of this flow: the header, or page `page`.
    func partPath(revision: Int, page: Int? = nil) -> String {
        FlowPartPath(receiverFiscalCode: receiver, flowId: flowId, revision: revision, pspId: psp, page: page).relativePath
    }
}
