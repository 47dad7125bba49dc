import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read documents (files or folders, .gz too) into the store; the same bytes twice change nothing.",
        discussion: "Exit codes: 0 all stored, 65 some documents rejected, 64 usage, 74 I/O error, 75 store locked, 78 bad configuration."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Owner (11-digit fiscal code) of debt positions that name none.")
    var creditor: String?

    @Option(help: "Commit the store every N documents or more (whole batches of 4,096), or every 10 seconds: a crash loses what came since the last commit; fewer commits write fewer pages.")
    var commitEvery = Ingestor.Options().commitDocuments

    @Argument(help: "Files or folders to ingest.")
    var paths: [String]

    func validate() throws {
        guard commitEvery > 0 else { throw ValidationError("--commit-every must be 1 or more documents") }
        if let creditor, !FiscalCode.hasOrganizationShape(creditor) {
            throw ValidationError("--creditor must be an 11-digit fiscal code, not '\(creditor)'")
        }
    }

    func run() throws {
        global.bootstrap()
        let logger = Logger(label: "quadra")
        let configuration = try global.loadConfiguration(logger: logger)
        let status = StoreSession.run(db: global.db, logger: logger) { store in
            var options = Ingestor.Options(creditor: creditor, configuration: configuration)
            options.commitDocuments = commitEvery
            let ingestor = Ingestor(store: store, options: options, logger: logger)
            let meter = ProgressMeter()
            let summary = try ingestor.ingest(paths, progress: meter.show)
            meter.finish()
            logger.info("\(summary.line)")
            return summary.exitCode
        }
        throw status.exitCode
    }
}
