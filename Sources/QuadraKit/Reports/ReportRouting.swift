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
        let json: GzipWriter?
        let sheet: WorkbookSheet?

        init(_ file: ReportFile, columns: [String], in folder: ReportFolder, dialect: CSVDialect, sheets: Bool) throws {
            gzip = try GzipWriter(into: try folder.create(file.name))
            csv = try CSVWriter(into: gzip, header: columns, dialect: dialect)
            json = try file.jsonLines.map { try GzipWriter(into: try folder.create($0.name)) }
            sheet = try file.sheet.flatMap { sheets ? try WorkbookSheet(name: $0, in: folder, columns: file.namedColumns) : nil }
        }
    }

    private let file: ReportFile
    private let destinations: [ReportDestination]
    private let sinks: [Sink]
    private let routes: ReportRoutes

    /// `sheets`: whether a workbook will take the report's sheet (not for a period export).
    init(_ file: ReportFile, to destinations: [ReportDestination], dialect: CSVDialect, sheets: Bool = true) throws {
        self.file = file
        self.destinations = destinations
        sinks = try destinations.map { destination in
            try Sink(file, columns: destination.creditor == nil ? file.columns : file.namedColumns, in: destination.folder,
                     dialect: file.dialect ?? dialect, sheets: sheets)
        }
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
        let named = file.named(fields, creditor.flatMap { routes.names[$0] })
        let reached = routes.indices(of: creditor)
        for index in reached {
            let sink = sinks[index]
            let written = destinations[index].creditor == nil ? fields : named
            try sink.csv.row(written)
            if let json = sink.json, let lines = file.jsonLines {
                try json.write(ReportWriter.jsonLine(sink.csv.columns, written, numeric: lines.numeric))
            }
            try sink.sheet?.reportRow(named, columns: file.namedColumns)
        }
        return reached
    }

    /// Closes every file; one result per destination, in their order.
    func finish() throws -> [LandedReport] {
        try sinks.map { sink in
            var landed = LandedReport()
            landed.files.append(Self.file(file.name, try sink.gzip.finish()))
            if let json = sink.json, let lines = file.jsonLines { landed.files.append(Self.file(lines.name, try json.finish())) }
            landed.sheet = try sink.sheet?.finish()
            return landed
        }
    }

    static func file(_ name: String, _ written: AtomicFile.Written) -> ReportManifest.File {
        ReportManifest.File(name: name, size: written.size, sha256: written.sha256)
    }
}
