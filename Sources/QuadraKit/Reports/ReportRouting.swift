/// A folder a night's rows go to: the intermediary-wide `OUT/<as-of>/`, or a served creditor's own
/// `OUT/<as-of>/<fiscal code>/`, which holds only that creditor's rows and can be handed over as it is.
struct ReportDestination: Sendable {
    /// Absent for the intermediary-wide folder, which takes every row.
    var creditor: ServedCreditor?
    var folder: ReportFolder
}

/// Which destinations a row of a creditor goes to: the intermediary-wide folder, if written, and the
/// creditor's own, if served.
struct ReportRoutes: Sendable {
    private let byCreditor: [String: Int]
    private let wide: Int?
    let names: [String: String]

    init(_ destinations: [ReportDestination]) {
        var byCreditor: [String: Int] = [:], names: [String: String] = [:]
        for (index, destination) in destinations.enumerated() {
            guard let creditor = destination.creditor else { continue }
            byCreditor[creditor.fiscalCode] = index
            names[creditor.fiscalCode] = creditor.name
        }
        self.byCreditor = byCreditor
        self.names = names
        wide = destinations.firstIndex { $0.creditor == nil }
    }

    func indices(of creditor: String?) -> [Int] {
        [wide, creditor.flatMap { byCreditor[$0] }].compactMap { $0 }
    }
}

/// A report file, declared once: its rows stream from one query and are routed by their creditor
/// column to every destination, so a file gets its per-creditor copies (and its workbook sheet) with
/// no query of its own per creditor.
///
/// ```swift
/// static let reversali = ReportFile(name: "reversali.csv.gz", columns: reversaliColumns, creditorColumn: 0, sheet: "Reversali")
/// ```
struct ReportFile: Sendable {
    var name: String
    var columns: [String]
    /// The column holding the creditor's fiscal code; a creditor's copy carries `creditor_name` right after it.
    /// Nil for a file whose columns someone else fixed (P4PA's export): its rows name their creditor to
    /// `RoutedReport.row(_:creditor:)` and no column is added.
    var creditorColumn: Int?
    /// The dialect the file is always written in, whatever `[reports] csv_dialect` says (an importer's format).
    var dialect: CSVDialect?
    /// The `quadra.xlsx` sheet showing the same rows, if any.
    var sheet: String?
    /// A JSON-lines twin of the file and the columns it writes as JSON numbers.
    var jsonLines: JSONLines?

    struct JSONLines: Sendable {
        var name: String
        var numeric: Set<String>
    }

    init(name: String, columns: [String], creditorColumn: Int?, sheet: String? = nil, jsonLines: JSONLines? = nil,
         dialect: CSVDialect? = nil) {
        self.name = name
        self.columns = columns
        self.creditorColumn = creditorColumn
        self.dialect = dialect
        self.sheet = sheet
        self.jsonLines = jsonLines
    }

    /// The columns with the creditor's name after its fiscal code: a creditor's copy and every sheet.
    var namedColumns: [String] { named(columns, "creditor_name") }

    func named<T>(_ fields: [T], _ name: T) -> [T] {
        guard let creditorColumn else { return fields }
        var fields = fields
        fields.insert(name, at: creditorColumn + 1)
        return fields
    }
}

/// What one report left in one destination: its files (with digests, for the manifest) and its sheet.
struct LandedReport: Sendable {
    var files: [ReportManifest.File] = []
    var sheet: WorkbookSheet.Finished?
}

/// The open writers of one report in every destination. A row goes to the intermediary-wide folder
/// (as the query gave it) and to its creditor's folder (with the creditor's name); a row of a
/// creditor not served (a movement on nobody's account, a flow for another receiver) only to the
/// former.
final class RoutedReport {
    private final class Sink {
        let gzip: GzipWriter
        let csv: CSVWriter
        let json: (writer: GzipWriter, format: JSONLineFormat)?
        let sheet: WorkbookSheet?
        /// The intermediary-wide folder's, which takes rows as the query gave them.
        let wide: Bool

        init(_ file: ReportFile, to destination: ReportDestination, dialect: CSVDialect, sheets: Bool) throws {
            let folder = destination.folder
            wide = destination.creditor == nil
            let columns = wide ? file.columns : file.namedColumns
            gzip = try GzipWriter(into: try folder.create(file.name))
            csv = try CSVWriter(into: gzip, header: columns, dialect: dialect)
            json = try file.jsonLines.map {
                (try GzipWriter(into: try folder.create($0.name)), JSONLineFormat(columns: columns, numeric: $0.numeric))
            }
            sheet = try file.sheet.flatMap { sheets ? try WorkbookSheet(name: $0, in: folder, columns: file.namedColumns) : nil }
        }
    }

    /// Where the last row's creditor went: rows come sorted by creditor, so the next one nearly
    /// always goes to the same places, found with no lookup.
    private struct Route {
        var creditor: String?
        var indices: [Int]
        var name: String?
    }

    private let file: ReportFile
    private let sinks: [Sink]
    private let routes: ReportRoutes
    private var last: Route?
    /// The row's line, when every destination's copy is the same (see `row(_:creditor:)`).
    private var line: [UInt8] = []

    /// `sheets`: whether a workbook will take the report's sheet (not for a period export).
    init(_ file: ReportFile, to destinations: [ReportDestination], dialect: CSVDialect, sheets: Bool = true) throws {
        self.file = file
        sinks = try destinations.map { try Sink(file, to: $0, dialect: file.dialect ?? dialect, sheets: sheets) }
        routes = ReportRoutes(destinations)
    }

    /// Writes the row wherever it belongs; returns the destinations it went to, for their figures.
    @discardableResult
    func row(_ fields: [String?]) throws -> [Int] {
        try row(fields, creditor: file.creditorColumn.flatMap { fields[$0] })
    }

    /// A row whose creditor is given beside it (a file with no creditor column of its own).
    @discardableResult
    func row(_ fields: [String?], creditor: String?) throws -> [Int] {
        let route = self.route(of: creditor)
        // The row with its creditor's name, built only when a creditor's folder or a sheet takes it.
        var named: [String?]?
        func withName() -> [String?] {
            if let named { return named }
            let built = file.named(fields, route.name)
            named = built
            return built
        }
        // With no creditor column to add, every destination's line is the same bytes: encoded once and
        // copied (P4PA's export, two copies a row: its writer's CSV work 0.95 → 0.73 s of CPU at 100,000 receipts).
        let shared = file.creditorColumn == nil && route.indices.count > 1
        if shared {
            line.removeAll(keepingCapacity: true)
            sinks[route.indices[0]].csv.encode(fields, into: &line)
        }
        for index in route.indices {
            let sink = sinks[index]
            let written = sink.wide ? fields : withName()
            if shared { try sink.csv.row(encoded: line) } else { try sink.csv.row(written) }
            if let json = sink.json { try json.writer.write { json.format.append(written, to: &$0) } }
            if let sheet = sink.sheet { try sheet.reportRow(withName(), columns: file.namedColumns) }
        }
        return route.indices
    }

    private func route(of creditor: String?) -> Route {
        if let last, last.creditor == creditor { return last }
        let route = Route(creditor: creditor, indices: routes.indices(of: creditor), name: creditor.flatMap { routes.names[$0] })
        last = route
        return route
    }

    /// Closes every file; one result per destination, in their order.
    func finish() throws -> [LandedReport] {
        try sinks.map { sink in
            var landed = LandedReport()
            landed.files.append(Self.file(file.name, try sink.gzip.finish()))
            if let json = sink.json, let lines = file.jsonLines { landed.files.append(Self.file(lines.name, try json.writer.finish())) }
            landed.sheet = try sink.sheet?.finish()
            return landed
        }
    }

    static func file(_ name: String, _ written: AtomicFile.Written) -> ReportManifest.File {
        ReportManifest.File(name: name, size: written.size, sha256: written.sha256)
    }
}
