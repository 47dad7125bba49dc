import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// `SOURCE_SILENT`: a feed that stopped is reported, counted in Italian banking days.
@Suite struct SourceSilenceTests {
    private let comune = ReconcilerTests.comune

    @Test func silenceIsCountedInWorkingDays() {
        let silence = SourceSilence(silentDays: 1)
        let friday = CivilDate(iso: "2026-11-20")!
        let all: [SourceSilence.Source: CivilDate] = [.receipts: friday, .flows: friday, .treasury: friday]
        #expect(silence.discrepancies(for: comune, lastArrivals: all, asOf: CivilDate(iso: "2026-11-23")!).isEmpty,
                "Monday is the first working day after Friday: not yet silent")
        let tuesday = silence.discrepancies(for: comune, lastArrivals: all, asOf: CivilDate(iso: "2026-11-24")!)
        #expect(tuesday.map(\.code) == ["SOURCE_SILENT"] && tuesday[0].severity == .warning && tuesday[0].creditor == "80000000002")
        #expect(tuesday[0].message.hasPrefix("no receipts since 2026-11-20, no flows since 2026-11-20, no treasury since 2026-11-20"))
        var quiet = comune
        quiet.expectsTreasury = false
        let neverFlows = silence.discrepancies(for: quiet, lastArrivals: [.receipts: friday], asOf: CivilDate(iso: "2026-11-23")!)
        #expect(neverFlows.first?.message.hasPrefix("no flows ever (") == true, "\(neverFlows)")
    }

    @Test func theSampleDayIsNotSilentAndAFortnightLaterItIs() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try TreasurySamples.configuration
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([SampleDayTests.inbox.path])
        var reconciler = Reconciler(store: store, creditors: configuration.creditors)
        reconciler.silentDays = 5
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        let silent = { try store.pool.read { try String.fetchAll($0, sql: "SELECT creditor_fiscal_code || ' ' || status FROM discrepancy WHERE code = 'SOURCE_SILENT' ORDER BY 1") } }
        #expect(try silent().isEmpty)
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-12-04")!)
        #expect(try silent() == configuration.creditors.map { "\($0.fiscalCode) new" }.sorted())
    }
}
