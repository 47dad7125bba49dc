import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One cell of a `quadra.xlsx` sheet, typed the way the clerk's spreadsheet must see it.
enum WorkbookCell: Equatable {
    /// Always text, so an IUV, a notice number or a fiscal code keeps its leading zeros.
    case text(String)
    /// Euro, from integer cents: a number cell with the `#,##0.00` format.
    case euro(Int64)
    /// A real date cell (a serial day number with a `dd/mm/yyyy` format).
    case date(CivilDate)
    case integer(Int64)
    /// A header cell (bold).
    case heading(String)
}

/// How a report column becomes cells: amounts in cents as euro, days as dates, counts as numbers,
/// everything else (identifiers above all) as text. Decided by the column's name, so a report added
/// later gets its sheet typed without a declaration of its own.
enum WorkbookColumn {
    /// Counts and numbers that are not identifiers.
    static let integers: Set<String> = ["transfer_index", "revision", "flow_revision", "rows", "transfers", "age_days",
                                        "days_late", "days_missing"]
    /// Free text the clerk reads in full: a wider column.
    static let long: Set<String> = ["message", "description", "action", "causale", "taxonomy_description", "creditor_name",
                                    "request", "anomalies", "findings"]

    static func isDate(_ column: String) -> Bool {
        column.hasSuffix("_date") || column.hasSuffix("_day") || column.hasSuffix("_on") || column == "first_seen"
            || column == "missing_since"
    }

    /// The cell of `value` in `column`; a value that does not read as the column's kind stays text
    /// (the period export's `2026-11-01/2026-11-30` payment day).
    static func cell(_ value: String?, column: String) -> WorkbookCell? {
        guard let value, !value.isEmpty else { return nil }
        if CSVDialect.isAmount(column), let cents = Int64(value) { return .euro(cents) }
        if isDate(column), let day = CivilDate(iso: value) { return .date(day) }
        if integers.contains(column), let number = Int64(value) { return .integer(number) }
        return .text(value)
    }

    static func width(_ column: String) -> Int {
        if long.contains(column) { return 48 }
        if isDate(column) { return 12 }
        if CSVDialect.isAmount(column) { return 16 }
        return 20
    }
}

/// A worksheet's XML streamed into a scratch file in the report folder (`<name>.tmp-<pid>`, so a
/// killed run's leftovers are swept like any other), row by row: a night of 100,000 rows never sits
/// in memory. `finish()` closes the sheet; `Workbook` copies the file into the ZIP and removes it.
///
/// With `table` set the first row is a header: frozen (a pane below it) and the autofilter's top.
final class WorkbookSheet {
    /// A finished sheet, ready to go into the workbook.
    struct Finished: Sendable {
        var name: String
        var path: String
        var size: Int
        /// The autofilter's range (`A1:R120`), absent for a sheet that is no table.
        var filter: String?
    }

    let name: String
    private let path: String
    private let table: Bool
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var size = 0
    private var rowCount = 0
    private var widest = 0
    private static let blockSize = 64 * 1024

    /// A sheet whose rows are cells of `widths.count` columns; `table` freezes and filters the first row.
    init(name: String, in folder: ReportFolder, widths: [Int], table: Bool) throws {
        self.name = name
        self.table = table
        path = (folder.path as NSString).appendingPathComponent("quadra.xlsx.\(name).tmp-\(getpid())")
        unlink(path)
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReportError.io(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.blockSize)
        var head = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            """
        head += table ? """
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft"/></sheetView></sheetViews>
            """ : "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>"
        head += "<sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (index, width) in widths.enumerated() {
            head += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        head += "</cols><sheetData>"
        buffer.append(contentsOf: head.utf8)
    }

    /// A report sheet: the Italian headers of `columns`, frozen and filtered.
    convenience init(name: String, in folder: ReportFolder, columns: [String]) throws {
        try self.init(name: name, in: folder, widths: columns.map(WorkbookColumn.width), table: true)
        try row(columns.map { .heading(CSVDialect.excelItalian.header($0)) })
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(path)
        }
    }

    /// A row of a report, each field typed by its column.
    func reportRow(_ fields: [String?], columns: [String]) throws {
        try row(zip(fields, columns).map { WorkbookColumn.cell($0, column: $1) })
    }

    /// The next row; an absent cell is left empty.
    func row(_ cells: [WorkbookCell?]) throws {
        rowCount += 1
        let number = String(rowCount)
        buffer.append(contentsOf: "<row r=\"\(number)\">".utf8)
        for (index, cell) in cells.enumerated() {
            guard let cell else { continue }
            widest = max(widest, index + 1)
            let reference = Self.column(index) + number
            switch cell {
            case let .text(text):
                Self.append(text: text, reference: reference, style: nil, to: &buffer)
            case let .heading(text):
                Self.append(text: text, reference: reference, style: 3, to: &buffer)
            case let .euro(cents):
                buffer.append(contentsOf: "<c r=\"\(reference)\" s=\"1\"><v>\(Money.format(cents))</v></c>".utf8)
            case let .date(day):
                buffer.append(contentsOf: "<c r=\"\(reference)\" s=\"2\"><v>\(Self.serial(day))</v></c>".utf8)
            case let .integer(number):
                buffer.append(contentsOf: "<c r=\"\(reference)\"><v>\(number)</v></c>".utf8)
            }
        }
        buffer.append(contentsOf: "</row>".utf8)
        if buffer.count >= Self.blockSize { try flush() }
    }

    /// Closes the sheet's XML, with the autofilter over every row written when it is a table.
    func finish() throws -> Finished {
        let filter = table && rowCount > 0 ? "A1:\(Self.column(max(widest, 1) - 1))\(rowCount)" : nil
        buffer.append(contentsOf: "</sheetData>".utf8)
        if let filter { buffer.append(contentsOf: "<autoFilter ref=\"\(filter)\"/>".utf8) }
        buffer.append(contentsOf: "</worksheet>".utf8)
        try flush()
        close(descriptor)
        descriptor = -1
        return Finished(name: name, path: path, size: size, filter: filter)
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let done = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if done < 0 {
                    if errno == EINTR { continue }
                    throw ReportError.io(path: path, reason: String(cString: strerror(errno)))
                }
                offset += done
            }
        }
        size += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// An inline string: never a formula, whatever it begins with, and no shared-strings table to
    /// hold in memory. Characters XML 1.0 cannot carry become U+FFFD.
    private static func append(text: String, reference: String, style: Int?, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "<c r=\"\(reference)\"\(style.map { " s=\"\($0)\"" } ?? "") t=\"inlineStr\"><is><t".utf8)
        if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
            buffer.append(contentsOf: " xml:space=\"preserve\"".utf8)
        }
        buffer.append(UInt8(ascii: ">"))
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
            case 0x09, 0x0A, 0x0D: buffer.append(byte)
            case ..<0x20: buffer.append(contentsOf: replacement)
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                buffer.append(contentsOf: replacement)   // U+FFFE, U+FFFF
                index += 2
            default: buffer.append(byte)
            }
            index += 1
        }
        buffer.append(contentsOf: "</t></is></c>".utf8)
    }

    /// The spreadsheet's day number: days since 1899-12-30, the epoch Excel and LibreOffice share
    /// for every date after February 1900.
    static func serial(_ day: CivilDate) -> Int {
        CivilDate.daysBetween(CivilDate(year: 1899, month: 12, day: 30)!, day)
    }

    private static let replacement = Array("\u{FFFD}".utf8)

    /// `A`, `B`, …, `Z`, `AA`, … for a zero-based column index.
    static func column(_ index: Int) -> String {
        var index = index + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            index = (index - 1) / 26
        }
        return String(letters)
    }
}
