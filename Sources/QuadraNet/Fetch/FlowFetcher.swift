import Foundation
import Logging
import QuadraKit

/// `quadra fetch flows`: for each served creditor, lists the flows the FdR-3 organization API
/// published after the last fetch (`GET /organizations/{org}/fdrs?publishedGt=…`, every page), and
/// writes each new flow revision's header and payment pages into the inbox in the layout ingestion
/// reads (`FlowPartPath`):
///
/// ```
/// <org>/fdrs/<fdr>/revisions/<rev>/psps/<psp>.json
/// <org>/fdrs/<fdr>/revisions/<rev>/psps/<psp>/payments/page-<N>.json
/// ```
///
/// Each file is written whole (temporary name, `fsync`, rename) exactly as the API answered it. A
/// page already in the inbox is not asked again, so a fetch resumed after an interruption asks only
/// for what is missing; `FetchState` records finished flows.
public struct FlowFetcher: Sendable {
    public struct Summary: Sendable, Equatable {
        public var flows = 0
        public var files = 0
        /// Flows listed but fetched before.
        public var alreadyFetched = 0
        /// Flows that could not be fetched (404, an identifier unsafe as a file name): fetched again next time.
        public var failures: [String] = []
    }

    let client: PagoPAClient
    let baseURL: String
    let inbox: String
    let logger: Logger
    /// Payments per page asked for (the API's maximum is 1,000).
    var pageSize = 1000

    public init(client: PagoPAClient, baseURL: String, inbox: String, logger: Logger = Logger(label: "quadra.fetch")) {
        self.client = client
        self.baseURL = baseURL
        self.inbox = inbox
        self.logger = logger
    }

    public var statePath: String { "\(inbox.hasSuffix("/") ? String(inbox.dropLast()) : inbox).fetch-state.json" }

    /// - Parameter since: `YYYY-MM-DD`: flows published after its start are listed, unless the
    ///   state's watermark is later.
    public func fetch(organizations: [String], since: CivilDate) async throws -> Summary {
        var state = try FetchState.load(statePath)
        var summary = Summary()
        for organization in organizations {
            var known = state.organizations[organization] ?? FetchState.Organization()
            let floor = "\(since)T00:00:00Z"
            let publishedGt = max(known.watermark ?? floor, floor)
            let listed = try await list(organization, publishedGt: publishedGt)
            var allBefore = true
            for flow in listed {
                let key = "\(flow.fdr)/\(flow.revision)/\(flow.pspId)"
                if known.fetched[key] != nil {
                    summary.alreadyFetched += 1
                } else {
                    do {
                        summary.files += try await fetchFlow(flow, organization: organization)
                        summary.flows += 1
                        known.fetched[key] = flow.published ?? ""
                    } catch let failure as FetchError {
                        guard case .notFound = failure else { throw failure }
                        summary.failures.append(failure.description)
                        logger.warning("\(failure.description)")
                        allBefore = false
                        continue
                    }
                }
                if allBefore, let published = flow.published {
                    known.watermark = published
                    known.fetched = known.fetched.filter { $0.value > published }
                }
                state.organizations[organization] = known
                try state.save(statePath)
            }
        }
        return summary
    }

    /// One flow of the listing (`FlowByPSP`).
    struct ListedFlow: Decodable {
        var fdr: String
        var pspId: String
        var revision: Int
        var published: String?
    }

    private struct Page<Item: Decodable>: Decodable {
        struct Metadata: Decodable {
            var pageNumber: Int
            var totPage: Int
        }

        var metadata: Metadata
        var data: [Item]
    }

    /// Every page of the listing, oldest publication first.
    private func list(_ organization: String, publishedGt: String) async throws -> [ListedFlow] {
        var flows: [ListedFlow] = []
        var page = 1
        var pages = 1
        while page <= pages {
            let url = try makeURL(["organizations", organization, "fdrs"],
                                  query: [("publishedGt", publishedGt), ("page", "\(page)"), ("size", "\(pageSize)")])
            let answer: Page<ListedFlow> = try decode(try await client.get(url), from: url)
            pages = answer.metadata.totPage
            flows += answer.data
            page += 1
        }
        return flows.sorted { ($0.published ?? "", $0.fdr, $0.pspId, $0.revision) < ($1.published ?? "", $1.fdr, $1.pspId, $1.revision) }
    }

    /// Writes the header and every page not yet in the inbox; returns how many files it wrote.
    private func fetchFlow(_ flow: ListedFlow, organization: String) async throws -> Int {
        guard FlowPartPath.isSafeComponent(flow.fdr), FlowPartPath.isSafeComponent(flow.pspId), flow.revision >= 0 else {
            throw FetchError.notFound(url: "flow '\(flow.fdr)' of PSP '\(flow.pspId)': an identifier unusable as a file name")
        }
        let base = ["organizations", organization, "fdrs", flow.fdr, "revisions", "\(flow.revision)", "psps", flow.pspId]
        var place = FlowPartPath(receiverFiscalCode: organization, flowId: flow.fdr, revision: flow.revision, pspId: flow.pspId, page: nil)
        var written = 0
        if try await save(place, from: try makeURL(base, query: [])) { written += 1 }
        var number = 1
        var pages = 1
        while number <= pages {
            place.page = number
            let url = try makeURL(base + ["payments"], query: [("page", "\(number)"), ("size", "\(pageSize)")])
            let path = "\(inbox)/\(place.relativePath)"
            if FileManager.default.fileExists(atPath: path), let known = try? decode(Data(contentsOf: URL(fileURLWithPath: path)), from: url) as Page<Skipped> {
                pages = known.metadata.totPage
            } else {
                let body = try await client.get(url)
                let page: Page<Skipped> = try decode(body, from: url)
                guard page.metadata.pageNumber == number else {
                    throw FetchError.unexpected(url: url.absoluteString, reason: "asked for page \(number), got page \(page.metadata.pageNumber)")
                }
                pages = page.metadata.totPage
                guard number <= pages else { break }
                try DocumentFetcher.write(body, to: path)
                written += 1
            }
            number += 1
        }
        return written
    }

    /// Payments are not decoded here: the file keeps the API's bytes and ingestion reads them.
    private struct Skipped: Decodable {}

    /// Fetches a document into its place unless it is there already; true when written.
    private func save(_ place: FlowPartPath, from url: URL) async throws -> Bool {
        let path = "\(inbox)/\(place.relativePath)"
        guard !FileManager.default.fileExists(atPath: path) else { return false }
        try DocumentFetcher.write(try await client.get(url), to: path)
        return true
    }

    private func decode<T: Decodable>(_ data: Data, from url: URL) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw FetchError.unexpected(url: url.absoluteString, reason: "not the documented JSON (\(error))")
        }
    }

    func makeURL(_ components: [String], query: [(String, String)]) throws -> URL {
        let path = components.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? $0 }
        guard var url = URLComponents(string: baseURL + "/" + path.joined(separator: "/")) else {
            throw FetchError.configuration("'\(baseURL)' cannot be joined with \(components.joined(separator: "/"))")
        }
        if !query.isEmpty { url.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let result = url.url else { throw FetchError.configuration("bad URL under \(baseURL)") }
        return result
    }
}
