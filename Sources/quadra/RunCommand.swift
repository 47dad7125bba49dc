import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly job: ingest the inbox, reconcile and write the reports, under one store lock.",
        discussion: "Exit codes: 0 all stored, 65 some documents rejected, 64 usage, 74 I/O error, 75 store locked, 78 bad configuration."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconciling: ReconcileOptions
    @OptionGroup var reports: ReportOptions

    @Option(help: "The folder of documents to read.")
    var inbox: String

    @Option(help: "Move read documents to ARCHIVE/YYYY/MM/DD/ (refused ones to ARCHIVE/rejected/YYYY/MM/DD/ with a .reason).")
    var archive: String?

    func run() throws {
        let day = try reconciling.day()
        try global.withLockedStore { store, configuration, logger in
            var nightly = NightlyRun(store: store, configuration: configuration, asOf: day, logger: logger)
            nightly.configurationDigest = NightlyRun.configurationDigest(path: global.config)
            nightly.reportOptions = reports.writerOptions
            nightly.lookBackDays = reconciling.lookBack
            nightly.archive = archive
            let result = try nightly.run(inbox: inbox, out: reports.out)
            logger.notice("\(result.line)")
            return result.exitStatus
        }
    }
}
