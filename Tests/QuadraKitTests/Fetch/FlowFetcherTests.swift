import Foundation
import GRDB
import Testing
@testable import QuadraKit
@testable import QuadraNet

/// `quadra fetch flows` against a loopback server answering as the FdR-3 organization API documents:
/// a listing in pages, a flow's header and its payments in pages, with a 429 carrying Retry-After, a
/// 500, and a connection cut mid-answer on the way. What lands in the inbox is exactly what was
/// served, once; a second fetch asks for nothing already fetched; a nightly run reconciles it.
@Suite struct FlowFetcherTests {
    static let provincia = "80000000010"
    static let flowId = "2026-11-18ESMPITMM-S0001801"
    static let published = "2026-11-18T16:20:04.118342Z"
    static let sampleFlow = TestSupport.samples.appendingPathComponent("inbox/flows/2026-11-18ESMPITMM-S0001801.fdr3.json")

    /// The sample day's FdR-3 flow as the organization API serves it: the header without payments,
    /// and one payment per page.
    struct Served {
        var header: String
        var pages: [String]

        init() throws {
            var flow = try JSONSerialization.jsonObject(with: Data(contentsOf: FlowFetcherTests.sampleFlow)) as! [String: Any]
            let payments = flow.removeValue(forKey: "payments") as! [Any]
            header = String(decoding: try JSONSerialization.data(withJSONObject: flow, options: [.sortedKeys]), as: UTF8.self)
            pages = try payments.enumerated().map { index, payment in
                let page: [String: Any] = ["metadata": ["pageSize": 1, "pageNumber": index + 1, "totPage": payments.count],
                                           "count": 1, "data": [payment]]
                return String(decoding: try JSONSerialization.data(withJSONObject: page, options: [.sortedKeys]), as: UTF8.self)
            }
        }
    }

    static let flowPath = "/organizations/\(provincia)/fdrs/\(flowId)/revisions/1/psps/ESMPITMM"

    /// The API: each document of the flow fails on its first request (cut, 429, 500); with
    /// `pageTwoAlwaysFails`, page 2 never comes.
    static func script(_ served: Served, pageTwoAlwaysFails: Bool = false) -> FakePagoPA.Script {
        { path, query, previous in
            switch path {
            case "/organizations/\(provincia)/fdrs":
                let fresh = (query["publishedGt"] ?? "") < published
                let listing = query["page"] == "1" && fresh
                    ? #"[{"fdr": "\#(flowId)", "pspId": "ESMPITMM", "revision": 1, "published": "\#(published)", "flowDate": "2026-11-18T16:20:00Z"}]"#
                    : "[]"
                return .json(#"{"metadata": {"pageSize": 1, "pageNumber": \#(query["page"] ?? "1"), "totPage": \#(fresh ? 2 : 1)}, "count": 1, "data": \#(listing)}"#)
            case "/organizations/80000000002/fdrs":
                return .json(#"{"metadata": {"pageSize": 1000, "pageNumber": 1, "totPage": 1}, "count": 0, "data": []}"#)
            case flowPath:
                return previous == 0 ? .cut(served.header) : .json(served.header)
            case flowPath + "/payments":
                switch query["page"] {
                case "1": return previous == 0 ? .json(#"{"error": "slow down"}"#, status: 429, headers: [("Retry-After", "1")]) : .json(served.pages[0])
                case "2": return previous == 0 || pageTwoAlwaysFails ? .json("{}", status: 500) : .json(served.pages[1])
                default: return .json("{}", status: 404)
                }
            default:
                return .json("{}", status: 404)
            }
        }
    }

    private let folder: URL

    init() throws {
        folder = try TestSupport.scratchFolder()
    }

    private func fetcher(_ api: FakePagoPA, inbox: String, attempts: Int = 4) -> FlowFetcher {
        var policy = PagoPAClient.Policy(attempts: attempts, requestsPerSecond: 50)
        policy.baseDelay = .milliseconds(20)
        return FlowFetcher(client: PagoPAClient(key: SubscriptionKey(value: "test-key-123"), policy: policy), baseURL: api.baseURL, inbox: inbox)
    }

    private func files(under inbox: String) -> [String] {
        (FileManager.default.enumerator(atPath: inbox)?.allObjects as? [String] ?? [])
            .filter { (try? FileManager.default.attributesOfItem(atPath: "\(inbox)/\($0)")[.type] as? FileAttributeType) == .typeRegular }
            .sorted()
    }

    private static let expectedFiles = [
        "\(provincia)/fdrs/\(flowId)/revisions/1/psps/ESMPITMM.json",
        "\(provincia)/fdrs/\(flowId)/revisions/1/psps/ESMPITMM/payments/page-1.json",
        "\(provincia)/fdrs/\(flowId)/revisions/1/psps/ESMPITMM/payments/page-2.json",
    ]

    @Test func writesExactlyWhatWasServedOnceAndAsksForNothingTwice() async throws {
        let served = try Served()
        let api = try await FakePagoPA(Self.script(served))
        defer { Task { try await api.stop() } }
        let inbox = folder.appendingPathComponent("inbox").path
        let organizations = ["80000000002", Self.provincia]
        let first = try await fetcher(api, inbox: inbox).fetch(organizations: organizations, since: CivilDate(iso: "2026-11-01")!)
        #expect(first == FlowFetcher.Summary(flows: 1, files: 3, alreadyFetched: 0, failures: []))
        #expect(files(under: inbox) == Self.expectedFiles)
        let contents = try Self.expectedFiles.map { String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(inbox)/\($0)")), as: UTF8.self) }
        #expect(contents == [served.header] + served.pages)
        #expect(api.requests.allSatisfy { $0.key == "test-key-123" })
        #expect(api.requests.filter { $0.uri.hasPrefix(Self.flowPath) }.count == 6, "each of the three documents failed once, then came")

        let asked = api.requests.count
        let second = try await fetcher(api, inbox: inbox).fetch(organizations: organizations, since: CivilDate(iso: "2026-11-01")!)
        #expect(second == FlowFetcher.Summary(flows: 0, files: 0, alreadyFetched: 0, failures: []))
        let later = api.requests.dropFirst(asked)
        #expect(later.allSatisfy { !$0.uri.hasPrefix(Self.flowPath) })
        #expect(later.contains { $0.uri.contains("publishedGt=2026-11-18T16:20:04.118342Z") })
        #expect(files(under: inbox) == Self.expectedFiles)
    }

    @Test func anInterruptedFetchResumesWithoutGapsOrDuplicates() async throws {
        let served = try Served()
        let inbox = folder.appendingPathComponent("inbox").path
        let broken = try await FakePagoPA(Self.script(served, pageTwoAlwaysFails: true))
        await #expect(throws: FetchError.self) {
            try await fetcher(broken, inbox: inbox, attempts: 2).fetch(organizations: [Self.provincia], since: CivilDate(iso: "2026-11-01")!)
        }
        try await broken.stop()
        #expect(files(under: inbox) == Array(Self.expectedFiles.prefix(2)))

        let healthy = try await FakePagoPA(Self.script(served))
        defer { Task { try await healthy.stop() } }
        let resumed = try await fetcher(healthy, inbox: inbox).fetch(organizations: [Self.provincia], since: CivilDate(iso: "2026-11-01")!)
        #expect(resumed.files == 1)
        #expect(healthy.requests.filter { $0.uri.hasPrefix(Self.flowPath) }.map(\.uri)
                == Array(repeating: "\(Self.flowPath)/payments?page=2&size=1000", count: 2),
                "only the missing page is asked for (its first answer is a 500)")
        #expect(files(under: inbox) == Self.expectedFiles)

        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([inbox])
        #expect(summary.outcomes.map(\.status) == [.ingested, .ingested, .ingested])
        #expect(try store.incompleteFlows().isEmpty)
        let rows = try await store.pool.read { try Int.fetchOne($0, sql: "SELECT computed_count FROM flow_version WHERE flow_id = ?", arguments: [Self.flowId]) }
        #expect(rows == 2)
    }

    @Test func aNightlyRunReconcilesTheFetchedFlowAsItWouldTheWholeOne() async throws {
        let configuration = try TreasurySamples.configuration
        let day = CivilDate(iso: "2026-11-20")!
        let whole = try NightlyRun(store: try Store(path: folder.appendingPathComponent("whole.sqlite").path),
                                   configuration: configuration, asOf: day)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("whole-reports").path)

        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("flows/2026-11-18ESMPITMM-S0001801.fdr3.json"))
        let api = try await FakePagoPA(Self.script(try Served()))
        defer { Task { try await api.stop() } }
        _ = try await fetcher(api, inbox: inbox.path).fetch(organizations: configuration.creditors.map(\.fiscalCode), since: CivilDate(iso: "2026-11-01")!)
        let store = try Store(path: folder.appendingPathComponent("fetched.sqlite").path)
        let fetched = try NightlyRun(store: store, configuration: configuration, asOf: day)
            .run(inbox: inbox.path, out: folder.appendingPathComponent("fetched-reports").path)
        #expect(fetched.exitStatus == .success)
        #expect(fetched.manifest.keysByLabel == whole.manifest.keysByLabel)
        #expect(fetched.manifest.keysByState == ["CASHED": 10])
        #expect(fetched.manifest.discrepanciesByCode == whole.manifest.discrepanciesByCode)
        #expect(try store.incompleteFlows().isEmpty)
    }
}
