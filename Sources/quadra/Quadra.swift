import ArgumentParser

@main
struct Quadra: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Balances the books of pagoPA collections: ingests receipts, positions, flows and treasury, and reconciles them.",
        version: "0.1.0",
        subcommands: [IngestCommand.self, StatusCommand.self, ReconcileCommand.self, ExplainCommand.self]
    )
}
