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

    @Argument(help: "Files or folders to ingest.")
    var paths: [String]

    func validate() throws {
        if let creditor, !FiscalCode.hasOrganizationShape(creditor) {
            throw ValidationError("--creditor must be an 11-digit fiscal code, not '\(creditor)'")
        }
    }

    func run() throws {
        global.bootstrap()
        let logger = Logger(label: "quadra")
        let configuration = try global.loadConfiguration(logger: logger)
        let status = StoreSession.run(db: global.db, logger: logger) { store in
            let ingestor = Ingestor(store: store, options: .init(creditor: creditor, configuration: configuration), logger: logger)
            let meter = ProgressMeter()
            let summary = try ingestor.ingest(paths, progress: meter.show)
            meter.finish()
            logger.info("\(summary.line)")
            return summary.exitCode
        }
        throw status.exitCode
    }
}
