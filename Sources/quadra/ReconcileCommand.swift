import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Classify what changed since the last run, and what is still open, for an as-of date; store verdicts and discrepancies."
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var reconciling: ReconcileOptions

    @Flag(help: "Classify every key, flow and credit of the look-back from scratch (writes only what differs).")
    var full = false

    func run() throws {
        let day = try reconciling.day()
        try global.withLockedStore { store, configuration, logger in
            var reconciler = Reconciler(store: store, configuration: configuration)
            reconciler.lookBackDays = reconciling.lookBack
            reconciler.everything = full
            let summary = try reconciler.run(asOf: day)
            logger.info("\(summary.line)")
            return .success
        }
    }
}

/// The `--as-of` option: a date as given, or today in Italy (the only place the clock is read).
enum AsOfDate {
    static func parse(_ text: String?) throws -> CivilDate {
        guard let text else {
            let now = Int64(Date().timeIntervalSince1970)
            return RomeTime.localDate(ofUTC: RomeTime.utc(fromEpochSeconds: now))!
        }
        guard let date = CivilDate(iso: text) else { throw ValidationError("--as-of must be a date YYYY-MM-DD, not '\(text)'") }
        return date
    }
}
