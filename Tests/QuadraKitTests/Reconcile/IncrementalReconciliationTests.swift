import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// The incremental engine must never differ from a from-scratch pass: after every night, a copy of
/// the store reconciled with `--full` (every key of the look-back) holds the same verdicts, the same
/// discrepancies (statuses, first-seen dates) and writes the same reports.
@Suite struct IncrementalReconciliationTests {
    static let verdictTables = ["key_verdict", "flow_verdict", "movement_verdict", "discrepancy"]

    /// A generated world with planted defects, its documents dealt at random over five nights: receipts
    /// after their flows, credits before their flows, positions late, revisions and reversals any night.
    @Test func nightsReconciledIncrementallyEqualAFullPassOnACopy() throws {
        let folder = try TestSupport.scratchFolder()
        let out = folder.appendingPathComponent("dataset").path
        let summary = try DatasetGenerator(options: DatasetGeneratorTests.options(seed: 11, receipts: 900, rate: 80_000)).write(to: out)
        let configuration = try QuadraConfiguration.load(path: out + "/quadra.toml")
        let files = try Self.files(under: URL(fileURLWithPath: out + "/inbox"))
        var random = SplitMix64(seed: 5)
        var nights = [[String]](repeating: [], count: 5)
        for file in files { nights[random.below(nights.count)].append(file) }

        let last = try #require(CivilDate(iso: summary.asOf))
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        for (index, night) in nights.enumerated() {
            let day = last.adding(days: index - nights.count + 1)
            _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(night)
            let tonight = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: day)
            #expect(tonight.incremental == (index > 0))
            #expect(try store.pool.read(PaymentDayTotalsTests.agree), "night \(index + 1): the month chart's sums")

            let copy = try Store(path: folder.appendingPathComponent("copy-\(index).sqlite").path)
            try store.pool.backup(to: copy.pool)
            var scratch = Reconciler(store: copy, creditors: configuration.creditors)
            scratch.everything = true
            let full = try scratch.run(asOf: day)
            #expect(full.changedKeys == 0, "night \(index + 1): the full pass changed verdicts the incremental one had left")
            #expect(full.discrepancies == tonight.discrepancies)
            for table in Self.verdictTables {
                #expect(try Self.rows(table, store) == (try Self.rows(table, copy)), "night \(index + 1): \(table)")
            }
            for everything in [false, true] {
                let options = ReportWriter.Options(everything: everything)
                let mine = folder.appendingPathComponent("reports-\(index)")
                let theirs = folder.appendingPathComponent("scratch-\(index)")
                let name = try ReportWriter(store: store, asOf: day, options: options).write(to: mine.path).asOf
                _ = try ReportWriter(store: copy, asOf: day, options: options).write(to: theirs.path)
                let folderName = everything ? "\(name)-full" : name
                #expect(try DatasetGeneratorTests.digests(mine.appendingPathComponent(folderName))
                        == (try DatasetGeneratorTests.digests(theirs.appendingPathComponent(folderName))), "night \(index + 1) reports")
            }
        }
        let keys = try store.count("SELECT count(*) FROM key_verdict")
        let open = try store.count("SELECT count(*) FROM key_verdict WHERE open = 1")
        #expect(keys > 900 && open < keys, "every key of the world was classified by the end, most are closed")
        let quiet = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: last.adding(days: 1))
        #expect(quiet.incremental && quiet.keys >= open && quiet.keys < keys,
                "a night that brings nothing looks at the open keys (and their IUVs' siblings), not the history")
    }

    /// A nightly report holds what the night changed and what is still open; the full listing holds
    /// every key. A key cashed on an earlier night is in the second only.
    @Test func aNightlyReportCarriesTheNightAndTheFullOneEveryKey() throws {
        let (folder, store, configuration) = try Self.sampleDayRun()
        let inbox = SampleDayTests.inbox.path, out = folder.appendingPathComponent("reports").path
        let first = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-20/classification.csv.gz"))
        #expect(first.count == 11 && first.dropFirst().allSatisfy { $0[24] == "new" && $0[25].isEmpty })

        let next = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-21")!).run(inbox: inbox, out: out)
        #expect(next.reconciliation.keys == 0 && next.reconciliation.incremental, "all ten keys were cashed: nothing to look at")
        let night = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/classification.csv.gz"))
        #expect(night.count == 1, "only the header: nothing changed, nothing open")
        #expect(try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/accounting.csv.gz")).count == 1)
        let open = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/treasury.csv.gz")).dropFirst()
        #expect(open.map { $0[10] }.sorted() == ["TES_NO_IUF_OR_IUV", "TES_NO_MATCH"], "unmatched credits stay on the list")

        var options = ReportWriter.Options()
        options.everything = true
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-21")!, options: options).write(to: out)
        let full = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21-full/classification.csv.gz"))
        #expect(full.count == 11 && full.dropFirst().allSatisfy { $0[6] == "CASHED" && $0[24].isEmpty })
        let accounting = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21-full/accounting.csv.gz"))
        #expect(accounting.count > 1)
    }

    /// A creditor whose configuration changes has its keys classified again that night, by itself.
    @Test func aConfigurationChangeReclassifiesThatCreditor() throws {
        var (folder, store, configuration) = try Self.sampleDayRun()
        let inbox = SampleDayTests.inbox.path, out = folder.appendingPathComponent("reports").path
        let index = try #require(configuration.creditors.firstIndex { $0.fiscalCode == "80000000002" })
        configuration.creditors[index].ibans = ["IT60X0542811101000000999999"]
        let next = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-21")!).run(inbox: inbox, out: out)
        let keys = try store.count("SELECT count(*) FROM key_verdict WHERE creditor_fiscal_code = '80000000002'")
        let all = try store.count("SELECT count(*) FROM key_verdict")
        #expect(keys > 0 && next.reconciliation.keys >= keys && next.reconciliation.keys < all, "\(next.reconciliation.keys) of \(all)")
        let codes = try store.rows("SELECT code FROM discrepancy WHERE status = 'new' AND creditor_fiscal_code = '80000000002'")
        #expect(codes.contains("IBAN_NOT_CREDITOR_ACCOUNT"), "its receipts now credit an account it no longer declares")
    }

    /// The keys' evidence is read through a scratch file beside the store: one left by a killed run
    /// (here, not even a database) is replaced, and none is left once the pass ends.
    @Test func theScratchFileOfAKilledPassIsReplacedAndNoneIsLeft() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let scratch = ReconciliationScope.scratchPath(forStore: Store.resolvedPath(store.path))
        try Data("left by a killed run".utf8).write(to: URL(fileURLWithPath: scratch))
        let configuration = try TreasurySamples.configuration
        let night = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        #expect(night.reconciliation.keys == 10)
        #expect(try store.count("SELECT count(*) FROM key_verdict") == 10)
        #expect(!FileManager.default.fileExists(atPath: scratch))
    }

    /// A new store after the sample day's nightly run as of 2026-11-20, reports under `folder/reports`.
    static func sampleDayRun() throws -> (URL, Store, QuadraConfiguration) {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try TreasurySamples.configuration
        _ = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        return (folder, store, configuration)
    }

    static func files(under root: URL) throws -> [String] {
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        var files: [String] = []
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files.append(url.path)
        }
        return files.sorted()
    }

    static func rows(_ table: String, _ store: Store) throws -> [String] {
        try store.pool.read { db in
            let columns = try db.columns(in: table).map(\.name).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY \(columns)").map(\.description)
        }
    }
}
