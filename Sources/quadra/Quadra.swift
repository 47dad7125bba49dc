import ArgumentParser
import QuadraKit

@main
struct Quadra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Balances the books of pagoPA collections: ingests receipts, positions, flows and treasury, and reconciles them.",
        version: QuadraVersion.current,
        subcommands: [IngestCommand.self, StatusCommand.self, ReconcileCommand.self, ExplainCommand.self,
                      ReportCommand.self, RunCommand.self, BackupCommand.self, GenerateCommand.self, StationCommand.self,
                      FetchCommand.self, NoteCommand.self, ReceiptCommand.self]
    )
}
