import Foundation
import Testing
@testable import QuadraKit

/// Each served creditor's own folder, `OUT/<as-of>/<fiscal code>/`, on the sample day: only its rows,
/// its name beside its fiscal code, its own manifest; `--creditor` writes one alone.
@Suite struct CreditorFolderTests {
    static let day = CivilDate(iso: "2026-11-20")!

    /// The sample day run into a fresh store; returns the store and the reports' root (`prepare`d first).
    static func sampleNight(options: ReportWriter.Options = .init(), prepare: (URL) throws -> Void = { _ in })
        throws -> (store: Store, out: URL) {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var nightly = NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: day)
        nightly.reportOptions = options
        let out = folder.appendingPathComponent("out")
        try prepare(out)
        _ = try nightly.run(inbox: inbox.path, out: out.path)
        return (store, out)
    }

    /// Under a setgid reports root (the installed one, owned by the readers' group), the night's folder
    /// and every creditor's keep the setgid bit, so all their files belong to the readers' group.
    @Test func underASetgidRootEveryFolderOfTheNightKeepsTheReadersGroup() throws {
        let (_, out) = try Self.sampleNight(options: .init(groupReadable: true)) { out in
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
            try #require(chmod(out.path, 0o2750) == 0)
        }
        let night = out.appendingPathComponent(Self.day.description)
        for folder in [night.path] + NightlyRunTests.creditorFolders.map({ night.appendingPathComponent($0).path }) {
            var info = stat()
            try #require(stat(folder, &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o2750, "\(folder): \(String(info.st_mode & 0o7777, radix: 8))")
        }
    }

    /// The report files each creditor's folder holds, and the creditor column of each CSV.
    static let creditorColumns = ["classification.csv.gz": 0, "treasury.csv.gz": 1, "flows.csv.gz": 0, "discrepancies.csv.gz": 3,
                                  "accounting.csv.gz": 0, "recovery.csv.gz": 0]

    @Test func eachCreditorGetsItsOwnRowsWithItsNameAndItsOwnManifest() throws {
        let (_, out) = try Self.sampleNight()
        let night = out.appendingPathComponent(Self.day.description)
        let names = ["80000000002": "Comune di Esempio", "80000000010": "Provincia di Esempio"]
        for (name, column) in Self.creditorColumns {
            let wide = try ReportFiles.csvRows(night.appendingPathComponent(name))
            var together: [[String]] = []
            for creditor in NightlyRunTests.creditorFolders {
                let own = try ReportFiles.csvRows(night.appendingPathComponent("\(creditor)/\(name)"))
                var header = wide[0]
                header.insert("creditor_name", at: column + 1)
                #expect(own.first == header, "\(creditor)/\(name) header")
                for row in own.dropFirst() {
                    #expect(row[column] == creditor && row[column + 1] == names[creditor], "\(creditor)/\(name): only its rows, named")
                    var plain = row
                    plain.remove(at: column + 1)
                    together.append(plain)
                }
            }
            let served = wide.dropFirst().filter { names[$0[column]] != nil }
            #expect(Set(together.map { $0.joined(separator: "\u{1}") }) == Set(served.map { $0.joined(separator: "\u{1}") }),
                    "\(name): the creditors' rows are the served ones of the intermediary-wide file")
            #expect(together.count == served.count, "\(name): no row twice")
        }
        let wideManifest = try JSONDecoder.snakeCase.decode(ReportManifest.self, from: Data(contentsOf: night.appendingPathComponent("manifest.json")))
        #expect(wideManifest.creditors?.map(\.fiscalCode) == NightlyRunTests.creditorFolders && wideManifest.creditor == nil)
        var keys = 0, cents: Int64 = 0
        for creditor in NightlyRunTests.creditorFolders {
            let folder = night.appendingPathComponent(creditor)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == NightlyRunTests.reportNames)
            for name in NightlyRunTests.reportNames { #expect(try ReportFiles.mode(folder.appendingPathComponent(name)) == 0o600) }
            let manifest = try JSONDecoder.snakeCase.decode(ReportManifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
            #expect(manifest.creditor == ServedCreditor(fiscalCode: creditor, name: names[creditor]!))
            #expect(manifest.documents.isEmpty && manifest.creditors == nil, "nothing of the other creditors is named")
            let digests = try ReportFiles.sha256s(in: folder)
            #expect(manifest.files.map(\.name) == NightlyRunTests.reportNames.filter { $0 != "manifest.json" })
            for file in manifest.files { #expect(digests[file.name] == file.sha256, "\(creditor)/\(file.name)") }
            keys += manifest.keysByState.values.reduce(0, +)
            cents += manifest.amountCentsByState.values.reduce(0, +)
            let page = try String(contentsOf: folder.appendingPathComponent("summary.html"), encoding: .utf8)
            #expect(page.contains(names[creditor]!) && !page.contains("href="), "the creditor's own page, no link out of its folder")
        }
        #expect(keys == 10 && cents == 93_270, "the creditors' folders share out the night's keys")
    }

    @Test func oneCreditorAloneLeavesTheOthersAndTheIntermediaryWideFilesUntouched() throws {
        let (store, out) = try Self.sampleNight()
        let again = try TestSupport.scratchFolder()
        var options = ReportWriter.Options()
        options.creditor = "80000000010"
        let manifest = try ReportWriter(store: store, asOf: Self.day, options: options).write(to: again.path)
        #expect(manifest.creditor?.fiscalCode == "80000000010")
        let night = again.appendingPathComponent(Self.day.description)
        #expect(try FileManager.default.contentsOfDirectory(atPath: night.path) == ["80000000010"])
        let alone = try ReportFiles.sha256s(in: night.appendingPathComponent("80000000010"))
        let nightly = try ReportFiles.sha256s(in: out.appendingPathComponent("\(Self.day)/80000000010"))
        #expect(alone == nightly, "the same folder as the night wrote, manifest included")

        options.creditor = "90000000001"
        #expect(throws: ReportError.notServed(fiscalCode: "90000000001", served: NightlyRunTests.creditorFolders)) {
            try ReportWriter(store: store, asOf: Self.day, options: options).write(to: again.path)
        }
    }

    @Test func aFullListingAndAPeriodExportHaveTheirCreditorFoldersToo() throws {
        let (store, out) = try Self.sampleNight()
        var options = ReportWriter.Options(everything: true)
        _ = try ReportWriter(store: store, asOf: Self.day, options: options).write(to: out.path)
        let full = try ReportFiles.csvRows(out.appendingPathComponent("\(Self.day)-full/80000000010/classification.csv.gz")).dropFirst()
        #expect(!full.isEmpty && full.allSatisfy { $0[0] == "80000000010" })
        options = ReportWriter.Options(period: CivilDate(iso: "2026-11-01")!...CivilDate(iso: "2026-11-30")!)
        _ = try ReportWriter(store: store, asOf: Self.day, options: options).write(to: out.path)
        let period = out.appendingPathComponent("period-2026-11-01_2026-11-30/80000000002")
        #expect(try FileManager.default.contentsOfDirectory(atPath: period.path).sorted() == ["accounting.csv.gz", "manifest.json"])
    }
}

/// `quadra report --creditor CF` as a clerk types it: the built binary, exit codes.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
struct CreditorCommandTests {
    @Test func reportForOneCreditorWritesItsFolderAloneAndRefusesOneNotServed() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        let night = try ReportFiles.execute(CrashRecoveryTests.quadra, ["run", "--inbox", SampleDayTests.inbox.path, "--config", config,
                                                                         "--db", db, "--settle", "0", "--out", folder.appendingPathComponent("night").path,
                                                                         "--as-of", "2026-11-20"])
        #expect(night.status == 0, "\(night.stderr)")
        let one = try ReportFiles.execute(CrashRecoveryTests.quadra, ["report", "--db", db, "--creditor", "80000000010",
                                                                       "--out", folder.appendingPathComponent("one").path])
        #expect(one.status == 0 && one.stderr.contains("one/2026-11-20/80000000010"), "\(one.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("one/2026-11-20").path) == ["80000000010"])
        let unknown = try ReportFiles.execute(CrashRecoveryTests.quadra, ["report", "--db", db, "--creditor", "90000000001",
                                                                           "--out", folder.appendingPathComponent("none").path])
        #expect(unknown.status == 64 && unknown.stderr.contains("90000000001 is not a creditor the last reconciliation served (80000000002, 80000000010)"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none").path), "nothing written")
    }

    /// A night written for Italian spreadsheets, its reversali split by capitolo: the Comune's folder
    /// written again without the configuration comes out the same bytes, not in the machine dialect
    /// and without the split.
    @Test func aCreditorsFolderWrittenAgainKeepsTheNightsDialect() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        let gpd = inbox.appendingPathComponent("80000000002/gpd/2026-11-02_bulk-tributi-polizia.json")
        var text = try String(contentsOf: gpd, encoding: .utf8)
        let first = try #require(text.range(of: "\"transferMetadata\": []"), "the TARI transfer comes first")
        text.replaceSubrange(first, with: "\"transferMetadata\": [{\"key\": \"CAPITOLO\", \"value\": \"1010\"}]")
        try text.write(to: gpd, atomically: true, encoding: .utf8)
        let toml = try String(contentsOf: TestSupport.samples.appendingPathComponent("quadra.toml"), encoding: .utf8)
            + "\n[reports]\ncsv_dialect = \"excel-it\"\nlanguage = \"en\"\n\n[accounting]\ncapitolo_key = \"CAPITOLO\"\n"
        let config = try TestSupport.write(toml, to: folder, as: "excel.toml").path
        let out = folder.appendingPathComponent("night")
        let night = try ReportFiles.execute(CrashRecoveryTests.quadra, ["run", "--inbox", inbox.path, "--config", config,
                                                                         "--db", db, "--settle", "0", "--out", out.path, "--as-of", "2026-11-20"])
        #expect(night.status == 0, "\(night.stderr)")
        let creditor = out.appendingPathComponent("2026-11-20/80000000002")
        #expect(try ReportFiles.text(creditor.appendingPathComponent("reversali.csv.gz")).contains(";1010;"), "split by capitolo")
        let names = try FileManager.default.contentsOfDirectory(atPath: creditor.path).sorted()
        let before = try names.map { try Data(contentsOf: creditor.appendingPathComponent($0)) }
        let again = try ReportFiles.execute(CrashRecoveryTests.quadra, ["report", "--db", db, "--creditor", "80000000002", "--out", out.path])
        #expect(again.status == 0, "\(again.stderr)")
        for (name, bytes) in zip(names, before) {
            #expect(try Data(contentsOf: creditor.appendingPathComponent(name)) == bytes, "\(name)")
        }
    }
}
