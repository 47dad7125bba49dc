/// The files a ragioneria imports or acts on beside the reconciliation reports: what to regularise, and
/// the classifications in the format its accounting software already reads. Each is routed like the
/// other reports, so every creditor's folder gets its own.
extension ReportWriter {
    static let reversali = ReportFile(name: "reversali.csv.gz", columns: ReversaleLine.columns, creditorColumn: 0, sheet: "Reversali")
    static let provvisori = ReportFile(name: "provvisori.csv.gz", columns: ProvvisorioRow.columns, creditorColumn: 0)
    /// Always in the machine dialect and with the export's own columns (no `creditor_name`): an importer
    /// reads it by P4PA's column names.
    static let classificationExport = ReportFile(name: "classifications-v1.4.csv.gz", columns: ClassificationExportRow.columns,
                                                 creditorColumn: nil, dialect: .machine)

    /// `reversali.csv.gz` and `provvisori.csv.gz`: what the ragioneria regularises, night by night
    /// (what changed tonight and what is still to do) or in full.
    func provvisorioReports(to destinations: [ReportDestination]) throws -> [[LandedReport]] {
        let keys = Store.AccountingKeys(capitolo: options.accounting.capitoloKey, accertamento: options.accounting.accertamentoKey,
                                        ufficio: options.accounting.ufficioKey)
        return [
            try route(Self.reversali, to: destinations) { report in
                try store.reversaleLines(asOf: asOf, everything: options.everything, keys: keys) { try report.row($0.fields) }
            },
            try route(Self.provvisori, to: destinations) { report in
                try store.provvisorioRows(asOf: asOf, everything: options.everything, calendar: options.deadlines.calendar) {
                    try report.row($0.fields)
                }
            },
        ]
    }

    /// `classifications-v1.4.csv.gz`: the keys of tonight (or all, in full) in P4PA's export format. Its
    /// lookups and its 141 columns run on a thread of their own, its two gzip streams a row (the run's
    /// and the creditor's) on this one.
    func classificationExport(to destinations: [ReportDestination]) throws -> [LandedReport] {
        // Its lookups now outrun its gzip streams, so the pipe stays full: 141 fields a row, a few KB, and
        // two batches of 256 waiting hold a third of what four of 512 did (the report's peak RSS stays as it was).
        try RowPipe<ClassificationExportRow>.stream(batchSize: 256, depth: 2, reading: { [self] pipe in
            try store.classificationExportRows(asOf: asOf, everything: options.everything, unmask: options.unmask) {
                try pipe.send($0)
            }
        }, writing: { pipe in
            try route(Self.classificationExport, to: destinations) { report in
                while let batch = try pipe.receive() {
                    for row in batch { try report.row(row.fields, creditor: row.creditor) }
                }
            }
        })
    }
}
