import ArgumentParser
import Foundation
import Logging
import QuadraKit
import QuadraNet

struct FetchTaxonomyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "Download the current taxonomy table into the inbox (taxonomy/taxonomy-<today>.json)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchOptions

    func run() async throws {
        let (logger, _, pagopa, client) = try fetch.start(global)
        let url = try fetch.required(pagopa.taxonomyURL, "taxonomy_url", logger: logger)
        let today = RomeTime.localDate(ofUTC: RomeTime.utc(fromEpochSeconds: Int64(Date().timeIntervalSince1970)))!
        _ = try await reportingFetchErrors(logger) {
            try await DocumentFetcher(client: client, inbox: fetch.inbox, logger: logger).fetchTaxonomy(from: url, on: today)
        }
        logger.info("fetch taxonomy: written")
    }
}
