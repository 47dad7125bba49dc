import Foundation
import Testing
@testable import QuadraKit

/// `quadra run` on the sample day, over a real SQLite store and a copy of `Samples/inbox`.
@Suite struct NightlyRunTests {
    static let day = CivilDate(iso: "2026-11-20")!
    static let reportNames = ["accounting.csv.gz", "classification.csv.gz", "classifications-v1.4.csv.gz", "discrepancies.csv.gz",
                              "discrepancies.jsonl.gz", "flows.csv.gz", "hidden.csv.gz", "manifest.json", "positions.csv.gz",
                              "positions.jsonl.gz", "provvisori.csv.gz", "quadra.xlsx", "recovery.csv.gz", "reversali.csv.gz",
                              "summary.html", "treasury.csv.gz"]
    /// The sample's served creditors, each with a folder of its own beside the intermediary-wide files.
    static let creditorFolders = ["80000000002", "80000000010"]

    private struct Setup {
        var folder: URL
        var store: Store
        var inbox: URL
        var out: URL { folder.appendingPathComponent("out") }
        var reports: URL { out.appendingPathComponent(NightlyRunTests.day.description) }
    }

    private func setUp() throws -> Setup {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        return Setup(folder: folder, store: try Store(path: folder.appendingPathComponent("quadra.sqlite").path), inbox: inbox)
    }

    private func run(_ setup: Setup, options: ReportWriter.Options = .init(), archive: String? = nil) throws -> NightlyRun.Result {
        var nightly = NightlyRun(store: setup.store, configuration: try TreasurySamples.configuration, asOf: Self.day)
        nightly.reportOptions = options
        nightly.archive = archive
        nightly.configurationDigest = NightlyRun.configurationDigest(path: TestSupport.samples.appendingPathComponent("quadra.toml").path)
        return try nightly.run(inbox: setup.inbox.path, out: setup.out.path)
    }

    @Test func theSampleDayWritesEveryReportReadableAndPrivate() throws {
        let setup = try setUp()
        let result = try run(setup)
        #expect(result.exitStatus == .success)
        // The run line ends with each step's wall time: `Scripts/bench-nights.sh` reads them there.
        let steps = try #require(result.line.firstMatch(of: #/ s \(ingest (\d+\.\d\d), reconcile (\d+\.\d\d), reports (\d+\.\d\d)\)$/#))
        #expect(steps.output.1 == String(format: "%.2f", result.phases.ingest))
        #expect(result.phases.ingest > 0 && result.phases.reconcile > 0 && result.phases.reports > 0)
        #expect(result.phases.ingest + result.phases.reconcile + result.phases.reports <= result.seconds)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.reports.path).sorted() == Self.creditorFolders + Self.reportNames)
        for name in Self.reportNames {
            #expect(try ReportFiles.mode(setup.reports.appendingPathComponent(name)) == 0o600, "\(name)")
        }
        let contracts = [
            "classification.csv.gz": ReportWriter.classificationColumns, "treasury.csv.gz": ReportWriter.treasuryColumns,
            "flows.csv.gz": ReportWriter.flowColumns, "discrepancies.csv.gz": ReportWriter.discrepancyColumns,
            "accounting.csv.gz": ReportWriter.accountingColumns,
        ]
        var rows: [String: [[String]]] = [:]
        for (name, columns) in contracts {
            let parsed = try ReportFiles.csvRows(setup.reports.appendingPathComponent(name))
            #expect(parsed.first == columns, "\(name) header")
            #expect(parsed.allSatisfy { $0.count == columns.count }, "\(name) column count")
            rows[name] = Array(parsed.dropFirst())
        }
        #expect(rows["classification.csv.gz"]?.count == 10)
        #expect(rows["classification.csv.gz"]?.map { $0[6] } == Array(repeating: "CASHED", count: 10))
        let keys = rows["classification.csv.gz"]!.map { [$0[0], $0[1], $0[2]] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) }, "sorted by creditor, IUV, IUR")
        #expect(rows["flows.csv.gz"]?.allSatisfy { $0[10] == "CREDITED" } == true)
        #expect(rows["discrepancies.csv.gz"]?.map { $0[0] } == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"], "warning before info")
        #expect(rows["treasury.csv.gz"]?.allSatisfy { ["MATCHED", "IUF_TES_DIV_IMP", "TES_NO_IUF_OR_IUV", "TES_NO_MATCH"].contains($0[10]) } == true)
        let accounted = rows["accounting.csv.gz"]!.reduce(Int64(0)) { $0 + Int64($1[7])! }
        #expect(accounted == 93_270, "every cent paid to the two creditors")
        #expect(rows["accounting.csv.gz"]?.first { $0[1] == "0101100IM" }?[2] == "Rendite catastali (ICI, IMU, TUC, ecc.)",
                "the taxonomy's short service name")

        let lines = try ReportFiles.text(setup.reports.appendingPathComponent("discrepancies.jsonl.gz")).split(separator: "\n")
        #expect(lines.count == rows["discrepancies.csv.gz"]!.count)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?.count == ReportWriter.discrepancyColumns.count)
        }

        let manifest = try JSONDecoder.snakeCase.decode(ReportManifest.self, from: Data(contentsOf: setup.reports.appendingPathComponent("manifest.json")))
        // The run returns its manifest without the document list, which is streamed into the file.
        var returned = result.manifest
        returned.documents = manifest.documents
        #expect(manifest == returned && result.manifest.documents.isEmpty)
        #expect(manifest.documents.map(\.path) == result.ingest.outcomes.map(\.path))
        #expect(manifest.keysByState == ["CASHED": 10] && manifest.amountCentsByState == ["CASHED": 93_270])
        #expect(manifest.files.map(\.name) == Self.reportNames.filter { $0 != "manifest.json" })
        #expect(manifest.documents.count == result.ingest.outcomes.count && manifest.configurationDigest?.count == 64)
        let digests = try ReportFiles.sha256s(in: setup.reports)
        for file in manifest.files { #expect(digests[file.name] == file.sha256, "\(file.name)") }
    }

    @Test func theSummaryPageStandsAlone() throws {
        let setup = try setUp()
        let first = try run(setup).manifest
        let page = try String(contentsOf: setup.reports.appendingPathComponent("summary.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && page.hasSuffix("</html>\n"))
        #expect(!page.contains("<script") && !page.contains("src="), "no script, no external asset")
        let links = page.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(links == Self.creditorFolders.flatMap { ["\($0)/summary.html", "\($0)/"] }, "links only to the creditors' folders beside it")
        #expect(page.contains("932,70 €"), "the cashed total, in Italian")
        #expect(page.contains("CAUSALE_UNPARSEABLE") && page.contains("TES_UNKNOWN_REFERENCE"))
        #expect(!page.contains("Al 20/11/2026"), "no earlier reconciliation: nothing to compare")

        let nextDay = NightlyRun(store: setup.store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-21")!)
        let nextManifest = try nextDay.run(inbox: setup.inbox.path, out: setup.out.path).manifest
        #expect(first.keysByChange == ["new": 10] && first.flowsByChange == ["new": 6] && first.movementsByChange == ["new": 11])
        #expect(nextManifest.keysByChange == [:] && nextManifest.flowsByChange == [:] && nextManifest.movementsByChange == ["open": 2],
                "the manifest counts tonight's rows by what happened to them")
        let next = try String(contentsOf: setup.out.appendingPathComponent("2026-11-21/summary.html"), encoding: .utf8)
        #expect(page.contains("I file di stanotte elencano 10 trasferimenti: 10 nuovi, 0 cambiati, 0 ancora aperti; "
                              + "6 flussi: 6 nuovi, 0 cambiati, 0 ancora aperti; 11 movimenti di tesoreria: 11 nuovi, 0 cambiati, 0 ancora aperti."))
        #expect(next.contains("I file di stanotte elencano 0 trasferimenti: 0 nuovi, 0 cambiati, 0 ancora aperti; "
                              + "0 flussi: 0 nuovi, 0 cambiati, 0 ancora aperti; 2 movimenti di tesoreria: 0 nuovi, 0 cambiati, 2 ancora aperti."),
                "every key was cashed the night before; two credits are still not matched")
        #expect(next.contains("Al 20/11/2026: 2 anomalie aperte; ora 2 (0)."))
        let full = setup.out.appendingPathComponent("full")
        _ = try ReportWriter(store: setup.store, asOf: CivilDate(iso: "2026-11-21")!, options: .init(everything: true)).write(to: full.path)
        let fullPage = try String(contentsOf: full.appendingPathComponent("2026-11-21-full/summary.html"), encoding: .utf8)
        #expect(fullPage.contains("I file di stanotte elencano 10 trasferimenti: 0 nuovi, 0 cambiati, 0 ancora aperti, 10 chiusi in precedenza;"),
                "a full listing counts what closed before tonight too")
        let creditorNext = try String(contentsOf: setup.out.appendingPathComponent("2026-11-21/80000000010/summary.html"), encoding: .utf8)
        #expect(creditorNext.contains("Provincia di Esempio") && !creditorNext.contains("Al 20/11/2026"),
                "the previous run counted every creditor's discrepancies: no comparison on one creditor's page")
    }

    @Test func runningAgainGivesByteIdenticalReports() throws {
        let setup = try setUp()
        let first = try run(setup)
        let before = try ReportFiles.sha256s(in: setup.reports)
        let second = try run(setup)
        let after = try ReportFiles.sha256s(in: setup.reports)
        #expect(second.ingest.count(.skipped) == first.ingest.outcomes.count, "the ledger skips what it has")
        #expect(second.manifest == first.manifest, "documents are listed as the ledger filed them")
        #expect(after == before, "same store and as-of date, same bytes, manifest included")

        let again = try setUp()
        let fresh = try run(again)
        var reports = try ReportFiles.sha256s(in: again.reports), earlier = before
        reports["manifest.json"] = nil
        earlier["manifest.json"] = nil
        #expect(reports == earlier, "a new store over the same documents writes the same files")
        #expect(fresh.manifest.files == first.manifest.files, "only the inbox's own path differs in the manifest")
    }

    /// Finding 6.7: a same-day rerun after archiving (a late file in an otherwise emptied inbox) keeps
    /// the first run's documents in the manifest and adds the new one.
    @Test func aSameDayRerunKeepsTheEarlierRunsDocuments() throws {
        let setup = try setUp()
        let archive = setup.folder.appendingPathComponent("archive").path
        _ = try run(setup, archive: archive)
        let first = try writtenDocuments(setup)
        let late = try TestSupport.write(try SampleReceipt.text, to: setup.inbox, as: "late/rt.xml")
        _ = try run(setup, archive: archive)
        let second = try writtenDocuments(setup)
        #expect(!first.isEmpty && second.count == first.count + 1)
        #expect(Array(second.prefix(first.count)) == first)
        #expect(second.last?.path == late.path)
    }

    /// The documents listed by the night's `manifest.json` (a run streams them into the file).
    private func writtenDocuments(_ setup: Setup) throws -> [ReportManifest.Document] {
        try JSONDecoder.snakeCase.decode(ReportManifest.self, from: Data(contentsOf: setup.reports.appendingPathComponent("manifest.json"))).documents
    }

    @Test func debtorIdsAreMaskedUnlessAskedAndGroupReadableWidensTheMode() throws {
        let setup = try setUp()
        _ = try run(setup)
        let masked = try ReportFiles.csvRows(setup.reports.appendingPathComponent("classification.csv.gz")).dropFirst().map { $0[23] }
        #expect(masked.allSatisfy { $0.isEmpty || ($0.dropFirst(6).allSatisfy { $0 == "*" } && $0.count > 6) })
        _ = try run(setup, options: .init(unmask: true, groupReadable: true))
        let whole = try ReportFiles.csvRows(setup.reports.appendingPathComponent("classification.csv.gz")).dropFirst().map { $0[23] }
        #expect(zip(masked, whole).allSatisfy { $0.prefix(6) == $1.prefix(6) && $0.count == $1.count })
        #expect(whole.contains { !$0.isEmpty && !$0.contains("*") })
        #expect(try ReportFiles.mode(setup.reports.appendingPathComponent("classification.csv.gz")) == 0o640)
    }

    @Test func archivingMovesStoredAndRefusedDocumentsApart() throws {
        let setup = try setUp()
        _ = try TestSupport.write("not a pagoPA document", to: setup.inbox, as: "junk/note.txt")
        let archive = setup.folder.appendingPathComponent("archive")
        let result = try run(setup, archive: archive.path)
        #expect(result.exitStatus == .dataError)
        let left = FileManager.default.enumerator(atPath: setup.inbox.path)!.compactMap { $0 as? String }
            .filter { !FileManager.default.isDirectory(setup.inbox.appendingPathComponent($0)) }
        #expect(left.isEmpty, "every document left the inbox: \(left)")
        let rejected = archive.appendingPathComponent("rejected/2026/11/20/junk/note.txt")
        #expect(FileManager.default.fileExists(atPath: rejected.path))
        #expect(try String(contentsOf: URL(fileURLWithPath: rejected.path + ".reason"), encoding: .utf8).isEmpty == false)
        #expect(FileManager.default.fileExists(atPath: archive.appendingPathComponent("2026/11/20/flows/2026-11-17ABI08999-00123.xml").path))
        #expect(result.line.contains("rejected 1"))
    }

    @Test func archivedPathsNeverClimbOutOfTheArchive() {
        #expect(DocumentArchive.relative("/in/a/b.xml", to: "/in") == "a/b.xml")
        #expect(DocumentArchive.relative("/elsewhere/b.xml", to: "/in") == "b.xml")
        #expect(DocumentArchive.relative("/in/../x/b.xml", to: "/in") == "b.xml")
    }
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

extension FileManager {
    func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}
