import Foundation
import GRDB
import Testing
@testable import QuadraKit

@Suite struct FlowStoreTests {
    private let folder: URL
    private let store: Store

    init() throws {
        folder = try TestSupport.scratchFolder()
        store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
    }

    private func ingest(_ texts: [(String, String)], streaming: Bool = false) throws -> [DocumentOutcome] {
        var options = Ingestor.Options()
        if streaming { options.streamingThreshold = 0 }
        return try texts.flatMap { name, text in
            let url = try TestSupport.write(text, to: folder, as: name)
            return try Ingestor(store: store, options: options).ingest([url.path]).outcomes
        }
    }

    private func versions() throws -> [Row] {
        try store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM flow_version ORDER BY flow_instant") }
    }

    private func findings() throws -> [String] {
        try store.pool.read { try String.fetchAll($0, sql: "SELECT code FROM flow_finding ORDER BY code") }
    }

    private static let revision1: SampleFlow = {
        var flow = SampleFlow()
        flow.rows.removeLast()
        return flow
    }()

    private static let revision2: SampleFlow = {
        var flow = SampleFlow()
        flow.dateTime = "2026-11-18T08:15:40"
        return flow
    }()

    @Test func aLaterVersionSupersedesAndRecordsTheChangedKeys() throws {
        let outcomes = try ingest([("rev1.xml", Self.revision1.xml), ("rev2.xml", Self.revision2.xml)])
        #expect(outcomes.map(\.status) == [.ingested, .ingested])
        let rows = try versions()
        #expect(rows.map { $0["revision"] as Int } == [1, 2])
        #expect(rows.map { $0["is_current"] as Int } == [0, 1])
        #expect(rows[0]["superseded_by"] == rows[1]["id"] as Int64)
        let changed = try store.pool.read { try String.fetchAll($0, sql: "SELECT iuv FROM flow_revision_change") }
        #expect(changed == ["01261070000009017"])
    }

    /// The version shown first keeps its number 1: the older one, arriving late, takes the next
    /// number and is marked late, never renumbering what reports have already quoted.
    @Test func anOlderVersionArrivingLateIsHistoryOnly() throws {
        let outcomes = try ingest([("rev2.xml", Self.revision2.xml), ("rev1.xml", Self.revision1.xml)])
        #expect(outcomes[1].reason?.contains("kept as history") == true)
        let rows = try versions()
        #expect(rows.map { $0["revision"] as Int } == [2, 1], "by flow time: the late older version is 2, the current keeps 1")
        #expect(rows.map { $0["arrived_late"] as Int } == [1, 0])
        #expect(rows.map { $0["is_current"] as Int } == [0, 1])
        #expect(try store.count("SELECT count(*) FROM flow_revision_change") == 0)
        #expect(try store.count("SELECT computed_count FROM flow_version WHERE is_current = 1") == 2)
    }

    @Test func theSameFlowAsXMLAndAsFdR3IsOneFlow() throws {
        let epoch = "1795014131"
        var xmlFlow = Self.revision2
        xmlFlow.dateTime = "2026-11-18T16:02:11"
        let outcomes = try ingest([("flow.xml", xmlFlow.xml), ("flow.json", xmlFlow.fdr3(revision: 1, fdrDate: epoch))])
        #expect(RomeTime.utc(fromEpochSeconds: 1_795_014_131) == RomeTime.utc(fromLocal: "2026-11-18T16:02:11"))
        #expect(outcomes.map(\.status) == [.ingested, .duplicate])
        #expect(try store.count("SELECT count(*) FROM flow_version") == 1)
    }

    @Test func theSameVersionWithOtherRowsIsAConflict() throws {
        var other = Self.revision1
        other.rows[0].amount = "205.00"
        let outcomes = try ingest([("a.xml", Self.revision1.xml), ("b.xml", other.xml)])
        #expect(outcomes[1].status == .rejected)
        #expect(outcomes[1].reason?.contains("already stored from") == true)
    }

    @Test func flowIdsRepeatAcrossCreditorsAsSeparateFlows() throws {
        var provincia = Self.revision1
        provincia.receiver = "80000000010"
        _ = try ingest([("comune.xml", Self.revision1.xml), ("provincia.xml", provincia.xml)])
        #expect(try store.count("SELECT count(*) FROM flow_version WHERE is_current = 1") == 2)
    }

    @Test func checksBecomeFindingsAndNeverDropRows() throws {
        var flow = SampleFlow()
        flow.flowId = "2026-11-16ESMPITMM-S0009999"
        flow.receiver = "99999999999"
        flow.declaredCount = 5
        flow.declaredTotal = "1.00"
        flow.rows.append(flow.rows[0])
        flow.rows[1].code = "7"
        let outcomes = try ingest([("flow.xml", flow.xml)])
        #expect(outcomes.map(\.status) == [.ingested])
        #expect(try findings() == ["FDR_BAD_ID", "FDR_COUNT_MISMATCH", "FDR_DUPLICATE_ROW", "FDR_TOTAL_MISMATCH",
                                   "FDR_UNKNOWN_OUTCOME", "FDR_UNKNOWN_RECEIVER"])
        #expect(try store.count("SELECT count(*) FROM flow_row") == 3)
        #expect(try store.count("SELECT count(*) FROM flow_row WHERE outcome = 'UNKNOWN'") == 1)
        let status = try store.status()
        #expect(status.flows.first?.declaredTotalCents == 100 && status.flows.first?.computedTotalCents == 20400 + 2221 + 20400)
    }

    @Test func aBadRowIsKeptWithAFinding() throws {
        var flow = Self.revision1
        flow.rows[0].amount = "abc"
        flow.declaredTotal = "0.00"
        _ = try ingest([("flow.xml", flow.xml)])
        #expect(try findings().contains("FDR_BAD_ROW"))
        #expect(try store.count("SELECT count(*) FROM flow_row WHERE amount_cents IS NULL") == 1)
    }

    @Test func aStreamedFlowIsStoredExactlyAsAnInMemoryOne() throws {
        let other = try TestSupport.scratchFolder()
        let memoryStore = try Store(path: other.appendingPathComponent("memory.sqlite").path)
        let specFlows = ["FlussoRiversamento_5payments_decoded.xml", "nodoInviaFlussoRendicontazione_soap_base64_5payments.xml"]
        let paths = specFlows.map { TestSupport.specSamples.appendingPathComponent($0).path }
        var streaming = Ingestor.Options()
        streaming.streamingThreshold = 0
        let streamed = try Ingestor(store: store, options: streaming).ingest(paths)
        let inMemory = try Ingestor(store: memoryStore).ingest(paths)
        #expect(streamed.outcomes.map(\.status) == [.ingested, .duplicate])
        #expect(streamed.outcomes.map(\.status) == inMemory.outcomes.map(\.status))
        #expect(try store.snapshotDigests() == memoryStore.snapshotDigests())
    }

    /// A large document is read twice: hashed while the batch is prepared, then streamed into the store.
    /// One whose file went away in between is rejected with its reason (the next run that finds it reads
    /// it again), and the documents beside it are stored: the failure used to roll the whole open
    /// transaction back and end the run.
    @Test func aStreamedDocumentThatVanishesIsRejectedAlone() throws {
        let flow = TestSupport.specSamples.appendingPathComponent("FlussoRiversamento_5payments_decoded.xml")
        let gone = folder.appendingPathComponent("gone.xml").path
        let vanished = PreparedDocument(path: gone, sha256: String(repeating: "a", count: 64), size: 9 << 20, kind: .unknown,
                                        body: .streamed(InputFile(path: gone), .init()))
        let present = PreparedDocument(path: flow.path, sha256: String(repeating: "b", count: 64), size: 9 << 20, kind: .unknown,
                                       body: .streamed(InputFile(path: flow.path), .init()))
        let outcomes = try store.pool.write { try Store.record([vanished, present], at: "2026-11-20T00:00:00Z", in: $0) }
        #expect(outcomes.map(\.status) == [.rejected, .ingested])
        #expect(outcomes[0].reason?.contains("went away while it was read") == true, "\(outcomes[0].reason ?? "")")
        #expect(try versions().count == 1)
    }

    /// Finding 6.5: unreadable declared values no longer vanish; the flow says its checks could not be made.
    @Test(arguments: [("<numeroTotalePagamenti>5<", "<numeroTotalePagamenti>abc<", "numeroTotalePagamenti 'abc' is not a count"),
                      ("<importoTotalePagamenti>500.00<", "<importoTotalePagamenti>12345678901234567890.00<", "importoTotalePagamenti '12345678901234567890.00'"),
                      ("<importoTotalePagamenti>500.00<", "<importoTotalePagamenti>5OO.00<", "importoTotalePagamenti '5OO.00'")])
    func anUnreadableDeclaredValueIsABadHeaderFinding(original: String, broken: String, detail: String) throws {
        let sample = String(decoding: try TestSupport.specSample("FlussoRiversamento_5payments_decoded.xml"), as: UTF8.self)
        #expect(sample.contains(original))
        let outcomes = try ingest([("flow.xml", sample.replacingOccurrences(of: original, with: broken))])
        #expect(outcomes.map(\.status) == [.ingested])
        let details = try store.pool.read { try String.fetchAll($0, sql: "SELECT detail FROM flow_finding WHERE code = 'FDR_BAD_HEADER'") }
        #expect(details.count == 1 && details[0].contains(detail) && details[0].contains("could not be checked"), "\(details)")
    }

    /// Finding 6.3: flow identifiers are held to the schema's 35 characters; a row keeps its place
    /// without the unreadable value, a flow id too long refuses the flow.
    @Test func overlongFlowIdentifiersAreNotStored() throws {
        let sample = String(decoding: try TestSupport.specSample("FlussoRiversamento_5payments_decoded.xml"), as: UTF8.self)
        let iuv = try #require(sample.firstRange(of: #/<identificativoUnivocoVersamento>([^<]*)</#)?.lowerBound)
        let start = sample[iuv...].firstIndex(of: ">")!
        let long = sample.replacingCharacters(in: sample.index(after: start)..<sample.index(after: start), with: String(repeating: "9", count: 40))
        #expect(try ingest([("flow.xml", long)]).map(\.status) == [.ingested])
        let bad = try store.pool.read { try String.fetchAll($0, sql: "SELECT detail FROM flow_finding WHERE code = 'FDR_BAD_ROW'") }
        #expect(bad.count == 1 && bad[0].contains("identificativoUnivocoVersamento is longer than 35"), "\(bad)")
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT max(length(iuv)) FROM flow_row") } ?? 0 <= 35)

        let flowId = try #require(sample.firstRange(of: #/<identificativoFlusso>/#)?.upperBound)
        let longId = sample.replacingCharacters(in: flowId..<flowId, with: String(repeating: "X", count: 30))
        let refused = try ingest([("flow-long-id.xml", longId)])
        #expect(refused.first?.status == .rejected && refused.first?.reason?.contains("identificativoFlusso is longer than 35") == true)
    }
}
