import Foundation
import Logging
import QuadraKit

/// `quadra fetch receipts` and `quadra fetch taxonomy`: single documents fetched into the inbox as the
/// API answered them, for ingestion to recognise by content.
///
/// Receipts: `GET {gpd_payments_url}/payments/{organizationfiscalcode}/receipts/{iuv}` for each flow row
/// with no receipt, saved as `<org>/receipts/<iuv>.xml` (not asked again while that file is in the
/// inbox). Taxonomy: `GET {taxonomy_url}`, saved as `taxonomy/taxonomy-<YYYY-MM-DD>.json`.
public struct DocumentFetcher: Sendable {
    public struct Summary: Sendable, Equatable {
        public var written = 0
        public var alreadyInInbox = 0
        /// Documents the API does not have (404): asked again next time.
        public var notFound: [String] = []
    }

    let client: PagoPAClient
    let inbox: String
    let logger: Logger

    public init(client: PagoPAClient, inbox: String, logger: Logger = Logger(label: "quadra.fetch")) {
        self.client = client
        self.inbox = inbox
        self.logger = logger
    }

    public func fetchReceipts(_ missing: [MissingReceipt], baseURL: String) async throws -> Summary {
        var summary = Summary()
        var asked = Set<String>()
        for item in missing where asked.insert("\(item.creditor)/\(item.iuv)").inserted {
            guard FiscalCode.hasOrganizationShape(item.creditor), FlowPartPath.isSafeComponent(item.iuv) else {
                summary.notFound.append("IUV '\(item.iuv)' of \(item.creditor): unusable as a file name")
                continue
            }
            let path = "\(inbox)/\(item.creditor)/receipts/\(item.iuv).xml"
            guard !FileManager.default.fileExists(atPath: path) else {
                summary.alreadyInInbox += 1
                continue
            }
            let encoded = item.iuv.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? item.iuv
            guard let url = URL(string: "\(baseURL)/payments/\(item.creditor)/receipts/\(encoded)") else { continue }
            do {
                try Self.write(try await client.get(url), to: path)
                summary.written += 1
            } catch let failure as FetchError {
                guard case .notFound = failure else { throw failure }
                summary.notFound.append(failure.description)
                logger.warning("\(failure.description)")
            }
        }
        return summary
    }

    public func fetchTaxonomy(from url: String, on day: CivilDate) async throws -> Summary {
        guard let address = URL(string: url) else { throw FetchError.configuration("pagopa.taxonomy_url '\(url)' is not a URL") }
        try Self.write(try await client.get(address), to: "\(inbox)/taxonomy/taxonomy-\(day).json")
        return Summary(written: 1)
    }

    /// Temporary hidden name, `fsync`, rename, folder `fsync`: ingestion never sees half a file.
    static func write(_ body: Data, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let file = try AtomicFile(path: path, mode: 0o640, hiddenWhileWritten: true)
        try file.write(Array(body))
        _ = try file.commit()
    }
}
