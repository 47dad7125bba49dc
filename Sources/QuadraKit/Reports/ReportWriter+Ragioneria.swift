/// The files a ragioneria imports or acts on beside the reconciliation reports: what to regularise, and
/// the classifications in the format its accounting software already reads.
extension ReportWriter {
    /// `reversali.csv.gz` and `provvisori.csv.gz`: what the ragioneria regularises, night by night
    /// (what changed tonight and what is still to do) or in full.
    func provvisorioFiles(in folder: ReportFolder) throws -> [ReportManifest.File] {
        let keys = Store.AccountingKeys(capitolo: options.accounting.capitoloKey, accertamento: options.accounting.accertamentoKey,
                                        ufficio: options.accounting.ufficioKey)
        return [
            try csv("reversali.csv.gz", ReversaleLine.columns, in: folder) { row in
                try store.reversaleLines(asOf: asOf, everything: options.everything, keys: keys) { try row($0.fields) }
            },
            try csv("provvisori.csv.gz", ProvvisorioRow.columns, in: folder) { row in
                try store.provvisorioRows(asOf: asOf, everything: options.everything, calendar: options.deadlines.calendar) {
                    try row($0.fields)
                }
            },
        ]
    }
}

extension ReportWriter {
    /// `classifications-v1.4.csv.gz`: the keys of tonight (or all, in full) in P4PA's export format,
    /// always in the machine dialect, since an importer reads it by the export's own column names.
    func classificationExport(in folder: ReportFolder) throws -> ReportManifest.File {
        var machine = self
        machine.options.dialect = .machine
        return try machine.csv("classifications-v1.4.csv.gz", ClassificationExportRow.columns, in: folder) { row in
            try store.classificationExportRows(asOf: asOf, everything: options.everything, unmask: options.unmask) { try row($0.fields) }
        }
    }
}
