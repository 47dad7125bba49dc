import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the reports of the last reconciliation into OUT/<as-of>/: CSVs (gzip), discrepancies as JSON lines, manifest."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var reports: ReportOptions

    @Option(help: "The as-of date (YYYY-MM-DD): the last reconciliation's, the default; another day with --full only (from a copy reconciled as of it).")
    var asOf: String?

    @Option(help: "With --full and another day's --as-of: the look-back of the reconciliation of the store's copy.")
    var lookBack = 400

    @Option(help: "First payment day of the accounting export's period (with --to).")
    var from: String?

    @Option(help: "Last payment day of the accounting export's period (with --from).")
    var to: String?

    @Flag(help: "Every key, flow and movement, not only tonight's changes and what is open, into OUT/<as-of>-full/.")
    var full = false

    @Option(help: "That served creditor's folder alone, OUT/<as-of>/<fiscal code>/ (the intermediary-wide files untouched).")
    var creditor: String?

    func validate() throws {
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
    }

    func run() throws {
        var options = reports.writerOptions
        options.everything = full
        options.creditor = creditor
        if let from, let to {
            guard let first = CivilDate(iso: from), let last = CivilDate(iso: to) else {
                throw ValidationError("--from and --to must be dates YYYY-MM-DD")
            }
            guard first <= last else { throw ValidationError("--from \(from) is after --to \(to)") }
            options.period = first...last
        }
        let requested = try asOf.map { try AsOfDate.parse($0) }
        try global.withLockedStore(opening: .existing) { store, configuration, logger in
            var options = options
            options.dialect = configuration.csvDialect
            options.language = configuration.reportLanguage
            options.accounting = configuration.accounting
            guard let last = try store.lastReconciliationDay() else {
                logger.error("no reconciliation in the store yet: run quadra reconcile first")
                return .dataError
            }
            let day = requested ?? last
            // The store holds one day's verdicts, the last reconciliation's: a night's report of another
            // day would list them as if that day had judged them (tonight's changes, ages). A full one is
            // written from a copy reconciled from scratch as of that day.
            let past = day != last && options.period == nil
            if past, !full {
                logger.error("the store holds the verdicts of the reconciliation as of \(last), not \(day): add --full for every key as of \(day), or run quadra reconcile --as-of \(day) first")
                return .usage
            }
            if past, configuration.creditors.isEmpty {
                logger.error("a full report as of \(day) reconciles a copy of the store as of that day, which needs the configuration (--config)")
                return .configuration
            }
            // A copy reconciled now serves the configuration's creditors; the store's report, those it last served.
            let served = past ? configuration.creditors.map(\.fiscalCode) : try store.servedCreditors().map(\.fiscalCode)
            if let creditor, !served.contains(creditor) {
                logger.error("\(ReportError.notServed(fiscalCode: creditor, served: served))")
                return .usage
            }
            var digest = NightlyRun.configurationDigest(path: global.config)
            // With no configuration file, the night's files are written again as the night spelled them,
            // under the configuration it named.
            if digest == nil, let night = ReportManifest.read(in: "\(reports.out)/\(ReportWriter(store: store, asOf: day, options: options).folderName)") {
                options.dialect = night.csvDialect.flatMap(CSVDialect.init(rawValue:)) ?? options.dialect
                options.language = night.language.flatMap(ReportLanguage.init(rawValue:)) ?? options.language
                options.accounting = AccountingConfiguration(capitoloKey: night.capitoloKey, accertamentoKey: night.accertamentoKey,
                                                             ufficioKey: night.ufficioKey)
                digest = night.configurationDigest
            }
            let manifest = past
                ? try PastFullReport.write(from: store, configuration: configuration, asOf: day, lookBackDays: lookBack, options: options,
                                           to: reports.out, configurationDigest: digest)
                : try ReportWriter(store: store, asOf: day, options: options).write(to: reports.out, configurationDigest: digest)
            let folder = ReportWriter(store: store, asOf: day, options: options).folderName + (creditor.map { "/\($0)" } ?? "")
            logger.info("reports for \(day): \(manifest.files.count) files in \(reports.out)/\(folder)")
            return .success
        }
    }
}

/// Options of the commands that write reports.
struct ReportOptions: ParsableArguments {
    @Option(help: "The reports' root folder; each night's go into OUT/<as-of>/.")
    var out = "Reports"

    @Flag(help: "Write debtor ids whole (masked by default: the first six characters kept).")
    var unmask = false

    @Flag(help: "Create report files 0640 instead of 0600.")
    var groupReadable = false

    var writerOptions: ReportWriter.Options {
        ReportWriter.Options(unmask: unmask, groupReadable: groupReadable)
    }
}
