/// The documents that set the scene: the intermediary's `quadra.toml` and the taxonomy table.
struct SetupDocuments {
    let world: DatasetWorld

    func configuration(seed: UInt64) -> String {
        var text = """
            # Quadra configuration of a generated dataset (quadra generate --seed \(seed)): the creditors the
            # intermediary serves. Creditors with an OPI account get the treasurer's giornale di cassa,
            # the others a bank's camt.053 statement.

            """
        for creditor in world.creditors {
            text += """

                [[creditor]]
                fiscal_code = "\(creditor.fiscalCode)"
                name = "\(creditor.name)"
                ibans = ["\(creditor.iban)"]

                """
            if let account = creditor.opiAccount { text += "opi_accounts = [\"\(account)\"]\n" }
            text += "expects_positions = \(creditor.expectsPositions)\nexpects_treasury = true\n"
        }
        return text
    }

    /// The taxonomy as pagoPA publishes it: `;`-separated, dates month/day/year.
    /// The taxonomy table of `edition` 33, or of an earlier edition in which the codes 33 ends were
    /// still valid to 2080: the newest edition must decide, whichever arrives first.
    func taxonomyCSV(edition: Int = 33) -> String {
        let open = CivilDate(year: 2080, month: 1, day: 1)!
        var text = "CODICE TIPO ENTE CREDITORE;TIPO ENTE CREDITORE;# Progressivo Macro Area per Ente Creditore;NOME MACRO AREA;"
            + "DESCRIZIONE MACRO AREA;CODICE TIPOLOGIA SERVIZIO;TIPO SERVIZIO;Motivo Giuridico della riscossione;"
            + "DESCRIZIONE TIPO SERVIZIO;# VERSIONE TASSONOMIA;DATI SPECIFICI DI INCASSO;DATA INIZIO VALIDITA (mm/gg/aaaa);"
            + "DATA FINE VALIDITA (mm/gg/aaaa);combinazione topic&subtopic;Flag_Nuova_Combinazione\n"
        for entry in world.taxonomy {
            let fields = [entry.creditorType, entry.creditorTypeName, entry.area, entry.areaName, entry.areaName, entry.serviceCode,
                          entry.service, entry.reason, entry.service, "\(edition)", entry.code, Self.usDate(entry.validFrom),
                          Self.usDate(edition < 33 ? max(entry.validTo, open) : entry.validTo), "", ""]
            text += fields.joined(separator: ";") + "\n"
        }
        return text
    }

    private static func usDate(_ day: CivilDate) -> String {
        "\(String(day.month).leftPadded(to: 2, with: "0"))/\(String(day.day).leftPadded(to: 2, with: "0"))/\(day.year)"
    }
}
