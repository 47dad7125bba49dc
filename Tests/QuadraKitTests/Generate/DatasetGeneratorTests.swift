import Crypto
import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// The generator is the benchmark's input and the engine's examiner: its documents must be read
/// cleanly, and reconciling them must find exactly the defects it planted.
@Suite struct DatasetGeneratorTests {
    static func options(seed: UInt64 = 7, receipts: Int, rate: Int, perArchive: Int = 0) -> DatasetOptions {
        var options = DatasetOptions()
        options.seed = seed
        options.creditors = 8
        options.receipts = receipts
        options.days = 3
        options.anomalyRatePerMillion = rate
        options.receiptsPerArchive = perArchive
        return options
    }

    /// Relative path → SHA-256 of every file under `root`.
    static func digests(_ root: URL) throws -> [String: String] {
        var digests: [String: String] = [:]
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in files where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let name = String(url.path.dropFirst(root.path.count))
            digests[name] = SHA256.hash(data: try Data(contentsOf: url)).hexString
        }
        return digests
    }

    @Test func theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws {
        let folder = try TestSupport.scratchFolder()
        for (name, seed) in [("a", UInt64(3)), ("b", 3), ("c", 4)] {
            try DatasetGenerator(options: Self.options(seed: seed, receipts: 400, rate: 50_000, perArchive: 150))
                .write(to: folder.appendingPathComponent(name).path)
        }
        let a = try Self.digests(folder.appendingPathComponent("a"))
        #expect(a.count > 100)
        #expect(a.keys.filter { $0.hasSuffix(".zip") }.count == 3, "400 receipts and a few copies to other stations, 150 a ZIP")
        #expect(a == (try Self.digests(folder.appendingPathComponent("b"))))
        #expect(a != (try Self.digests(folder.appendingPathComponent("c"))))
    }

    /// Loose receipts and receipts packed in ZIP archives must reconcile alike.
    @Test(arguments: [0, 1_000])
    func reconcilingFindsEveryPlantedDefectAndNothingElse(perArchive: Int) throws {
        let folder = try TestSupport.scratchFolder()
        let out = folder.appendingPathComponent("dataset").path
        let summary = try DatasetGenerator(options: Self.options(receipts: 3_000, rate: 60_000, perArchive: perArchive)).write(to: out)
        let planted = Set(summary.anomalies.keys)
        let every = Set(InjectedAnomaly.allCases.map(\.rawValue) + [DatasetReversali.shortAnomaly])
        #expect(planted == every, "kinds never planted: \(every.subtracting(planted).sorted())")

        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try QuadraConfiguration.load(path: out + "/quadra.toml")
        let result = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: summary.asOf)!)
            .run(inbox: out + "/inbox", out: folder.appendingPathComponent("reports").path)
        #expect(result.ingest.count(.rejected) == 0 && result.ingest.count(.partial) == 0)
        #expect(result.ingest.count(.ingested) + result.ingest.count(.duplicate) == result.ingest.outcomes.count)
        let pages = result.ingest.outcomes.filter { $0.kind == .flowPage }
        #expect(pages.count >= 2 && result.ingest.outcomes.contains { $0.kind == .flowHeader },
                "FdR-3 flows planted as header and pages are read and assembled")
        #expect(try store.rows("SELECT count(*) FROM flow_part WHERE assembled = 0") == ["0"])
        if perArchive == 0 {
            // Some secondary stations get paSendRT of a paSendRTV2 payment: one of the pair is a duplicate, never a conflict.
            let status = Dictionary(result.ingest.outcomes.map { ($0.path, $0.status) }, uniquingKeysWith: { $1 })
            let v1 = try result.ingest.outcomes.filter { $0.path.contains(".to-") }
                .filter { try String(contentsOfFile: $0.path, encoding: .utf8).contains("paSendRTReq") }
            let v2Originals = try v1.map { $0.path.replacingOccurrences(of: #"\.to-\d{11}\.xml$"#, with: ".xml", options: .regularExpression) }
                .filter { try String(contentsOfFile: $0, encoding: .utf8).contains("paSendRTV2Request") }
            #expect(!v2Originals.isEmpty && v2Originals.allSatisfy { status[$0] == .ingested || status[$0] == .duplicate })
        }

        let truth = try DiscrepancyKeys.truth(at: out + "/truth.jsonl")
        let positions = truth.filter { $0.positionStatus != nil }
        #expect(Set(positions.compactMap(\.positionStatus)) == ["VALID", "OVERPAID"], "both planted kinds of position")
        for record in positions {
            let derived = try store.rows("""
                SELECT v.status FROM payment_option o JOIN debt_position p ON p.id = o.position_id AND p.is_current = 1
                JOIN position_verdict v ON v.creditor_fiscal_code = p.creditor_fiscal_code AND v.iupd = p.iupd
                WHERE o.creditor_fiscal_code = '\(record.creditor)' AND o.iuv = '\(record.iuv!)' AND o.is_current = 1
                """)
            #expect(derived == [record.positionStatus!], "\(record.creditor) \(record.iuv!)")
        }
        // Every receipt the plan withheld is a recovery row, and nothing else is.
        let missing = Set(DiscrepancyCode.missingReceipt.map(\.rawValue))
        let withheld = Set(truth.filter { $0.scope == .key && !missing.isDisjoint(with: $0.codes) }.map { "\($0.creditor) \($0.iuv!) \($0.iur!)" })
        let recovery = try ReportFiles.csvRows(folder.appendingPathComponent("reports/\(summary.asOf)/recovery.csv.gz")).dropFirst()
        #expect(!withheld.isEmpty && Set(recovery.map { "\($0[0]) \($0[1]) \($0[2])" }) == withheld)
        let expected = DiscrepancyKeys.planted(truth)
        let found = try DiscrepancyKeys.found(in: store)
        #expect(found.count == Set(found).count)
        #expect(expected.subtracting(found).sorted() == [], "planted but not found")
        #expect(Set(found).subtracting(expected).sorted() == [], "found but never planted")

        let labels = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT coalesce(label, 'NONE') AS label, count(*) AS n FROM key_verdict GROUP BY 1")
                .reduce(into: [String: Int]()) { $0[$1["label"]] = $1["n"] }
        }
        #expect(labels == summary.expectedLabels)
        #expect(labels.values.reduce(0, +) == summary.counts["keys"])
    }
}
