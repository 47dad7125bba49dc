import Foundation
import Testing
@testable import QuadraKit

/// The sample day in `Samples/` is what a newcomer runs first: it must ingest cleanly, twice, and
/// every broken document beside it must be refused for the reason its name gives.
@Suite struct SampleDayTests {
    static let inbox = TestSupport.samples.appendingPathComponent("inbox")
    static let bad = TestSupport.samples.appendingPathComponent("bad")

    private func ingest(_ paths: [URL], into store: Store) throws -> IngestSummary {
        try Ingestor(store: store, options: .init(configuration: try TreasurySamples.configuration)).ingest(paths.map(\.path))
    }

    private func newStore() throws -> Store {
        try Store(path: try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path)
    }

    @Test func theInboxIngestsCleanlyAndASecondPassChangesNothing() throws {
        let store = try newStore()
        let first = try ingest([Self.inbox], into: store)
        #expect(first.exitCode == .success)
        #expect(first.count(.rejected) == 0 && first.count(.partial) == 0)
        #expect(first.count(.duplicate) == 1, "the TARI receipt reaches the Comune's and the Provincia's stations")
        #expect(try store.count("SELECT count(*) FROM receipt") == 9)
        #expect(try store.count("SELECT count(*) FROM receipt_transfer WHERE is_stamp = 1") == 1)
        #expect(try store.count("SELECT count(*) FROM receipt WHERE version = 'paSendRT'") == 1)
        #expect(try store.count("SELECT count(DISTINCT creditor_fiscal_code) FROM debt_position") == 2)
        #expect(try store.count("SELECT count(*) FROM receipt_transfer WHERE taxonomy_code IS NULL") == 0)
        #expect(try store.count("SELECT count(*) FROM flow_version") == 7)
        #expect(try store.count("SELECT count(*) FROM flow_version WHERE is_current = 1") == 6)
        #expect(try store.count("SELECT revision FROM flow_version WHERE is_current = 1 AND flow_id = '2026-11-17ESMPITMM-S0001726'") == 2)
        #expect(try store.count("SELECT count(*) FROM flow_version WHERE channel = 'fdr3'") == 1)
        #expect(try store.count("SELECT count(*) FROM flow_finding") == 0, "the sample day's flows are clean")
        #expect(try store.count("SELECT count(*) FROM flow_row r JOIN flow_version v ON v.id = r.flow_version_id WHERE v.is_current = 1 AND r.transfer_index = 2") == 2,
                "the Provincia's rows for TEFA and the hunting licence carry index 2")
        let before = try store.snapshotDigests()
        try checkTreasury(in: store)

        let second = try ingest([Self.inbox], into: store)
        #expect(second.outcomes.count == first.outcomes.count)
        #expect(second.outcomes.allSatisfy { $0.status == .skipped })
        #expect(try store.snapshotDigests() == before)
    }

    /// Each bad file and a phrase its refusal must contain.
    static let defects: [String: String] = [
        "empty.xml": "empty",
        "gpd-transfers-not-summing-option-amount.json": "sum to",
        "receipt-amount-comma.xml": "not an amount with two decimals",
        "receipt-amount-one-decimal.xml": "not an amount with two decimals",
        "receipt-billion-laughs.xml": "DOCTYPE",
        "receipt-duplicate-idTransfer.xml": "appears twice",
        "receipt-malformed-truncated.xml": "line",
        "receipt-outcome-KO.xml": "outcome is KO",
        "receipt-receiptId-reused-different-amount.xml": "with different content",
        "receipt-transfers-not-summing.xml": "transfers sum to",
        "receipt-truncated.xml.gz": "truncated",
        "receipt-xxe-external-entity.xml": "DOCTYPE",
        "taxonomy-impossible-date.csv": "13/45/2020",
        "unknown-root-element.xml": "unknown XML document",
        "unknown-shape.json": "unknown JSON document",
        "80000000002/gpd/bulk-same-iuv-twice.json": "already used by position",
        "unknown-owner/positions.json": "no owning creditor",
        "fdr-missing-identificativoFlusso.xml": "identificativoFlusso is missing",
        "fdr-base64-truncated.soap.xml": "base64",
        "treasury/opi-importo-not-a-number.xml": "importo 'EUR 204,00' is not a positive amount",
        "treasury/camt053-broken-amount.xml": "Amt '10,20O' is not a positive amount",
        "treasury/home-banking-impossible-date.csv": "date '31/11/2026' does not follow DD/MM/YYYY",
    ]

    @Test func everyBadDocumentIsRefusedForItsDefectWhileTheGoodOnesLand() throws {
        let store = try newStore()
        let summary = try ingest([Self.inbox, Self.bad], into: store)
        #expect(summary.exitCode == .dataError)
        let badOutcomes = summary.outcomes.filter { $0.path.hasPrefix(Self.bad.path) }
        #expect(Set(badOutcomes.map { String($0.path.dropFirst(Self.bad.path.count + 1)) }) == Set(Self.defects.keys))
        for outcome in badOutcomes {
            let name = String(outcome.path.dropFirst(Self.bad.path.count + 1))
            let phrase = try #require(Self.defects[name])
            #expect(outcome.status == .rejected || outcome.status == .partial, "\(name) was \(outcome.status)")
            let said = ([outcome.reason ?? ""] + outcome.quarantined).joined(separator: " | ")
            #expect(said.contains(phrase), "\(name): \(said)")
        }
        let inboxOutcomes = summary.outcomes.filter { $0.path.hasPrefix(Self.inbox.path) }
        #expect(inboxOutcomes.allSatisfy { $0.status == .ingested || $0.status == .duplicate })
        #expect(try store.count("SELECT count(*) FROM receipt") == 9)
        let status = try store.status()
        #expect(status.rejected.count + status.quarantined.count >= Self.defects.count)
    }

    /// The treasury documents credit the sample flows: one in two parts, one single `/RFB/` credit,
    /// a storno and a camt reversal linked to their credits, one unparseable causale.
    private func checkTreasury(in store: Store) throws {
        let treasury = try store.status().treasury
        #expect(treasury.movementCount == 13 && treasury.movements.count == 13)
        #expect(treasury.movements.allSatisfy { $0.creditor == "80000000002" || $0.creditor == "80000000010" })
        let parts = treasury.movements.filter { $0.flowId == "2026-11-17ESMPITMM-S0001726" }
        #expect(parts.map(\.amount) == ["204.00", "22.21"] && parts.map(\.causaleKind) == ["flow", "integration"])
        let single = treasury.movements.filter { $0.causaleKind == "payment" }
        #expect(single.map(\.iuv) == ["01261060000077770"] && single.map(\.causaleAmount) == ["59.60"])
        let reversals = treasury.movements.filter { $0.sign == "reversal" }
        #expect(reversals.count == 2 && reversals.allSatisfy { $0.reversesMovementId != nil })
        #expect(treasury.movements.filter { $0.causaleKind == "unparseable" }.map(\.amount) == ["12.00"])
        let comune = treasury.counts.filter { $0.creditor == "80000000002" && $0.sign == "credit" }
        #expect(comune.reduce(0) { $0 + $1.count } == 7)
    }
}
