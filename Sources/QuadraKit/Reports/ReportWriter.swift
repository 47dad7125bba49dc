import Foundation

/// Writes a night's reports for the last reconciliation into `OUT/<as-of>/`: the CSVs (gzip), the
/// discrepancies as JSON lines too, `summary.html`, and `manifest.json` last, listing every file
/// with its digest.
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
/// export reads only verdicts, so it is written on a second core (its own read connection) while
/// the other reports stream on this one.
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
        "parsed_iuf", "parsed_iuv", "label",
    ]
    public static let flowColumns = [
        "creditor_fiscal_code", "psp_id", "iuf", "revision", "settlement_date", "settlement_reference", "rows",
        "declared_total_cents", "computed_total_cents", "credited_cents", "credit_status", "findings", "credited_on", "days_late",
    ]
    public static let discrepancyColumns = [
        "code", "severity", "status", "creditor_fiscal_code", "iuv", "iur", "transfer_index", "iuf", "treasury_reference",
        "expected_cents", "actual_cents", "first_seen", "age_days", "message", "replaced_by", "description", "action",
        "counterpart",
    ]
    public static let accountingColumns = [
        "creditor_fiscal_code", "taxonomy_code", "taxonomy_description", "beneficiary_iban", "payment_day", "state",
        "transfers", "amount_cents",
    ]
    public static let recoveryColumns = [
        "creditor_fiscal_code", "iuv", "iur", "notice_number", "psp_id", "evidence", "missing_since", "days_missing", "request",
    ]
    /// Columns of `discrepancies.jsonl.gz` written as JSON numbers.
    static let numericDiscrepancyColumns: Set<String> = ["transfer_index", "expected_cents", "actual_cents", "age_days"]

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

    /// Writes every report, then the manifest; returns the manifest as written.
    public func write(to root: String, documents: [ReportManifest.Document] = [],
                      configurationDigest: String? = nil) throws -> ReportManifest {
        let folder = try ReportFolder(root: root, name: folderName, groupReadable: options.groupReadable)
        var manifest = ReportManifest(asOf: asOf.description, quadraVersion: QuadraVersion.current,
                                      configurationDigest: configurationDigest)
        manifest.documents = documents
        var files: [ReportManifest.File] = []
        let span: Store.AccountingSpan
        if let period = options.period {
            span = .days(from: period.lowerBound, to: period.upperBound, period: "\(period.lowerBound)/\(period.upperBound)")
        } else if options.everything {
            span = .days(from: CivilDate(year: 1, month: 1, day: 1)!, to: asOf, period: nil)
        } else {
            span = .night
        }
        let accounting = BackgroundWork { [self] in
            try csv("accounting.csv.gz", Self.accountingColumns, in: folder) { row in
                try store.accountingRows(asOf: asOf, span: span, row)
            }
        }
        defer { accounting.wait() }
        if options.period != nil {
            // A period export is its accounting totals alone, with their manifest.
            manifest.files = [try accounting.value()]
            try writeManifest(manifest, in: folder)
            return manifest
        }
        var figures = SummaryFigures(asOf: asOf.description)
        figures.previous = try store.previousReconciliation(before: asOf)
        files.append(try csv("classification.csv.gz", Self.classificationColumns, in: folder) { row in
            try store.classificationRows(asOf: asOf, everything: options.everything) { fields in
                var fields = fields
                if !options.unmask { fields[23] = fields[23].map(Self.mask) }
                manifest.keysByLabel[fields[4] ?? "(none)", default: 0] += 1
                figures.addKey(fields)
                try row(fields)
            }
        })
        files.append(try csv("treasury.csv.gz", Self.treasuryColumns, in: folder) { row in
            try store.treasuryRows(asOf: asOf, everything: options.everything, row)
        })
        files.append(try csv("flows.csv.gz", Self.flowColumns, in: folder) { row in
            try store.flowRows(asOf: asOf, everything: options.everything) { fields in
                figures.addFlow(fields)
                try row(fields)
            }
        })
        let json = try GzipWriter(into: try folder.create("discrepancies.jsonl.gz"))
        files.append(try csv("discrepancies.csv.gz", Self.discrepancyColumns, in: folder) { row in
            try store.discrepancyRows(asOf: asOf) { stored in
                let fields = Array(stored.dropLast()) + guidance(stored)
                manifest.discrepanciesByCode[fields[0] ?? "", default: 0] += 1
                figures.addDiscrepancy(fields)
                try json.write(Self.jsonLine(Self.discrepancyColumns, fields, numeric: Self.numericDiscrepancyColumns))
                try row(fields)
            }
        })
        files.append(file("discrepancies.jsonl.gz", try json.finish()))
        files.append(try csv("recovery.csv.gz", Self.recoveryColumns, in: folder) { row in
            try store.recoveryRows(codes: DiscrepancyCode.missingReceipt.map(\.rawValue)) { fields in
                let since = fields[6].flatMap(CivilDate.init(iso:))
                try row(Array(fields[0...6]) + [since.map { "\(CivilDate.daysBetween($0, asOf))" }, fields[7]])
            }
        })
        files += try provvisorioFiles(in: folder)
        files.append(try classificationExport(in: folder))
        files.append(try accounting.value())
        let page = try folder.create("summary.html")
        try page.write(Array(SummaryPage.render(figures).utf8))
        files.append(file("summary.html", try page.commit()))
        manifest.keysByState = figures.keysByState
        manifest.amountCentsByState = figures.centsByState
        manifest.discrepanciesByStatus = figures.discrepanciesByStatus
        manifest.files = files.sorted { $0.name < $1.name }
        try writeManifest(manifest, in: folder)
        return manifest
    }

    /// `manifest.json` last, once every file it lists has landed.
    private func writeManifest(_ manifest: ReportManifest, in folder: ReportFolder) throws {
        let out = try folder.create("manifest.json")
        try out.write(Array(try Self.encoded(manifest)))
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

    func csv(_ name: String, _ columns: [String], in folder: ReportFolder,
                     _ rows: (([String?]) throws -> Void) throws -> Void) throws -> ReportManifest.File {
        let gzip = try GzipWriter(into: try folder.create(name))
        let writer = try CSVWriter(into: gzip, header: columns, dialect: options.dialect)
        try rows(writer.row)
        return file(name, try gzip.finish())
    }

    func file(_ name: String, _ written: AtomicFile.Written) -> ReportManifest.File {
        ReportManifest.File(name: name, size: written.size, sha256: written.sha256)
    }

    /// The first six characters kept, the rest `*` to the same length: enough to tell two debtors
    /// apart on a call, not enough to identify one from a leaked file.
    static func mask(_ identifier: String) -> String {
        String(identifier.prefix(6)) + String(repeating: "*", count: max(0, identifier.count - 6))
    }

    /// One JSON object per line, keys in column order, numbers as numbers, absent values as null.
    static func jsonLine(_ columns: [String], _ fields: [String?], numeric: Set<String>) -> String {
        let members = zip(columns, fields).map { column, field -> String in
            let value: String
            if let field {
                if numeric.contains(column), Int64(field) != nil {
                    value = field
                } else {
                    var literal = ""
                    MetadataColumn.append(field, to: &literal)
                    value = literal
                }
            } else {
                value = "null"
            }
            return "\"\(column)\":\(value)"
        }
        return "{" + members.joined(separator: ",") + "}\n"
    }

    static func encoded(_ manifest: ReportManifest) throws -> Data {
        var data = try JSONEncoder.report.encode(manifest)
        data.append(UInt8(ascii: "\n"))
        return data
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

/// Work run on another thread and waited for by the thread that started it: the result is written
/// before the semaphore is signalled and read only after the wait.
private final class BackgroundWork<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?
    private var waited = false

    init(_ body: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async { [self] in
            result = Result(catching: body)
            done.signal()
        }
    }

    /// Waits until the work has finished (at most once; later calls return at once).
    func wait() {
        guard !waited else { return }
        done.wait()
        waited = true
    }

    func value() throws -> T {
        wait()
        return try result!.get()
    }
}
