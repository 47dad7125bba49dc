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

    @Option(help: "Leave files modified less than this many seconds ago for the next run (they may still be being copied).")
    var settle = 60

    func validate() throws {
        guard settle >= 0 else { throw ValidationError("--settle must be 0 or more seconds") }
    }

    func run() throws {
        let day = try reconciling.day()
        try global.withLockedStore(opening: .create(groupReadable: reports.groupReadable), configurationRequired: true) { store, configuration, logger in
            var nightly = NightlyRun(store: store, configuration: configuration, asOf: day, logger: logger)
            nightly.configurationDigest = NightlyRun.configurationDigest(path: global.config)
            nightly.reportOptions = reports.writerOptions
            nightly.reportOptions.dialect = configuration.csvDialect
            nightly.reportOptions.language = configuration.reportLanguage
            nightly.reportOptions.accounting = configuration.accounting
            nightly.lookBackDays = reconciling.lookBack
            nightly.archive = archive
            nightly.settleSeconds = settle
            let meter = ProgressMeter()
            defer { meter.finish() }
            let result: NightlyRun.Result
            do {
                result = try nightly.run(inbox: inbox, out: reports.out, progress: meter.show)
            } catch let problem as InboxCheck.Problem {
                logger.error("\(problem)")
                return .ioError
            } catch let empty as NightlyRun.EmptyInbox {
                logger.error("\(empty)")
                return .ioError
            }
            meter.finish()
            logger.notice("\(result.line)")
            return result.exitStatus
        }
    }
}
