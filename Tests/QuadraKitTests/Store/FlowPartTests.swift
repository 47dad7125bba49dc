import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// FdR-3 flows as the organization API delivers them: a header and pages of payments, saved in the
/// fetch layout, arriving in any order over several nights.
@Suite struct FlowPartTests {
    private let folder: URL
    private let store: Store

    init() throws {
        folder = try TestSupport.scratchFolder()
        store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
    }

    /// Three payments, one per page.
    private static let flow: SampleFlow = {
        var flow = SampleFlow()
        flow.rows.append(SampleFlow.Row(iuv: "01261010000041775", iur: "b8c1f3d2e4b5a6978812345678901235", amount: "0.20"))
        return flow
    }()

    private func header(_ flow: SampleFlow = flow) -> (String, String) {
        (flow.partPath(revision: 1), flow.fdr3Header(revision: 1))
    }

    private func page(_ number: Int, _ flow: SampleFlow = flow) -> (String, String) {
        (flow.partPath(revision: 1, page: number), flow.fdr3Page(number, of: 3, rows: number...number))
    }

    /// One night: the documents written into a fresh inbox folder and ingested.
    private func night(_ documents: [(String, String)]) throws -> [DocumentOutcome] {
        let inbox = folder.appendingPathComponent("inbox-\(UUID().uuidString)")
        for (path, text) in documents { _ = try TestSupport.write(text, to: inbox, as: path) }
        return try Ingestor(store: store).ingest([inbox.path]).outcomes
    }

    /// The flow's credit in full, booked the day after its settlement.
    private static let flowCredit = TreasuryLifecycleTests.header
        + "18/11/2026;18/11/2026;;226,41;/PUR/LGPE-RIVERSAMENTO/URI/\(flow.flowId);0064800\n"

    /// One night under the sample configuration: the documents ingested, then reconciled as of `asOf`.
    @discardableResult
    private func servedNight(_ documents: [(String, String)], asOf: String) throws -> ReconciliationSummary {
        let configuration = try TreasurySamples.configuration
        let inbox = folder.appendingPathComponent("inbox-\(asOf)")
        for (path, text) in documents { _ = try TestSupport.write(text, to: inbox, as: path) }
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([inbox.path])
        return try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: asOf)!)
    }

    private func versions() throws -> [Row] {
        try store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM flow_version") }
    }

    @Test func pagesInAnyOrderOverSeveralNightsBecomeOneFlowVersion() throws {
        let first = try night([page(3), page(1)])
        #expect(first.map(\.status) == [.ingested, .ingested])
        #expect(first.map(\.kind) == [.flowPage, .flowPage])
        #expect(try versions().isEmpty)
        var incomplete = try store.incompleteFlows()
        #expect(incomplete.count == 1)
        #expect(incomplete.first?.missingPages == [2])
        #expect(incomplete.first?.hasHeader == false)
        #expect(try store.status().incompleteFlows == incomplete)

        _ = try night([header()])
        incomplete = try store.incompleteFlows()
        #expect(incomplete.first?.description == "page 2 of 3 missing")
        #expect(incomplete.first?.settlementDate == "2026-11-17")
        #expect(incomplete.first?.receiver == Self.flow.receiver)

        let last = try night([page(2)])
        #expect(last.first?.reason?.contains("completes flow \(Self.flow.flowId) revision 1 (3 pages)") == true)
        #expect(try store.incompleteFlows().isEmpty)
        let stored = try versions()
        #expect(stored.count == 1)
        #expect(stored.first?["computed_count"] == 3)
        #expect(stored.first?["computed_total_cents"] == 22_641 as Int64)
        #expect(stored.first?["declared_total_cents"] == 22_641 as Int64)
        #expect(stored.first?["revision"] == 1)
        #expect(stored.first?["channel"] == "fdr3")
        let iuvs = try store.pool.read { try String.fetchAll($0, sql: "SELECT iuv FROM flow_row ORDER BY position") }
        #expect(iuvs == Self.flow.rows.map(\.iuv))
        let findings = try store.pool.read { try String.fetchAll($0, sql: "SELECT code FROM flow_finding") }
        #expect(!findings.contains(FlowFinding.Code.countMismatch.rawValue))
        #expect(!findings.contains(FlowFinding.Code.totalMismatch.rawValue))
    }

    /// Until whole, a flow in parts is INCOMPLETE in flows.csv and raises nothing about its keys; the
    /// working day after its settlement it raises FDR_INCOMPLETE naming the missing page, resolved
    /// once the page lands and the flow is reconciled.
    @Test func anIncompleteFlowIsShownThenOverdueThenReconciledWhenWhole() throws {
        let reconciler = Reconciler(store: store, creditors: [Creditor(fiscalCode: Self.flow.receiver, name: "Comune",
                                                                       expectsPositions: false, expectsTreasury: false)])
        _ = try night([header(), page(1), page(3)])
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-18")!)
        #expect(try store.rows("SELECT credit_status || ' ' || findings FROM flow_verdict") == ["INCOMPLETE page 2 of 3 missing"])
        #expect(try store.rows("SELECT code FROM discrepancy").isEmpty, "due by the 18th, and no key is judged on part of a flow")
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-19")!)
        #expect(try store.rows("SELECT code || ' ' || status || ' ' || message FROM discrepancy")
                == ["FDR_INCOMPLETE new flow \(Self.flow.flowId) of PSP ESMPITMM is not whole by 2026-11-18: page 2 of 3 missing"])
        let out = folder.appendingPathComponent("reports")
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-19")!).write(to: out.path)
        let flows = try ReportFiles.csvRows(out.appendingPathComponent("2026-11-19/flows.csv.gz"))
        #expect(flows.dropFirst().map { $0[10] } == ["INCOMPLETE"])

        _ = try night([page(2)])
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        // (Ingested with no configuration, the flow also carries FDR_UNKNOWN_RECEIVER, which takes the place.)
        let statuses = try store.rows("SELECT status FROM discrepancy WHERE code = 'FDR_INCOMPLETE'")
        #expect(statuses == ["resolved"] || statuses == ["escalated"], "\(statuses)")
        #expect(try store.rows("SELECT credit_status FROM flow_verdict") != ["INCOMPLETE"])
        #expect(try store.count("SELECT count(*) FROM key_verdict") == 3, "its three payments are judged now")
    }

    /// A credit naming a flow whose pages are still arriving waits for it, raising nothing (the flow's
    /// `FDR_INCOMPLETE` is the item to chase, not an unknown reference); once whole, it matches.
    @Test func aCreditWaitsInSilenceForTheFlowItNamesUntilItIsWhole() throws {
        try servedNight([header(), page(1), page(3), ("bank/home-banking_2026-11-18.csv", Self.flowCredit)], asOf: "2026-11-19")
        #expect(try store.rows("SELECT label FROM movement_verdict") == ["TES_NO_IUF_OR_IUV"], "not matched while the flow is in parts")
        #expect(try store.rows("SELECT code FROM discrepancy WHERE flow_id IS NOT NULL OR treasury_reference IS NOT NULL ORDER BY 1")
                == ["FDR_INCOMPLETE"])
        try servedNight([page(2)], asOf: "2026-11-20")
        #expect(try store.rows("SELECT label FROM movement_verdict") == ["MATCHED"])
        #expect(try store.rows("SELECT credit_status FROM flow_verdict") == ["CREDITED"])
        #expect(try store.rows("SELECT code || ' ' || status FROM discrepancy WHERE treasury_reference IS NOT NULL").isEmpty)
    }

    /// While a revision is still in parts, the flow stands as its whole revision does: credited, not
    /// shown as an empty flow in arrival; the revision in arrival is watched (`quadra status`, and
    /// `FDR_INCOMPLETE` from the working day after it was published) until whole, when it takes the
    /// flow over.
    @Test func aRevisionInPartsLeavesTheWholeOneStanding() throws {
        let standing = "SELECT revision || ' ' || credit_status || ' ' || rows || ' ' || credited_cents FROM flow_verdict"
        try servedNight([header(), page(1), page(2), page(3), ("bank/home-banking_2026-11-18.csv", Self.flowCredit)], asOf: "2026-11-19")
        #expect(try store.rows(standing) == ["1 CREDITED 3 22641"])
        var revised = Self.flow
        revised.rows[2].amount = "0.30"
        let revisedHeader = revised.fdr3Header(revision: 2)
            .replacingOccurrences(of: "\"fdrDate\": \"2026-11-17T18:02:11Z\"", with: "\"fdrDate\": \"2026-11-20T09:00:00Z\"")
        let tonight = try servedNight([(revised.partPath(revision: 2), revisedHeader)], asOf: "2026-11-20")
        #expect(try store.rows(standing) == ["1 CREDITED 3 22641"], "revision 1 stands while revision 2 is in parts")
        IncrementalReconciliationTests.expectAFullPassAgrees(store, tonight, creditors: try TreasurySamples.configuration.creditors,
                                                             asOf: CivilDate(iso: "2026-11-20")!,
                                                             copy: folder.appendingPathComponent("copy.sqlite"), "revision 2 in parts")
        #expect(try store.incompleteFlows().map(\.revision) == [2])
        #expect(try store.rows("SELECT code FROM discrepancy WHERE code = 'FDR_INCOMPLETE'").isEmpty,
                "published on the 20th, revision 2 is due whole the next working day, not since the settlement's")
        try servedNight((1...3).map { (revised.partPath(revision: 2, page: $0), revised.fdr3Page($0, of: 3, rows: $0...$0)) }, asOf: "2026-11-21")
        #expect(try store.rows("SELECT revision || ' ' || rows FROM flow_verdict") == ["2 3"], "whole, revision 2 takes the flow over")
    }

    @Test func aPageAgainIsADuplicateAndAnotherPageUnderTheSameNumberIsAConflict() throws {
        _ = try night([header(), page(1)])
        let (path, text) = page(1)
        let again = try night([(path, text + "\n")])
        #expect(again.map(\.status) == [.duplicate])
        var other = Self.flow
        other.rows[0].amount = "205.00"
        let conflict = try night([page(1, other)])
        #expect(conflict.map(\.status) == [.rejected])
        #expect(conflict.first?.reason?.contains("page 1 of 3 of flow \(Self.flow.flowId)") == true)
        #expect(try store.incompleteFlows().first?.missingPages == [2, 3])
    }

    /// A revision that changes one payment leaves its other pages the same bytes as the revision
    /// before: each is still a part of its own revision, which becomes whole and current.
    @Test func aRevisionsUnchangedPagesAreItsOwn() throws {
        _ = try night([header(), page(1), page(2), page(3)])
        var revised = Self.flow
        revised.rows[0].amount = "205.00"
        let unchanged = [2, 3].map { (revised.partPath(revision: 2, page: $0), revised.fdr3Page($0, of: 3, rows: $0...$0)) }
        #expect(unchanged.map(\.1) == [page(2).1, page(3).1], "the same bytes as revision 1's")
        let first = try night([unchanged[0]])
        #expect(first.map(\.status) == [.ingested], "\(first.map(\.reason))")
        let header = revised.fdr3Header(revision: 2)
            .replacingOccurrences(of: "\"fdrDate\": \"2026-11-17T18:02:11Z\"", with: "\"fdrDate\": \"2026-11-18T09:00:00Z\"")
        let last = try night([(revised.partPath(revision: 2), header),
                              (revised.partPath(revision: 2, page: 1), revised.fdr3Page(1, of: 3, rows: 1...1)), unchanged[1]])
        #expect(last.map(\.status) == [.ingested, .ingested, .ingested], "\(last.map(\.reason))")
        #expect(try store.incompleteFlows().isEmpty)
        let current = try store.pool.read {
            try Row.fetchOne($0, sql: "SELECT revision, computed_total_cents FROM flow_version ORDER BY revision DESC LIMIT 1")
        }
        #expect(current?["revision"] == 2 && current?["computed_total_cents"] == 22_741 as Int64)
        #expect(try night([unchanged[1]]).map(\.status) == [.skipped], "the same part again is still the same document")
    }

    /// A part in the fetch layout is filed by its bytes with its place, wherever the inbox is and
    /// however the header is spelled; any other document by its bytes alone.
    @Test func aPartIsFiledByItsPlace() {
        let digest = "3f" + String(repeating: "0", count: 62)
        let page = { (root: String, revision: Int) in
            FlowPartPath.ledgerDigest(content: digest, path: root + "/80000000002/fdrs/F1/revisions/\(revision)/psps/P1/payments/page-1.json")
        }
        #expect(page("/srv/inbox", 1) == page("/tmp/other.zip", 1), "the place, not the inbox it is in")
        #expect(page("/srv/inbox", 1) != page("/srv/inbox", 2) && page("/srv/inbox", 1) != digest)
        #expect(page("/srv/inbox", 1) == FlowPartPath.ledgerDigest(
            content: digest, path: "/srv/inbox/80000000002/fdrs/F1/revisions/1/psps/P1/payments/page-1.json.gz"))
        let header = { (revision: Int, name: String) in
            FlowPartPath.ledgerDigest(content: digest, path: "in/fdrs/F1/revisions/\(revision)/psps/" + name)
        }
        #expect(header(1, "P1.json") == header(1, "P1/flow.json") && header(1, "P1.json") != header(2, "P1.json"))
        #expect(FlowPartPath.ledgerDigest(content: digest, path: "/srv/inbox/receipts/rt-1.xml") == digest)
    }

    @Test func aPageOutsideTheLayoutIsRefusedShowingTheExpectedPath() throws {
        let outcomes = try night([("flows/page-1.json", Self.flow.fdr3Page(1, of: 3, rows: 1...1))])
        #expect(outcomes.map(\.status) == [.rejected])
        #expect(outcomes.first?.kind == .flowPage)
        #expect(outcomes.first?.reason?.contains("fdrs/<fdr>/revisions/<revision>/psps/<psp>/payments/page-<N>.json") == true)
        let misnumbered = try night([(Self.flow.partPath(revision: 1, page: 2), Self.flow.fdr3Page(1, of: 3, rows: 1...1))])
        #expect(misnumbered.first?.reason?.contains("saved as page-2.json") == true)
    }

    @Test func theAssembledFlowAndTheInlineFormAreOneVersion() throws {
        var whole = Self.flow
        whole.rows = Array(whole.rows.prefix(1))
        let inline = try night([("inline.json", whole.fdr3(revision: 1, fdrDate: "\"2026-11-17T18:02:11Z\""))])
        #expect(inline.map(\.status) == [.ingested])
        let parts = try night([header(whole), (whole.partPath(revision: 1, page: 1), whole.fdr3Page(1, of: 1, rows: 1...1))])
        #expect(parts.map(\.status) == [.ingested, .ingested])
        #expect(parts.last?.reason?.contains("the same version already stored from") == true)
        #expect(try versions().count == 1)
        #expect(try store.incompleteFlows().isEmpty)
    }

    @Test func aHeaderDeclaringNoPaymentIsTheWholeFlow() throws {
        var empty = Self.flow
        empty.rows = []
        let outcomes = try night([header(empty)])
        #expect(outcomes.first?.reason?.contains("completes flow") == true)
        #expect(try versions().first?["computed_count"] == 0)
        #expect(try store.incompleteFlows().isEmpty)
    }

    @Test func aHeaderSavedUnderAnotherFlowIsRefused() throws {
        var other = Self.flow
        other.flowId = "2026-11-17ESMPITMM-S0009999"
        let outcomes = try night([(other.partPath(revision: 1), Self.flow.fdr3Header(revision: 1))])
        #expect(outcomes.first?.status == .rejected)
        #expect(outcomes.first?.reason?.contains("saved under 2026-11-17ESMPITMM-S0009999") == true)
    }

    @Test func theFetchLayoutIsReadBack() throws {
        let place = FlowPartPath("inbox/80000000002/fdrs/F-1/revisions/2/psps/PSP1/payments/page-7.json.gz")
        #expect(place == FlowPartPath(receiverFiscalCode: "80000000002", flowId: "F-1", revision: 2, pspId: "PSP1", page: 7))
        #expect(FlowPartPath("x/fdrs/F-1/revisions/2/psps/PSP1/flow.json")?.page == nil)
        #expect(FlowPartPath("x/fdrs/F-1/revisions/2/psps/PSP1.json")?.receiverFiscalCode == nil)
        #expect(FlowPartPath("fdrs/F-1/revisions/two/psps/PSP1.json") == nil)
        #expect(FlowPartPath("fdrs/../revisions/2/psps/PSP1.json") == nil)
    }
}
