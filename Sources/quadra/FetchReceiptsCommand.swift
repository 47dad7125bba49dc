import ArgumentParser
import Logging
import QuadraKit
import QuadraNet

struct FetchReceiptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipts",
        abstract: "Download from the GPD payments API every receipt a served creditor's evidence says exists and the store lacks: current flow rows, and what recovery.csv lists (positions marked paid, /RFB/ credits)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchOptions

    func run() async throws {
        let (logger, configuration, pagopa, client) = try fetch.start(global)
        let baseURL = try fetch.required(pagopa.gpdPaymentsURL, "gpd_payments_url", logger: logger)
        let missing: [MissingReceipt]
        do {
            let store = try Store(path: global.db), creditors = configuration.creditors.map(\.fiscalCode)
            missing = try store.flowRowsWithoutReceipt(creditors: creditors)
                + store.receiptsToRecover(creditors: creditors, codes: DiscrepancyCode.missingReceipt.map(\.rawValue),
                                          credit: DiscrepancyCode.creditWithoutReceipt.rawValue)
        } catch let waiting as Store.UpgradeWaits {
            logger.error("\(waiting)")
            throw ExitStatus.locked.exitCode
        }
        let summary = try await reportingFetchErrors(logger) {
            try await DocumentFetcher(client: client, inbox: fetch.inbox, logger: logger).fetchReceipts(missing, baseURL: baseURL)
        }
        logger.info("fetch receipts: \(Set(missing.map { "\($0.creditor)/\($0.iuv)" }).count) IUVs without a receipt; \(summary.written) written, \(summary.alreadyInInbox) already in the inbox, \(summary.notFound.count) not found")
        if !summary.notFound.isEmpty { throw ExitStatus.dataError.exitCode }
    }
}
