import Foundation

/// Writes a night's reports for the last reconciliation into `OUT/<as-of>/`: the CSVs (gzip), the
/// discrepancies as JSON lines too, `summary.html`, `quadra.xlsx`, and `manifest.json` last, listing
/// every file with its digest; and the same, with only its rows, into each served creditor's
/// `OUT/<as-of>/<fiscal code>/`, every row routed there from the one query of its report.
///
/// ```swift
/// let manifest = try ReportWriter(store: store, asOf: day).write(to: "Reports")
/// ```
///
/// A night's files carry the night, not the history: the keys, flows and movements whose verdict
/// the run set or changed, plus those still open, and the accounting rows of the days they touch.
/// With `everything` (`quadra report --full`) every row goes into `OUT/<as-of>-full/`.
///
/// Each file is streamed from one query into gzip under a temporary name and renamed when whole.
/// Nothing reads the clock: the same store and as-of date give byte-identical files. The accounting
/// export and P4PA's export add to no figure of the page, so each is written on another thread (its
/// own read connection) while the other reports stream on this one; every file has one writer, and
/// the lists are landed in a fixed order.
public struct ReportWriter: Sendable {
    public struct Options: Sendable {
        /// Keep `debtor_id` whole instead of masking all but its first six characters.
        public var unmask = false
        /// Files 0640 instead of 0600.
        public var groupReadable = false
        /// The accounting export's period (`--from`/`--to`); by default the days tonight's changes touch.
        public var period: ClosedRange<CivilDate>?
        /// Every row of every report, in `OUT/<as-of>-full/` (`quadra report --full`).
        public var everything = false
        /// `[reports] csv_dialect`: the machine CSV of the README, or `excel-it` for Italian spreadsheets.
        public var dialect = CSVDialect.machine
        /// `[reports] language`: the language of the discrepancies' description and action.
        public var language = ReportLanguage.italian
        public var deadlines = Deadlines()
        /// `--creditor CF`: that served creditor's folder alone, the intermediary-wide one untouched.
        public var creditor: String?
        /// `[accounting]`: the metadata keys reversali.csv.gz splits provvisori by.
        public var accounting = AccountingConfiguration()

        public init(unmask: Bool = false, groupReadable: Bool = false, period: ClosedRange<CivilDate>? = nil,
                    everything: Bool = false) {
            self.unmask = unmask
            self.groupReadable = groupReadable
            self.period = period
            self.everything = everything
        }
    }

    public static let classificationColumns = [
        "creditor_fiscal_code", "iuv", "iur", "transfer_index", "label", "anomalies", "state", "receipt_id", "payment_day",
        "psp_id", "rt_amount_cents", "iud_amount_cents", "iuf_amount_cents", "iuf", "flow_psp_id", "flow_revision",
        "settlement_reference", "settlement_date", "tes_amount_cents", "tes_references", "taxonomy_code", "beneficiary_iban",
        "iupd", "debtor_id", "change", "previous_label", "previous_state",
    ]
    public static let treasuryColumns = [
        "movement_id", "creditor_fiscal_code", "account", "booking_date", "value_date", "amount_cents", "reference", "causale",
        "parsed_iuf", "parsed_iuv", "label", "change", "previous_label",
    ]
    public static let flowColumns = [
        "creditor_fiscal_code", "psp_id", "iuf", "revision", "settlement_date", "settlement_reference", "rows",
        "declared_total_cents", "computed_total_cents", "credited_cents", "credit_status", "findings", "credited_on", "days_late",
        "change", "previous_credit_status",
    ]
    public static let discrepancyColumns = [
        "code", "severity", "status", "creditor_fiscal_code", "iuv", "iur", "transfer_index", "iuf", "treasury_reference",
        "expected_cents", "actual_cents", "first_seen", "age_days", "message", "replaced_by", "description", "action",
        "counterpart", "note",
    ]
    public static let accountingColumns = [
        "creditor_fiscal_code", "taxonomy_code", "taxonomy_description", "beneficiary_iban", "payment_day", "state",
        "transfers", "amount_cents",
    ]
    public static let recoveryColumns = [
        "creditor_fiscal_code", "iuv", "iur", "notice_number", "psp_id", "evidence", "payment_day", "missing_since", "days_missing", "request",
    ]
    /// Columns of `discrepancies.jsonl.gz` written as JSON numbers.
    static let numericDiscrepancyColumns: Set<String> = ["transfer_index", "expected_cents", "actual_cents", "age_days"]

    /// The report files: one declaration each gives the file its per-creditor copies and its sheet.
    static let classification = ReportFile(name: "classification.csv.gz", columns: classificationColumns, creditorColumn: 0)
    static let treasury = ReportFile(name: "treasury.csv.gz", columns: treasuryColumns, creditorColumn: 1, sheet: "Tesoreria")
    static let flows = ReportFile(name: "flows.csv.gz", columns: flowColumns, creditorColumn: 0, sheet: "Flussi")
    static let discrepancies = ReportFile(name: "discrepancies.csv.gz", columns: discrepancyColumns, creditorColumn: 3,
                                          sheet: "Anomalie", jsonLines: .init(name: "discrepancies.jsonl.gz",
                                                                              numeric: numericDiscrepancyColumns))
    static let recovery = ReportFile(name: "recovery.csv.gz", columns: recoveryColumns, creditorColumn: 0)
    static let accounting = ReportFile(name: "accounting.csv.gz", columns: accountingColumns, creditorColumn: 0, sheet: "Incassi")
    static let hidden = ReportFile(name: hiddenFile, columns: hiddenColumns, creditorColumn: 3)
    static let positions = ReportFile(name: "positions.csv.gz", columns: positionColumns, creditorColumn: 0,
                                      jsonLines: .init(name: "positions.jsonl.gz", numeric: numericPositionColumns))

    public let store: Store
    public let asOf: CivilDate
    public var options: Options

    public init(store: Store, asOf: CivilDate, options: Options = Options()) {
        self.store = store
        self.asOf = asOf
        self.options = options
    }

    /// The folder's name under the reports' root: the as-of date, `-full` for a full listing, and
    /// `period-D1_D2` for a period's accounting export, which never touches a night's folder.
    public var folderName: String {
        if let period = options.period { return "period-\(period.lowerBound)_\(period.upperBound)" }
        return options.everything ? "\(asOf)-full" : asOf.description
    }

    /// Writes every report, then the manifest, into the intermediary-wide folder and each served
    /// creditor's; returns the intermediary-wide manifest as written (the creditor's with `--creditor`).
    public func write(to root: String, documents: ReportManifest.DocumentList = .none,
                      configurationDigest: String? = nil) throws -> ReportManifest {
        let destinations = try self.destinations(root: root)
        var outputs = destinations.map { destination in
            var manifest = ReportManifest(asOf: asOf.description, quadraVersion: QuadraVersion.current,
                                          configurationDigest: configurationDigest)
            manifest.csvDialect = options.dialect.rawValue
            manifest.language = options.language.rawValue
            (manifest.capitoloKey, manifest.accertamentoKey, manifest.ufficioKey)
                = (options.accounting.capitoloKey, options.accounting.accertamentoKey, options.accounting.ufficioKey)
            manifest.creditor = destination.creditor
            if destination.creditor == nil {
                let served = destinations.compactMap(\.creditor)
                manifest.creditors = served.isEmpty ? nil : served
            }
            return Output(manifest: manifest, figures: SummaryFigures(asOf: asOf.description))
        }
        let span: Store.AccountingSpan
        if let period = options.period {
            span = .days(from: period.lowerBound, to: period.upperBound, period: "\(period.lowerBound)/\(period.upperBound)")
        } else if options.everything {
            span = .days(from: CivilDate(year: 1, month: 1, day: 1)!, to: asOf, period: nil)
        } else {
            span = .night
        }
        let accounting = BackgroundWork { [self] in
            try route(Self.accounting, to: destinations) { report in
                try store.accountingRows(asOf: asOf, span: span) { try report.row($0) }
            }
        }
        defer { accounting.wait() }
        if options.period != nil {
            // A period export is its accounting totals alone, with their manifest.
            for (index, landed) in try accounting.value().enumerated() {
                outputs[index].manifest.files = landed.files
                try writeManifest(outputs[index].manifest, in: destinations[index].folder)
            }
            return outputs[0].manifest
        }
        // The P4PA export, the largest file, adds to no figure: it streams on the second core with its
        // own read connection while the reports the page and manifest count stream on this one.
        let export = BackgroundWork { [self] in try classificationExport(to: destinations) }
        defer { export.wait() }
        let previous = try store.previousReconciliation(before: asOf)
        outputs.land(try route(Self.classification, to: destinations) { report in
            try store.classificationRows(asOf: asOf, everything: options.everything) { fields in
                var fields = fields
                if !options.unmask { fields[23] = fields[23].map(Self.mask) }
                for index in try report.row(fields) {
                    outputs[index].manifest.keysByLabel[fields[4] ?? "(none)", default: 0] += 1
                    outputs[index].figures.addKey(fields)
                }
            }
        })
        outputs.land(try route(Self.treasury, to: destinations) { report in
            try store.treasuryRows(asOf: asOf, everything: options.everything) { fields in
                for index in try report.row(fields) { outputs[index].figures.addMovement(fields) }
            }
        })
        outputs.land(try route(Self.flows, to: destinations) { report in
            try store.flowRows(asOf: asOf, everything: options.everything) { fields in
                for index in try report.row(fields) { outputs[index].figures.addFlow(fields) }
            }
        })
        let notes = NoteBook(try store.notes())
        let hidden = try RoutedReport(Self.hidden, to: destinations, dialect: options.dialect)
        outputs.land(try route(Self.discrepancies, to: destinations) { report in
            try store.discrepancyRows(asOf: asOf) { stored in
                let seen = DiscrepancyNote.Seen(reportRow: stored)
                if let note = notes.hiding(seen, status: stored[2], on: asOf) {
                    try hidden.row(Self.hiddenRow(stored, hiddenBy: note))
                    return
                }
                let fields = Array(stored.dropLast()) + guidance(stored) + [notes.lines(for: seen)]
                for index in try report.row(fields) {
                    outputs[index].manifest.discrepanciesByCode[fields[0] ?? "", default: 0] += 1
                    outputs[index].figures.addDiscrepancy(fields)
                }
            }
        })
        outputs.land(try hidden.finish())
        outputs.land(try route(Self.recovery, to: destinations) { report in
            try store.recoveryRows(codes: DiscrepancyCode.missingReceipt.map(\.rawValue),
                                   credit: DiscrepancyCode.creditWithoutReceipt.rawValue) { fields in
                // Missing since the payment, when the evidence shows its day; else since first missed.
                let since = (fields[6] ?? fields[7]).flatMap(CivilDate.init(iso:))
                try report.row(Array(fields[0...7]) + [since.map { "\(CivilDate.daysBetween($0, asOf))" }, fields[8]])
            }
        })
        outputs.land(try route(Self.positions, to: destinations) { report in
            try store.positionRows(asOf: asOf, everything: options.everything) { try report.row($0) }
        })
        for landed in try provvisorioReports(to: destinations) { outputs.land(landed) }
        outputs.land(try export.value())
        outputs.land(try accounting.value())
        let routes = ReportRoutes(destinations)
        try store.paymentDayTotals(from: asOf.adding(days: -SummaryPage.windowDays), asOf: asOf) { fields in
            for index in routes.indices(of: fields[0]) { outputs[index].figures.addPaymentDay(fields) }
        }
        let creditorFigures = destinations.indices.compactMap { index in
            destinations[index].creditor.map { (creditor: $0, figures: outputs[index].figures) }
        }
        for (index, destination) in destinations.enumerated() {
            // The previous run's open discrepancies are counted for the whole run only.
            if destination.creditor == nil { outputs[index].figures.previous = previous }
            let table = destination.creditor.map { [(creditor: $0, figures: outputs[index].figures)] } ?? creditorFigures
            outputs[index].manifest = try finish(outputs[index], in: destination, creditors: table,
                                                 documents: destination.creditor == nil ? documents : .none)
        }
        return outputs[0].manifest
    }

    /// The page and the workbook from what the rows added up to, then the manifest, last.
    private func finish(_ output: Output, in destination: ReportDestination,
                        creditors: [SummaryPage.CreditorFigures], documents: ReportManifest.DocumentList) throws -> ReportManifest {
        var manifest = output.manifest
        let page = try destination.folder.create("summary.html")
        try page.write(Array(SummaryPage.render(output.figures, creditors: creditors, links: destination.creditor == nil,
                                                language: options.language).utf8))
        manifest.files.append(RoutedReport.file("summary.html", try page.commit()))
        let summary = try WorkbookSummary.sheet(output.figures, creditor: destination.creditor, creditors: creditors,
                                                in: destination.folder)
        manifest.files.append(RoutedReport.file(Workbook.name, try Workbook.write(output.sheets + [summary], in: destination.folder)))
        manifest.keysByState = output.figures.keysByState
        manifest.amountCentsByState = output.figures.centsByState
        manifest.discrepanciesByStatus = output.figures.discrepanciesByStatus
        manifest.keysByChange = output.figures.keysByChange
        manifest.flowsByChange = output.figures.flowsByChange
        manifest.movementsByChange = output.figures.movementsByChange
        manifest.files.sort { $0.name < $1.name }
        try writeManifest(manifest, documents: documents, in: destination.folder)
        return manifest
    }

    /// The intermediary-wide folder and a folder per served creditor; with `--creditor`, that one alone.
    private func destinations(root: String) throws -> [ReportDestination] {
        let served = try store.servedCreditors()
        let chosen = try options.creditor.map { fiscalCode in
            guard let creditor = served.first(where: { $0.fiscalCode == fiscalCode }) else {
                throw ReportError.notServed(fiscalCode: fiscalCode, served: served.map(\.fiscalCode))
            }
            return [creditor]
        }
        // The night's folder first, so the creditors' folders inherit its group (a setgid reports root).
        let wide = try ReportFolder(root: root, name: folderName, groupReadable: options.groupReadable)
        var destinations = try (chosen ?? served).map { creditor in
            ReportDestination(creditor: creditor, folder: try ReportFolder(root: wide.path, name: creditor.fiscalCode,
                                                                          groupReadable: options.groupReadable))
        }
        if chosen == nil { destinations.insert(ReportDestination(creditor: nil, folder: wide), at: 0) }
        return destinations
    }

    /// Streams `rows` through one routed report into every destination.
    func route(_ file: ReportFile, to destinations: [ReportDestination],
                       _ rows: (RoutedReport) throws -> Void) throws -> [LandedReport] {
        let report = try RoutedReport(file, to: destinations, dialect: options.dialect, sheets: options.period == nil)
        try rows(report)
        return try report.finish()
    }

    /// `manifest.json` last, once every file it lists has landed.
    private func writeManifest(_ manifest: ReportManifest, documents: ReportManifest.DocumentList = .none,
                               in folder: ReportFolder) throws {
        let out = try folder.create("manifest.json")
        try manifest.write(documents: documents, to: out)
        _ = try out.commit()
    }

    /// What the clerk reads beside a discrepancy row (code 0, IUV 4, flow 7, reference 8, amounts 9 and
    /// 10, first seen 11, PSP last): description, action and counterpart, in the report's language.
    private func guidance(_ row: [String?]) -> [String?] {
        guard let code = row[0].flatMap(DiscrepancyCode.init(rawValue:)) else { return [nil, nil, nil] }
        let facts = DiscrepancyFacts(pspId: row[row.count - 1], flowId: row[7], iuv: row[4], reference: row[8],
                                     expectedCents: row[9].flatMap { Int64($0) }, actualCents: row[10].flatMap { Int64($0) },
                                     firstSeen: row[11])
        return [code.description(in: options.language), code.action(facts, in: options.language),
                code.counterpart.name(in: options.language)]
    }

    /// The first six characters kept, the rest `*` to the same length: enough to tell two debtors
    /// apart on a call, not enough to identify one from a leaked file.
    static func mask(_ identifier: String) -> String {
        var identifier = identifier
        // Nearly every identifier and name is ASCII with no CR, where a character is a byte.
        if let masked = identifier.withUTF8({ utf8 -> String? in
            guard utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
            return String(decoding: Array(utf8.prefix(6)) + repeatElement(UInt8(ascii: "*"), count: max(0, utf8.count - 6)), as: UTF8.self)
        }) { return masked }
        return String(identifier.prefix(6)) + String(repeating: "*", count: max(0, identifier.count - 6))
    }
}

/// What a destination's reports add up to while the rows stream past.
private struct Output {
    var manifest: ReportManifest
    var figures: SummaryFigures
    var sheets: [WorkbookSheet.Finished] = []
}

extension [Output] {
    /// One report's files and sheet, each into its destination's list (same order).
    mutating func land(_ landed: [LandedReport]) {
        for (index, report) in landed.enumerated() {
            self[index].manifest.files += report.files
            if let sheet = report.sheet { self[index].sheets.append(sheet) }
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, snake case, slashes as they are: the same value always gives the same bytes.
    static var report: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}
