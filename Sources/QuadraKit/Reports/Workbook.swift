import Foundation
import ZIPFoundation

/// `quadra.xlsx`: an Office Open XML workbook the clerk opens in Excel or LibreOffice as it is, put
/// together from sheets already streamed to disk (`WorkbookSheet`) through ZIPFoundation.
///
/// ```swift
/// let written = try Workbook.write([summary, discrepancies], in: folder)
/// ```
///
/// Deterministic bytes: the parts go in a fixed order, every entry with the same timestamp
/// (1980-01-01 00:00, the first the ZIP format can state) and mode 0644, no document properties (no
/// author, no creation time). Styles: 1 is euro (`#,##0.00`, which an Italian Excel shows as
/// `#.##0,00`), 2 a date (`dd/mm/yyyy`), 3 a bold header.
enum Workbook {
    static let name = "quadra.xlsx"
    /// The sheets in the order the clerk meets them; a sheet not listed here goes after these, by name.
    static let order = ["Riepilogo", "Anomalie", "Incassi", "Flussi", "Tesoreria", "Reversali"]
    private static let timestamp = Date(timeIntervalSince1970: 315_532_800)
    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// Writes the workbook into `folder` under its name (atomically, like every report) and removes
    /// the sheets' scratch files.
    static func write(_ sheets: [WorkbookSheet.Finished], in folder: ReportFolder) throws -> AtomicFile.Written {
        let sheets = sheets.sorted { rank($0.name) < rank($1.name) }
        defer { for sheet in sheets { unlink(sheet.path) } }
        let zipPath = (folder.path as NSString).appendingPathComponent("\(name).zip.tmp-\(getpid())")
        unlink(zipPath)
        defer { unlink(zipPath) }
        do {
            let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
            try add("[Content_Types].xml", contentTypes(sheets.count), to: archive)
            try add("_rels/.rels", """
                <Relationships xmlns="\(packageRelationships)"><Relationship Id="rId1" \
                Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """, to: archive)
            try add("xl/workbook.xml", workbook(sheets), to: archive)
            try add("xl/_rels/workbook.xml.rels", workbookRelationships(sheets.count), to: archive)
            try add("xl/styles.xml", styles, to: archive)
            for (index, sheet) in sheets.enumerated() {
                guard let input = FileHandle(forReadingAtPath: sheet.path) else {
                    throw ReportError.io(path: sheet.path, reason: "the sheet's scratch file cannot be read")
                }
                defer { try? input.close() }
                try archive.addEntry(with: "xl/worksheets/sheet\(index + 1).xml", type: .file, uncompressedSize: Int64(sheet.size),
                                     modificationDate: timestamp, permissions: 0o644, compressionMethod: .deflate) { _, size in
                    try input.read(upToCount: size) ?? Data()
                }
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError.io(path: zipPath, reason: "\(error)")
        }
        return try copy(zipPath, into: try folder.create(name))
    }

    private static func rank(_ sheet: String) -> (Int, String) {
        (order.firstIndex(of: sheet) ?? order.count, sheet)
    }

    private static func add(_ path: String, _ text: String, to archive: Archive) throws {
        let data = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + text).utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: timestamp,
                             permissions: 0o644, compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// The finished ZIP into the report's atomic file, which digests it for the manifest.
    private static func copy(_ path: String, into file: AtomicFile) throws -> AtomicFile.Written {
        guard let input = FileHandle(forReadingAtPath: path) else { throw ReportError.io(path: path, reason: "cannot be read") }
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try file.write($0) }
        }
        return try file.commit()
    }

    private static func contentTypes(_ sheets: Int) -> String {
        let worksheets = (0..<sheets).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(worksheets)</Types>
            """
    }

    /// The sheets by name, and each table's autofilter range as the hidden name Excel keeps it under.
    private static func workbook(_ sheets: [WorkbookSheet.Finished]) -> String {
        let list = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(Markup.escape(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }.joined()
        let filters = sheets.enumerated().compactMap { index, sheet -> String? in
            guard let filter = sheet.filter else { return nil }
            let absolute = filter.split(separator: ":").map { reference -> String in
                let letters = reference.prefix { $0.isLetter }
                return "$\(letters)$\(reference.dropFirst(letters.count))"
            }.joined(separator: ":")
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">'\(Markup.escape(sheet.name))'!\(absolute)</definedName>"
        }.joined()
        return """
            <workbook xmlns="\(main)" xmlns:r="\(relationships)"><bookViews><workbookView activeTab="0"/></bookViews>\
            <sheets>\(list)</sheets>\(filters.isEmpty ? "" : "<definedNames>\(filters)</definedNames>")</workbook>
            """
    }

    private static func workbookRelationships(_ sheets: Int) -> String {
        var items = (0..<sheets).map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }
        items.append("<Relationship Id=\"rId\(sheets + 1)\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>")
        return "<Relationships xmlns=\"\(packageRelationships)\">\(items.joined())</Relationships>"
    }

    private static let styles = """
        <styleSheet xmlns="\(main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
