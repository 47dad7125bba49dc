import Foundation
import Testing
@testable import QuadraKit
@testable import QuadraNet

/// Receipts and the taxonomy fetched into the inbox, the subscription key's handling, and `[pagopa]`.
@Suite struct DocumentFetcherTests {
    private let folder: URL

    init() throws {
        folder = try TestSupport.scratchFolder()
    }

    private func client(attempts: Int = 3) -> PagoPAClient {
        var policy = PagoPAClient.Policy(attempts: attempts, requestsPerSecond: 50)
        policy.baseDelay = .milliseconds(10)
        return PagoPAClient(key: SubscriptionKey(value: "secret-key"), policy: policy)
    }

    @Test func fetchesTheReceiptOfEveryFlowRowWithoutOne() async throws {
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let flow = SampleFlow()
        _ = try Ingestor(store: store).ingest([try TestSupport.write(flow.xml, to: folder, as: "flow.xml").path])
        let missing = try store.flowRowsWithoutReceipt(creditors: [flow.receiver])
        #expect(missing.map(\.iuv) == flow.rows.map(\.iuv).sorted())
        #expect(try store.flowRowsWithoutReceipt(creditors: ["80000000010"]).isEmpty)

        let receipt = try SampleReceipt.text
        let api = try await FakePagoPA { path, _, previous in
            switch path {
            case "/payments/\(flow.receiver)/receipts/\(flow.rows[0].iuv)": return previous == 0 ? .json("{}", status: 503) : .json(receipt)
            default: return .json(#"{"title": "Not found"}"#, status: 404)
            }
        }
        defer { Task { try await api.stop() } }
        let inbox = folder.appendingPathComponent("inbox").path
        let fetcher = DocumentFetcher(client: client(), inbox: inbox)
        let summary = try await fetcher.fetchReceipts(missing, baseURL: api.baseURL)
        #expect(summary.written == 1)
        #expect(summary.notFound.count == 1)
        let path = "\(inbox)/\(flow.receiver)/receipts/\(flow.rows[0].iuv).xml"
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == receipt)
        let again = try await fetcher.fetchReceipts(missing, baseURL: api.baseURL)
        #expect(again.alreadyInInbox == 1 && again.written == 0)
    }

    @Test func fetchesTheTaxonomyAsServed() async throws {
        let table = String(decoding: try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("taxonomy/tassonomia.json")), as: UTF8.self)
        let api = try await FakePagoPA { _, _, _ in .json(table) }
        defer { Task { try await api.stop() } }
        let inbox = folder.appendingPathComponent("inbox").path
        _ = try await DocumentFetcher(client: client(), inbox: inbox).fetchTaxonomy(from: api.baseURL + "/taxonomy.json", on: CivilDate(iso: "2026-11-20")!)
        let written = "\(inbox)/taxonomy/taxonomy-2026-11-20.json"
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: written)), as: UTF8.self) == table)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        #expect(try Ingestor(store: store).ingest([inbox]).outcomes.map(\.kind) == [.taxonomyJSON])
    }

    /// `quadra fetch taxonomy` on a 404 exits 65 like the other fetches (a document not found, asked
    /// again next time), not 74: nothing failed to read or write.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
    func aTaxonomyNotFoundExits65() async throws {
        let api = try await FakePagoPA { _, _, _ in .json(#"{"title": "Not found"}"#, status: 404) }
        defer { Task { try await api.stop() } }
        let config = try TestSupport.write("""
            [pagopa]
            taxonomy_url = "\(api.baseURL)/taxonomy.json"
            key_env = "QUADRA_TEST_KEY"
            attempts = 1
            """, to: folder, as: "quadra.toml")
        let process = Process()
        process.executableURL = CrashRecoveryTests.quadra
        process.arguments = ["fetch", "taxonomy", "--inbox", folder.appendingPathComponent("inbox").path, "--config", config.path,
                             "--db", folder.appendingPathComponent("quadra.sqlite").path]
        process.environment = ["QUADRA_TEST_KEY": "secret-key"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationStatus == 65)
    }

    @Test func refusedKeysStopAtOnceWithAClearErrorThatHidesTheKey() async throws {
        let api = try await FakePagoPA { path, _, _ in .json("{}", status: path.hasSuffix("forbidden") ? 403 : 401) }
        defer { Task { try await api.stop() } }
        do {
            _ = try await client().get(URL(string: api.baseURL + "/x")!)
            Issue.record("a 401 must throw")
        } catch let error as FetchError {
            #expect(error == .unauthorized(url: api.baseURL + "/x"))
            #expect(error.description.contains("401") && !error.description.contains("secret-key"))
        }
        await #expect(throws: FetchError.forbidden(url: api.baseURL + "/forbidden")) {
            try await client().get(URL(string: api.baseURL + "/forbidden")!)
        }
        #expect(api.requests.count == 2, "no retry on 401 or 403")
        #expect("\(SubscriptionKey(value: "secret-key"))" == "<redacted>")
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let file = folder.appendingPathComponent("pagopa.key").path
        try "secret-key\n".write(toFile: file, atomically: false, encoding: .utf8)
        var pagopa = PagoPAConfiguration()
        pagopa.keyFile = file
        chmod(file, 0o644)
        #expect(throws: FetchError.configuration("the key file \(file) is readable by others (mode 644): chmod 600 it")) {
            try SubscriptionKey.load(pagopa)
        }
        chmod(file, 0o600)
        #expect(try SubscriptionKey.load(pagopa).value == "secret-key")
        pagopa.keyFile = nil
        #expect(try SubscriptionKey.load(pagopa, environment: ["PAGOPA_SUBSCRIPTION_KEY": "from-env"]).value == "from-env")
        #expect(throws: FetchError.self) { try SubscriptionKey.load(pagopa, environment: [:]) }
    }

    @Test func thePagoPASectionIsReadAndCheckedKeyByKey() throws {
        let configuration = try QuadraConfiguration.parse("""
            [pagopa]
            fdr_url = "https://api.platform.pagopa.it/fdr-org/service/v1/"
            gpd_payments_url = "https://api.platform.pagopa.it/gpd/payments/v1"
            key_file = "/etc/quadra/pagopa.key"
            requests_per_second = 2
            """)
        #expect(configuration.pagopa?.fdrURL == "https://api.platform.pagopa.it/fdr-org/service/v1")
        #expect(configuration.pagopa?.requestsPerSecond == 2)
        #expect(configuration.pagopa?.attempts == 6)
        #expect(throws: QuadraConfiguration.Failure(key: "pagopa.key", reason: "unknown key")) {
            try QuadraConfiguration.parse("[pagopa]\nkey = \"inline keys are not read\"\n")
        }
        #expect(throws: QuadraConfiguration.Failure(key: "pagopa.fdr_url", reason: "'ftp://x' is not an http(s) URL without a query")) {
            try QuadraConfiguration.parse("[pagopa]\nfdr_url = \"ftp://x\"\n")
        }
    }
}
