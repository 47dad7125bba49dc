/// Reads an OPI *Giornale di Cassa* (SIOPE+ `flusso_giornale_di_cassa`, schema 1.8 and the earlier
/// versions of the same structure) into the incoming movements of the creditor's accounts.
///
/// Only `ENTRATA` movements are money for the creditor: `ESEGUITO` is a credit and `STORNATO` the
/// reversal of an earlier one with the same `numero_documento` (the store links them). `USCITA`,
/// `REGOLARIZZATO` (a sospeso matched by a reversale: no new money) and `RIPRISTINATO` are passed
/// over and counted. A movement that breaks a rule is quarantined; the others land.
///
/// Fields are matched by local name and place in the tree, so the `ds:Signature` beside the journal
/// is read past whatever its position.
final class OPIJournalReader: XMLContentReader {
    private var path: [String] = []
    private var header: [String: String] = [:]
    private var top: [String: String] = [:]
    private var accountOrdinal = 0
    private var account: String?
    private var movementOrdinal = 0
    private var fields: [String: String] = [:]
    private var statement = TreasuryStatement()
    private var quarantined: [DocumentRejection] = []

    func didStart(_ name: String, namespace: String?) throws {
        path.append(name)
        if path.count == 2, name == "informazioni_conto_evidenza" {
            accountOrdinal += 1
            movementOrdinal = 0
            account = nil
        }
        if path.count == 3, name == "movimento_conto_evidenza" {
            movementOrdinal += 1
            fields = [:]
        }
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { path.removeLast() }
        switch path.count {
        case 2:
            top[name] = text
        case 3 where path[1] == "testata_messaggio":
            header[name] = text
        case 3 where path[1] == "informazioni_conto_evidenza":
            if name == "conto_evidenza" { account = text }
            if name == "movimento_conto_evidenza" { readMovement() }
        case 4 where path[2] == "movimento_conto_evidenza":
            fields[name] = text
        case 5 where path[2] == "movimento_conto_evidenza":
            if name == "anagrafica_cliente" || name == "cro" { fields[name] = text }
        default:
            break
        }
    }

    func content() throws -> ParsedContent {
        guard let day = top["data_riferimento_GdC"], ISODate.matches(day, .date) else {
            throw DocumentRejection(element: "flusso_giornale_di_cassa/data_riferimento_GdC",
                                    reason: "'\(top["data_riferimento_GdC"] ?? "")' is not an ISO date (YYYY-MM-DD)")
        }
        guard let page = Int(top["pagina"] ?? ""), let pages = Int(top["pagine_totali"] ?? ""), page >= 1, page <= pages else {
            throw DocumentRejection(element: "flusso_giornale_di_cassa/pagina",
                                    reason: "page '\(top["pagina"] ?? "")' of '\(top["pagine_totali"] ?? "")' is not a page of the journal")
        }
        let journal = journalKey(day: day)
        statement.page = TreasuryStatement.Page(journal: journal, page: page, pages: pages)
        statement.holderFiscalCode = header["codice_fiscale_ente"]
        for index in statement.movements.indices { statement.movements[index].statementId = journal }
        return .treasury(statement, quarantined: quarantined)
    }

    /// The journal every page of one day's giornale shares: treasurer, creditor, day and the flow id
    /// without its trailing `#page#pages` counters.
    private func journalKey(day: String) -> String {
        var flow = Substring(top["identificativo_flusso_BT"] ?? "")
        for _ in 0..<2 {
            if let hash = flow.lastIndex(of: "#"), flow[flow.index(after: hash)...].allSatisfy(\.isASCIIDigit) {
                flow = flow[..<hash]
            }
        }
        let holder = header["codice_fiscale_ente"] ?? header["codice_ente"] ?? ""
        return "OPI \(header["codice_ABI_BT"] ?? "")/\(holder)/\(day)/\(flow)"
    }

    private func readMovement() {
        let element = "informazioni_conto_evidenza[\(accountOrdinal)]/movimento_conto_evidenza[\(movementOrdinal)]"
        statement.add(at: element, quarantining: &quarantined) { try movement(at: element) }
    }

    /// The movement at `element`, nil when it is not an incoming credit or reversal.
    private func movement(at element: String) throws -> TreasuryMovement? {
        func reject(_ field: String, _ reason: String) -> DocumentRejection {
            DocumentRejection(element: "\(element)/\(field)", reason: reason)
        }
        switch fields["tipo_movimento"] {
        case "ENTRATA": break
        case "USCITA": return nil
        case let other: throw reject("tipo_movimento", "tipo_movimento '\(other ?? "")' is not ENTRATA or USCITA")
        }
        let sign: TreasuryMovement.Sign
        switch fields["tipo_operazione"] {
        case "ESEGUITO": sign = .credit
        case "STORNATO": sign = .reversal
        case "REGOLARIZZATO", "RIPRISTINATO": return nil
        case let other: throw reject("tipo_operazione", "tipo_operazione '\(other ?? "")' is not ESEGUITO, STORNATO, REGOLARIZZATO or RIPRISTINATO")
        }
        guard let account, !account.isEmpty else {
            throw DocumentRejection(element: "informazioni_conto_evidenza[\(accountOrdinal)]/conto_evidenza", reason: "conto_evidenza is missing")
        }
        guard let number = fields["numero_documento"], !number.isEmpty else { throw reject("numero_documento", "numero_documento is missing") }
        let amountText = fields["importo"] ?? ""
        guard let amount = Money.cents(fromDecimal: amountText), amount > 0 else {
            throw reject("importo", "importo '\(amountText)' is not a positive amount in euro")
        }
        let bookingDate = fields["data_movimento"] ?? ""
        guard ISODate.matches(bookingDate, .date) else {
            throw reject("data_movimento", "data_movimento '\(bookingDate)' is not an ISO date (YYYY-MM-DD)")
        }
        let valueDate = fields["data_valuta_ente"]
        if let valueDate, !ISODate.matches(valueDate, .date) {
            throw reject("data_valuta_ente", "data_valuta_ente '\(valueDate)' is not an ISO date (YYYY-MM-DD)")
        }
        let id = MovementIdentifier.make([
            "opi", header["codice_ABI_BT"], header["codice_fiscale_ente"] ?? header["codice_ente"], account,
            top["esercizio"], number, fields["progressivo_documento"], fields["numero_movimento"],
            fields["tipo_operazione"], bookingDate, String(amount),
        ])
        var movement = TreasuryMovement(movementId: id, format: .opiJournal, account: account, bookingDate: bookingDate,
                                        amountCents: amount, sign: sign, rawCausale: fields["causale"] ?? "", element: element)
        movement.valueDate = valueDate
        movement.reference = number
        movement.transactionId = fields["codice_riferimento_operazione"] ?? fields["cro"]
        movement.endToEndId = fields["end_to_end_id"]
        movement.debtorName = fields["anagrafica_cliente"]
        movement.reversedReference = sign == .reversal ? number : nil
        return movement
    }
}
