import ArgumentParser

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Pull documents from pagoPA's APIs into the inbox: reporting flows, missing receipts, the taxonomy.",
        discussion: "Addresses and the subscription key come from [pagopa] in the configuration. Exit codes: 0 done, 65 some documents not found, 74 the API refused or failed, 78 bad configuration.",
        subcommands: [FetchFlowsCommand.self, FetchReceiptsCommand.self, FetchTaxonomyCommand.self]
    )
}
