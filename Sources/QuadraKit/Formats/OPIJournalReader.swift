/// Reads an OPI *Giornale di Cassa* (SIOPE+ `flusso_giornale_di_cassa`, schema 1.8 and the earlier
/// versions of the same structure) into the incoming movements of the creditor's accounts.
///
/// Only `ENTRATA` movements are money for the creditor: `ESEGUITO` is a credit and `STORNATO` the
/// reversal of an earlier one with the same `numero_documento` (the store links them). A credit booked
/// as `SOSPESO ENTRATA` keeps its provvisorio's year, number, receipt number, effective day and code.
/// `REGOLARIZZATO` brings no new money: it is read as the reversale that settled the `sospeso` it lists.
/// `USCITA` and `RIPRISTINATO` are passed over and counted. A movement that breaks a rule is
/// quarantined; the others land.
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
    /// The `sospeso` list of a `REGOLARIZZATO`, as written: number and amount of each.
    private var sospesi: [(number: String?, amount: String?)] = []
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
            sospesi = []
        }
        if path.count == 4, path[2] == "movimento_conto_evidenza", name == "sospeso" { sospesi.append((nil, nil)) }
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
            if name != "sospeso" { fields[name] = text }
        case 5 where path[2] == "movimento_conto_evidenza" && path[3] == "sospeso":
            if name == "numero_provvisorio" { sospesi[sospesi.count - 1].number = text }
            if name == "importo_provvisorio" { sospesi[sospesi.count - 1].amount = text }
        case 5 where path[2] == "movimento_conto_evidenza":
            if Self.nestedFields.contains(name) { fields[name] = text }
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

    /// The fields kept from the structures inside a movement (`cliente`, `dati_a_disposizione_BT`, `sospeso_da_regolarizzare`).
    private static let nestedFields: Set = ["anagrafica_cliente", "cro", "data_effettiva_sospeso", "codice_gestionale_provvisorio"]

    private func readMovement() {
        let element = "informazioni_conto_evidenza[\(accountOrdinal)]/movimento_conto_evidenza[\(movementOrdinal)]"
        if fields["tipo_movimento"] == "ENTRATA", fields["tipo_operazione"] == "REGOLARIZZATO" {
            statement.add(at: element, quarantining: &quarantined) { try regularisation(at: element) }
        } else {
            statement.add(at: element, quarantining: &quarantined) { try movement(at: element) }
        }
    }

    /// What every incoming movement must carry: its account, document number, positive amount and day.
    private func essentials(at element: String) throws -> (account: String, number: String, amount: Int64, bookingDate: String) {
        guard let account, !account.isEmpty else {
            throw DocumentRejection(element: "informazioni_conto_evidenza[\(accountOrdinal)]/conto_evidenza", reason: "conto_evidenza is missing")
        }
        guard let number = fields["numero_documento"], !number.isEmpty else {
            throw DocumentRejection(element: "\(element)/numero_documento", reason: "numero_documento is missing")
        }
        let amountText = fields["importo"] ?? ""
        guard let amount = Money.cents(fromDecimal: amountText), amount > 0 else {
            throw DocumentRejection(element: "\(element)/importo", reason: "importo '\(amountText)' is not a positive amount in euro")
        }
        let bookingDate = fields["data_movimento"] ?? ""
        guard ISODate.matches(bookingDate, .date) else {
            throw DocumentRejection(element: "\(element)/data_movimento", reason: "data_movimento '\(bookingDate)' is not an ISO date (YYYY-MM-DD)")
        }
        return (account, number, amount, bookingDate)
    }

    /// The journal's `esercizio`, which a provvisorio's number and a reversale's belong to.
    private func fiscalYear() throws -> Int {
        guard let text = top["esercizio"], let year = Int(text), (1999...2099).contains(year) else {
            throw DocumentRejection(element: "flusso_giornale_di_cassa/esercizio", reason: "esercizio '\(top["esercizio"] ?? "")' is not a year")
        }
        return year
    }

    /// The movement's identity at the bank, whatever file it comes in.
    private func identifier(account: String, number: String, bookingDate: String, amount: Int64) -> String {
        MovementIdentifier.make([
            "opi", header["codice_ABI_BT"], header["codice_fiscale_ente"] ?? header["codice_ente"], account,
            top["esercizio"], number, fields["progressivo_documento"], fields["numero_movimento"],
            fields["tipo_operazione"], bookingDate, String(amount),
        ])
    }

    /// A `REGOLARIZZATO`: the document and the provvisori it settled; nil when it lists none.
    private func regularisation(at element: String) throws -> Regularisation? {
        let (account, number, amount, bookingDate) = try essentials(at: element)
        guard !sospesi.isEmpty else { return nil }
        let year = try fiscalYear()
        let settled = try sospesi.enumerated().map { index, sospeso -> Regularisation.Sospeso in
            let place = "\(element)/sospeso[\(index + 1)]"
            guard let number = sospeso.number, Provvisorio.value(ofNumber: number) != nil else {
                throw DocumentRejection(element: "\(place)/numero_provvisorio", reason: "numero_provvisorio '\(sospeso.number ?? "")' is not a number")
            }
            guard let cents = Money.cents(fromDecimal: sospeso.amount ?? ""), cents > 0 else {
                throw DocumentRejection(element: "\(place)/importo_provvisorio",
                                        reason: "importo_provvisorio '\(sospeso.amount ?? "")' is not a positive amount in euro")
            }
            return .init(number: number, amountCents: cents)
        }
        return Regularisation(regularisationId: identifier(account: account, number: number, bookingDate: bookingDate, amount: amount),
                              account: account, fiscalYear: year, documentType: fields["tipo_documento"] ?? "",
                              documentNumber: number, bookingDate: bookingDate, amountCents: amount, sospesi: settled, element: element)
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
        case "RIPRISTINATO": return nil
        case let other: throw reject("tipo_operazione", "tipo_operazione '\(other ?? "")' is not ESEGUITO, STORNATO, REGOLARIZZATO or RIPRISTINATO")
        }
        let (account, number, amount, bookingDate) = try essentials(at: element)
        let valueDate = fields["data_valuta_ente"]
        if let valueDate, !ISODate.matches(valueDate, .date) {
            throw reject("data_valuta_ente", "data_valuta_ente '\(valueDate)' is not an ISO date (YYYY-MM-DD)")
        }
        let id = identifier(account: account, number: number, bookingDate: bookingDate, amount: amount)
        var movement = TreasuryMovement(movementId: id, format: .opiJournal, account: account, bookingDate: bookingDate,
                                        amountCents: amount, sign: sign, rawCausale: fields["causale"] ?? "", element: element)
        movement.valueDate = valueDate
        movement.reference = number
        movement.transactionId = fields["codice_riferimento_operazione"] ?? fields["cro"]
        movement.endToEndId = fields["end_to_end_id"]
        movement.debtorName = fields["anagrafica_cliente"]
        movement.reversedReference = sign == .reversal ? number : nil
        if sign == .credit, fields["tipo_documento"] == "SOSPESO ENTRATA" {
            // A provvisorio the ragioneria could not name, or whose age could not be counted, is refused
            // here with its reason, never stored as a credit that silently has no provvisorio.
            guard Provvisorio.value(ofNumber: number) != nil else {
                throw reject("numero_documento", "numero_documento '\(number)' of a SOSPESO ENTRATA is not a provvisorio number (digits)")
            }
            let effectiveDate = fields["data_effettiva_sospeso"]
            if let effectiveDate, !ISODate.matches(effectiveDate, .date) {
                throw reject("sospeso_da_regolarizzare/data_effettiva_sospeso",
                             "data_effettiva_sospeso '\(effectiveDate)' is not an ISO date (YYYY-MM-DD)")
            }
            movement.provvisorio = Provvisorio(fiscalYear: try fiscalYear(), number: number,
                                               receiptNumber: fields["numero_bolletta_quietanza"], effectiveDate: effectiveDate,
                                               managementCode: fields["codice_gestionale_provvisorio"])
        }
        return movement
    }
}
