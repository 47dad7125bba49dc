import ArgumentParser
import Logging
import QuadraKit
import QuadraNet

struct FetchReceiptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipts",
        abstract: "Download from the GPD payments API the receipt of every current flow row of a served creditor that has none in the store."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchOptions

    func run() async throws {
        let (logger, configuration, pagopa, client) = try fetch.start(global)
        let baseURL = try fetch.required(pagopa.gpdPaymentsURL, "gpd_payments_url", logger: logger)
        let missing: [MissingReceipt]
        do {
            missing = try Store(path: global.db).flowRowsWithoutReceipt(creditors: configuration.creditors.map(\.fiscalCode))
        } catch let waiting as Store.UpgradeWaits {
            logger.error("\(waiting)")
            throw ExitStatus.locked.exitCode
        }
        let summary = try await reportingFetchErrors(logger) {
            try await DocumentFetcher(client: client, inbox: fetch.inbox, logger: logger).fetchReceipts(missing, baseURL: baseURL)
        }
        logger.info("fetch receipts: \(missing.count) flow rows without a receipt; \(summary.written) written, \(summary.alreadyInInbox) already in the inbox, \(summary.notFound.count) not found")
        if !summary.notFound.isEmpty { throw ExitStatus.dataError.exitCode }
    }
}
