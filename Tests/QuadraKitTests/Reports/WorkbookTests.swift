import Foundation
import Testing
@testable import QuadraKit

/// `quadra.xlsx` read back by an independent reader, Python's openpyxl (`.ci/run` installs it).
@Suite struct WorkbookTests {
    static let hasOpenpyxl = (try? ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import openpyxl"]).status) == 0

    /// Every sheet as openpyxl sees it: name, frozen pane, autofilter, and each cell as
    /// `[value, data type, number format]` (dates as ISO days), rows in order.
    static func read(_ workbook: URL) throws -> [[String: Any]] {
        let script = """
            import json, sys, datetime, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            def cell(c):
                value = c.value.date().isoformat() if isinstance(c.value, datetime.datetime) else c.value
                return [value, c.data_type, c.number_format]
            print(json.dumps([{"name": s.title, "freeze": s.freeze_panes, "filter": s.auto_filter.ref,
                               "rows": [[cell(c) for c in row] for row in s.iter_rows()]} for s in book]))
            """
        let python = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, workbook.path])
        guard python.status == 0, let sheets = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [[String: Any]] else {
            throw ReportError.io(path: workbook.path, reason: "openpyxl could not read it: \(python.stderr)")
        }
        return sheets
    }

    static func rows(_ sheet: [String: Any]) -> [[[Any]]] {
        (sheet["rows"] as? [[[Any]]]) ?? []
    }

    @Test(.enabled(if: hasOpenpyxl, "python3 with openpyxl is missing (.ci/run installs it)"))
    func theNightsWorkbookHasTypedCellsAndTheCSVsTotals() throws {
        let (_, out) = try CreditorFolderTests.sampleNight()
        let night = out.appendingPathComponent(CreditorFolderTests.day.description)
        for folder in [night] + NightlyRunTests.creditorFolders.map({ night.appendingPathComponent($0) }) {
            let sheets = try Self.read(folder.appendingPathComponent("quadra.xlsx"))
            #expect(sheets.map { $0["name"] as? String } == ["Riepilogo", "Anomalie", "Incassi", "Flussi", "Tesoreria", "Reversali"])
            let byName = Dictionary(uniqueKeysWithValues: sheets.map { ($0["name"] as! String, $0) })
            for name in ["Anomalie", "Incassi", "Flussi", "Tesoreria"] {
                let sheet = byName[name]!
                let rows = Self.rows(sheet)
                #expect(sheet["freeze"] as? String == "A2", "\(name): header row frozen")
                let last = WorkbookSheet.column((rows.first?.count ?? 1) - 1)
                #expect(sheet["filter"] as? String == "A1:\(last)\(rows.count)", "\(name): autofilter on the used range")
            }

            let accounting = try ReportFiles.csvRows(folder.appendingPathComponent("accounting.csv.gz"))
            let incassi = Self.rows(byName["Incassi"]!)
            let header = incassi[0].map { $0[0] as? String }
            #expect(header.first == "Codice fiscale ente" && header.contains("Ente") && header.last == "Importo (€)", "Italian headers")
            #expect(incassi.count == accounting.count, "one row per CSV row")
            var cents: Int64 = 0
            for row in incassi.dropFirst() {
                let amount = row.last!
                #expect(amount[1] as? String == "n" && amount[2] as? String == "#,##0.00", "euro as a number with #,##0.00")
                cents += Int64(((amount[0] as! NSNumber).doubleValue * 100).rounded())
                let day = row[header.firstIndex(of: "Data pagamento")!]
                #expect(day[1] as? String == "d" && day[2] as? String == "dd/mm/yyyy", "the payment day as a date")
                #expect(row[0][1] as? String == "s" && (row[0][0] as? String)?.count == 11, "the fiscal code as text")
            }
            let total = accounting.dropFirst().reduce(Int64(0)) { $0 + Int64($1.last!)! }
            #expect(cents == total && total > 0, "the sheet's total is the CSV's")

            let treasury = try ReportFiles.csvRows(folder.appendingPathComponent("treasury.csv.gz"))
            let tesoreria = Self.rows(byName["Tesoreria"]!)
            let iuvColumn = tesoreria[0].firstIndex { $0[0] as? String == "IUV letto" }!
            let iuvs = tesoreria.dropFirst().compactMap { $0[iuvColumn][0] as? String }
            #expect(iuvs == treasury.dropFirst().map { $0[treasury[0].firstIndex(of: "parsed_iuv")!] }.filter { !$0.isEmpty },
                    "IUVs as text, leading zeros kept")
            #expect(folder.lastPathComponent == "80000000010" || iuvs.contains("01261060000077770"))
        }
        let summary = Self.rows(try Self.read(night.appendingPathComponent("80000000002/quadra.xlsx"))[0])
        #expect(summary[0][1][0] as? String == "2026-11-20" && summary[0][1][1] as? String == "d")
        #expect(summary[1][1][0] as? String == "Comune di Esempio")
    }

    @Test(.enabled(if: hasOpenpyxl, "python3 with openpyxl is missing (.ci/run installs it)"))
    func aSheetKeepsTextAsTextAndNeverRunsAFormula() throws {
        let folder = try ReportFolder(root: try TestSupport.scratchFolder().path, name: "book")
        let columns = ["iuv", "amount_cents", "payment_day", "transfers", "causale"]
        let sheet = try WorkbookSheet(name: "Prova", in: folder, columns: columns)
        try sheet.reportRow(["00012345678901234", "-123456", "2026-02-28", "7", "=HYPERLINK(\"x\") & <b> \u{1}"], columns: columns)
        try sheet.reportRow(["01261060000077770", nil, "2026-11-01/2026-11-30", "x", " spazio "], columns: columns)
        let written = try Workbook.write([try sheet.finish()], in: folder)
        let url = URL(fileURLWithPath: folder.path).appendingPathComponent("quadra.xlsx")
        #expect(written.size == (try Data(contentsOf: url)).count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["quadra.xlsx"], "no scratch file left")
        let rows = Self.rows(try Self.read(url)[0])
        #expect(rows[1][0] as? [AnyHashable] == ["00012345678901234", "s", "General"])
        #expect((rows[1][1][0] as? NSNumber)?.doubleValue == -1234.56 && rows[1][1][2] as? String == "#,##0.00")
        #expect(rows[1][2] as? [AnyHashable] == ["2026-02-28", "d", "dd/mm/yyyy"])
        #expect((rows[1][3][0] as? NSNumber)?.intValue == 7 && rows[1][3][1] as? String == "n")
        #expect(rows[1][4] as? [AnyHashable] == ["=HYPERLINK(\"x\") & <b> \u{FFFD}", "s", "General"], "a string, not a formula")
        #expect(rows[2][0][0] as? String == "01261060000077770" && rows[2][1][0] is NSNull)
        #expect(rows[2][2][0] as? String == "2026-11-01/2026-11-30" && rows[2][3][0] as? String == "x", "what is no date or number stays text")
        #expect(rows[2][4][0] as? String == " spazio ", "spaces kept")
        let script = "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/workbook.xml').decode())"
        let workbook = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, url.path]).stdout
        #expect(workbook.contains("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">'Prova'!$A$1:$E$3</definedName>"),
                "the filter's range as Excel names it")
    }

    @Test func serialDaysAndColumnLettersAreTheSpreadsheetsOwn() {
        #expect(WorkbookSheet.serial(CivilDate(iso: "2026-11-20")!) == 46346)
        #expect(WorkbookSheet.serial(CivilDate(iso: "1900-03-01")!) == 61)
        #expect([0, 25, 26, 51, 52, 701, 702].map(WorkbookSheet.column) == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"])
    }

    @Test func rowsOfACreditorNotServedStayInTheIntermediaryWideFile() throws {
        let root = try TestSupport.scratchFolder().path
        let destinations = [ReportDestination(creditor: nil, folder: try ReportFolder(root: root, name: "night")),
                            ReportDestination(creditor: ServedCreditor(fiscalCode: "80000000002", name: "Comune di Esempio"),
                                              folder: try ReportFolder(root: root + "/night", name: "80000000002"))]
        let file = ReportFile(name: "prova.csv.gz", columns: ["creditor_fiscal_code", "amount_cents"], creditorColumn: 0)
        let report = try RoutedReport(file, to: destinations, dialect: .machine)
        #expect(try report.row(["80000000002", "100"]) == [0, 1])
        #expect(try report.row(["90000000001", "200"]) == [0])
        #expect(try report.row([nil, "300"]) == [0])
        _ = try report.finish()
        let wide = try ReportFiles.csvRows(URL(fileURLWithPath: root + "/night/prova.csv.gz"))
        let own = try ReportFiles.csvRows(URL(fileURLWithPath: root + "/night/80000000002/prova.csv.gz"))
        #expect(wide == [["creditor_fiscal_code", "amount_cents"], ["80000000002", "100"], ["90000000001", "200"], ["", "300"]])
        #expect(own == [["creditor_fiscal_code", "creditor_name", "amount_cents"], ["80000000002", "Comune di Esempio", "100"]])
    }
}
