/// The *Riepilogo* sheet of `quadra.xlsx`: whose workbook it is and as of when, tonight's transfers
/// by state with their amounts, open discrepancies by severity, and the creditors' table of
/// `summary.html` (cashed and open over its window), from the figures the reports gathered.
enum WorkbookSummary {
    static let name = "Riepilogo"

    static func sheet(_ figures: SummaryFigures, creditor: ServedCreditor?, creditors: [SummaryPage.CreditorFigures],
                      in folder: ReportFolder) throws -> WorkbookSheet.Finished {
        let sheet = try WorkbookSheet(name: name, in: folder, widths: [34, 40, 18, 18, 12, 12, 14], table: false)
        try sheet.row([.heading("Riconciliazione al"), CivilDate(iso: figures.asOf).map(WorkbookCell.date)])
        try sheet.row([.heading("Ente"), .text(creditor?.name ?? "Tutti gli enti serviti")])
        if let creditor { try sheet.row([.heading("Codice fiscale ente"), .text(creditor.fiscalCode)]) }
        try sheet.row([])
        try sheet.row([.heading("Stato"), .heading("Trasferimenti"), .heading("Importo (€)")])
        let words = SummaryPage.Words(language: .italian)
        for state in SummaryPage.states {
            try sheet.row([.text(words.state(state)), .integer(Int64(figures.keysByState[state] ?? 0)),
                           .euro(figures.centsByState[state] ?? 0)])
        }
        try sheet.row([])
        try sheet.row([.heading("Anomalie aperte"), .heading("Numero")])
        for (severity, label) in [("error", "errori"), ("warning", "avvisi"), ("info", "informazioni")] {
            try sheet.row([.text(label), .integer(Int64(figures.openBySeverity[severity] ?? 0))])
        }
        try sheet.row([])
        try sheet.row(["Codice fiscale ente", "Ente", "Incassato (€)", "Aperto (€)", "Errori", "Avvisi", "Informazioni"]
            .map { .heading($0) })
        for (served, own) in creditors {
            let window = own.windowCents
            try sheet.row([.text(served.fiscalCode), .text(served.name), .euro(window.cashed), .euro(window.open)]
                + ["error", "warning", "info"].map { .integer(Int64(own.openBySeverity[$0] ?? 0)) })
        }
        return try sheet.finish()
    }
}
