import Foundation
import Testing
@testable import QuadraKit

/// Many nights, one store: the generated world delivered night after night must reconcile, night
/// by night, to exactly what each night's `truth.jsonl` says, statuses included.
@Suite struct NightlyDatasetTests {
    static func options(seed: UInt64 = 7, nights: Int, receiptsPerNight: Int) -> DatasetOptions {
        var options = DatasetOptions()
        options.seed = seed
        options.creditors = 6
        options.days = nights
        options.receipts = receiptsPerNight * nights
        options.anomalyRatePerMillion = 60_000
        return options
    }

    @Test func theSameSeedWritesTheSameNights() throws {
        let folder = try TestSupport.scratchFolder()
        for (name, seed) in [("a", UInt64(3)), ("b", 3), ("c", 4)] {
            try DatasetGenerator(options: Self.options(seed: seed, nights: 4, receiptsPerNight: 100))
                .writeNights(to: folder.appendingPathComponent(name).path)
        }
        let a = try DatasetGeneratorTests.digests(folder.appendingPathComponent("a"))
        #expect(a.keys.filter { $0.hasSuffix("/truth.jsonl") }.count == 4)
        #expect(a == (try DatasetGeneratorTests.digests(folder.appendingPathComponent("b"))))
        #expect(a != (try DatasetGeneratorTests.digests(folder.appendingPathComponent("c"))))
    }

    @Test func tenNightsIntoOneStoreReportExactlyEachNightsTruth() throws {
        let folder = try TestSupport.scratchFolder()
        let out = folder.appendingPathComponent("nights").path
        let nights = try DatasetGenerator(options: Self.options(nights: 10, receiptsPerNight: 400)).writeNights(to: out)
        #expect(nights.map(\.night) == Array(1...10))
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try QuadraConfiguration.load(path: out + "/quadra.toml")
        var seen = Set<String>()
        for night in nights {
            let root = out + "/night-" + String(night.night).leftPadded(to: 2, with: "0")
            let asOf = try #require(CivilDate(iso: night.asOf))
            #expect(asOf == DatasetOptions().firstDay.adding(days: night.night - 1), "a night runs as of its own day")
            // A night's inbox holds that day's receipts only.
            let receipts = try FileManager.default.contentsOfDirectory(atPath: root + "/inbox/receipts")
            #expect(receipts == [night.asOf])

            let result = try NightlyRun(store: store, configuration: configuration, asOf: asOf)
                .run(inbox: root + "/inbox", out: folder.appendingPathComponent("reports").path)
            #expect(result.ingest.count(.rejected) == 0 && result.ingest.count(.partial) == 0)

            let truth = try DiscrepancyKeys.truth(at: root + "/truth.jsonl")
            let expected = DiscrepancyKeys.planted(truth)
            let found = try DiscrepancyKeys.found(in: store, night: asOf)
            #expect(found.count == Set(found).count)
            #expect(expected.subtracting(found).sorted() == [], "night \(night.night): planted but not found")
            #expect(Set(found).subtracting(expected).sorted() == [], "night \(night.night): found but never planted")
            for record in truth { seen.insert("\(record.anomaly) \(record.status!)") }
        }
        // The late arrivals cross nights: overdue first, resolved the night they land.
        for late in [LateArrival.lateFlow, .lateStatement, .latePage] {
            #expect(seen.isSuperset(of: ["\(late.rawValue) new", "\(late.rawValue) open", "\(late.rawValue) resolved"]), "\(late)")
        }
        #expect(seen.contains("\(InjectedAnomaly.partialCredit.rawValue) escalated"), "a partial credit is TES_PARTIAL until overdue, then escalated")
        #expect(seen.contains("\(InjectedAnomaly.doublePayment.rawValue) open"))
    }
}
