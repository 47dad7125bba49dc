/// Reads a `FlussoRiversamento` (FdR XML 1.0.4 / 1.0.5, namespace-qualified) into a `FlowSink`,
/// row by row.
///
/// The header elements precede the rows in the schema, so the header is complete when the first
/// `datiSingoliPagamenti` opens. A row that cannot be read is still passed on, with its problem:
/// one bad row never sinks a flow.
final class FlowXMLReader: XMLContentReader {
    private let sink: FlowSink
    private let collector: FlowCollector?
    /// The PSP named by a SOAP wrapper (`identificativoPSP`), which outranks the sender code.
    private let pspIdHint: String?
    private var path: [String] = []
    private var header: [String: String] = [:]
    private var row: [String: String] = [:]
    private var begun: FlowHeader?
    private var rowNumber = 0

    init(sink: FlowSink?, pspIdHint: String?) {
        if let sink {
            self.sink = sink
            collector = nil
        } else {
            let collector = FlowCollector()
            self.sink = collector
            self.collector = collector
        }
        self.pspIdHint = pspIdHint
    }

    func didStart(_ name: String, namespace: String?) throws {
        path.append(name)
        if path.count == 2, name == "datiSingoliPagamenti" {
            if begun == nil { try beginFlow() }
            row.removeAll(keepingCapacity: true)
        }
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { path.removeLast() }
        switch path.count {
        case 2 where name == "datiSingoliPagamenti":
            rowNumber += 1
            try sink.add(makeRow())
        case 2...:
            if path.count == 3, path[1] == "datiSingoliPagamenti" {
                row[name] = text
            } else {
                header[path.dropFirst().joined(separator: "/")] = text
            }
        default:
            if begun == nil { try beginFlow() }
        }
    }

    func content() throws -> ParsedContent {
        guard let begun else { throw DocumentRejection(element: "FlussoRiversamento", reason: "the flow has no header") }
        return .flow(begun, rows: collector?.rows ?? [], streamed: collector == nil)
    }

    private func beginFlow() throws {
        func required(_ key: String) throws -> String {
            guard let value = header[key], !value.isEmpty else {
                throw DocumentRejection(element: "FlussoRiversamento/\(key)", reason: "\(key.split(separator: "/").last ?? "") is missing")
            }
            return value
        }
        let flowId = try required("identificativoFlusso")
        guard flowId.count <= FlowRow.maximumIdentifier else {
            throw DocumentRejection(element: "FlussoRiversamento/identificativoFlusso",
                                    reason: "identificativoFlusso is longer than \(FlowRow.maximumIdentifier) characters")
        }
        let dateTime = try required("dataOraFlusso")
        guard let instant = RomeTime.utc(fromLocal: dateTime) ?? RomeTime.utc(fromInstant: dateTime) else {
            throw DocumentRejection(element: "FlussoRiversamento/dataOraFlusso", reason: "'\(dateTime)' is not a date-time")
        }
        let senderCode = try required("istitutoMittente/identificativoUnivocoMittente/codiceIdentificativoUnivoco")
        let receiver = try required("istitutoRicevente/identificativoUnivocoRicevente/codiceIdentificativoUnivoco")
        var flow = FlowHeader(channel: .xml, flowId: flowId, flowDateTime: dateTime, flowInstant: instant,
                              pspId: pspIdHint ?? senderCode, receiverFiscalCode: receiver)
        flow.senderType = header["istitutoMittente/identificativoUnivocoMittente/tipoIdentificativoUnivoco"]
        flow.senderId = senderCode
        flow.senderName = header["istitutoMittente/denominazioneMittente"]
        flow.receiverName = header["istitutoRicevente/denominazioneRicevente"]
        flow.settlementReference = header["identificativoUnivocoRegolamento"]
        flow.settlementDate = header["dataRegolamento"]
        flow.bic = header["codiceBicBancaDiRiversamento"]
        if let text = header["numeroTotalePagamenti"] {
            flow.declaredCount = Int(text).flatMap { $0 >= 0 ? $0 : nil }
            if flow.declaredCount == nil { flow.unreadableDeclarations.append("numeroTotalePagamenti '\(text)' is not a count") }
        }
        if let text = header["importoTotalePagamenti"] {
            flow.declaredTotalCents = Self.signedCents(text).flatMap { Money.isPlausible($0) ? $0 : nil }
            if flow.declaredTotalCents == nil {
                flow.unreadableDeclarations.append("importoTotalePagamenti '\(text)' is not an amount of at most \(Money.format(Money.maximumCents))")
            }
        }
        begun = flow
        try sink.begin(flow)
    }

    /// `stImporto` with an optional minus: revocations are negative, and so is a total they outweigh.
    private static func signedCents(_ text: String) -> Int64? {
        text.hasPrefix("-") ? Money.cents(fromTwoDecimals: text.dropFirst()).map { -$0 } : Money.cents(fromTwoDecimals: text)
    }

    private func makeRow() -> FlowRow {
        let code = row["codiceEsitoSingoloPagamento"] ?? ""
        var problems: [String] = []
        let amountText = row["singoloImportoPagato"] ?? ""
        let outcome = FlowOutcome(xmlCode: code)
        var amount = Self.signedCents(amountText)
        if amount == nil { problems.append("singoloImportoPagato '\(amountText)' is not an amount with two decimals") }
        if let cents = amount, !outcome.allows(amountCents: cents) {
            problems.append("singoloImportoPagato '\(amountText)' is negative but codiceEsitoSingoloPagamento is '\(code)': only a revocation (3) is")
            amount = nil
        }
        var index = 1
        if let text = row["indiceDatiSingoloPagamento"] {
            if let value = Int(text), (1...5).contains(value) { index = value } else { problems.append("indiceDatiSingoloPagamento '\(text)' is not 1 to 5") }
        }
        var identifiers: [String: String] = [:]
        for field in ["identificativoUnivocoVersamento", "identificativoUnivocoRiscossione"] {
            let value = row[field] ?? ""
            if value.isEmpty { problems.append("\(field) is missing") }
            if value.count > FlowRow.maximumIdentifier {
                problems.append("\(field) is longer than \(FlowRow.maximumIdentifier) characters")
            } else {
                identifiers[field] = value
            }
        }
        var flowRow = FlowRow(iuv: identifiers["identificativoUnivocoVersamento"] ?? "", iur: identifiers["identificativoUnivocoRiscossione"] ?? "",
                              transferIndex: index, amountCents: amount, outcome: outcome,
                              outcomeCode: code, outcomeDate: row["dataEsitoSingoloPagamento"])
        if !problems.isEmpty { flowRow.problem = "datiSingoliPagamenti[\(rowNumber)]: " + problems.joined(separator: "; ") }
        return flowRow
    }
}
