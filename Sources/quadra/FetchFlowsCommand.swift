import ArgumentParser
import Logging
import QuadraKit
import QuadraNet

struct FetchFlowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "Download the FdR-3 flows published for each served creditor since the last fetch: each revision's header and payment pages."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fetch: FetchOptions

    @Option(help: "Flows published from this day on (YYYY-MM-DD), unless an earlier fetch went further.")
    var since: CivilDate

    func run() async throws {
        let (logger, configuration, pagopa, client) = try fetch.start(global)
        let fetcher = FlowFetcher(client: client, baseURL: try fetch.required(pagopa.fdrURL, "fdr_url", logger: logger),
                                  inbox: fetch.inbox, logger: logger)
        let summary = try await reportingFetchErrors(logger) {
            try await fetcher.fetch(organizations: configuration.creditors.map(\.fiscalCode), since: since)
        }
        logger.info("fetch flows: \(summary.flows) new flow revisions, \(summary.files) files, \(summary.alreadyFetched) fetched before, \(summary.failures.count) not found")
        if !summary.failures.isEmpty { throw ExitStatus.dataError.exitCode }
    }
}
