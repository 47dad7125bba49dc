import ArgumentParser
import Foundation
import QuadraKit

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic, internally consistent inbox in the real formats, with its ground truth.",
        discussion: """
            Writes OUT/inbox (taxonomy, GPD positions, receipts, FdR XML and FdR-3 JSON flows, OPI and camt.053 \
            treasury), OUT/quadra.toml, OUT/truth.jsonl (every planted defect and the codes it must raise) and \
            OUT/dataset.json (counts, expected labels, and the as-of date to reconcile at). Same seed, same bytes.

            With --nights N, the same world as it arrives night after night: OUT/night-01 … OUT/night-N, each \
            with the inbox of that day's documents, the truth.jsonl of what that night's run must report (new, \
            open, resolved) and night.json (its as-of date, the day itself); one OUT/quadra.toml. --receipts is \
            then per night, on average (fewer on weekends and holidays).
            """
    )

    @Option(help: "Folder to create (must not exist yet, or be empty).")
    var out: String

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 1

    @Option(help: "Creditors the intermediary serves.")
    var creditors = 20

    @Option(help: "Receipts to generate (with --nights: per night, on average).")
    var receipts = 10_000

    @Option(help: "Payment days, from --first-day on.")
    var days = 1

    @Option(help: "Write N nights (one folder each, as delivered day by day) instead of one inbox.")
    var nights: Int?

    @Option(name: .customLong("first-day"), help: "First payment day (YYYY-MM-DD).")
    var firstDay = "2026-11-16"

    @Option(name: .customLong("anomaly-rate"), help: "Share of payments and flows that carry a planted defect, e.g. 0.02.")
    var anomalyRate = "0"

    @Option(name: .customLong("receipts-per-zip"),
            help: "Pack receipts in ZIP archives of this many (0: one file each; default: 2000 above 50000 receipts).")
    var receiptsPerZip: Int?

    func run() throws {
        var options = DatasetOptions()
        options.seed = seed
        options.creditors = creditors
        options.receipts = receipts * (nights ?? 1)
        options.days = nights ?? days
        if nights != nil && days != 1 { throw ValidationError("--nights sets the payment days: leave --days out") }
        guard let first = CivilDate(iso: firstDay) else { throw ValidationError("--first-day must be a date YYYY-MM-DD") }
        options.firstDay = first
        guard let rate = Decimal(string: anomalyRate, locale: Locale(identifier: "en_US_POSIX")), rate >= 0, rate <= 1 else {
            throw ValidationError("--anomaly-rate must be a fraction such as 0.02")
        }
        options.anomalyRatePerMillion = NSDecimalNumber(decimal: rate * 1_000_000).intValue
        options.receiptsPerArchive = receiptsPerZip ?? (receipts > 50_000 ? 2_000 : 0)
        if let problem = options.problem { throw ValidationError(problem) }
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: out), !existing.isEmpty {
            throw ValidationError("\(out) is not empty: choose a new folder")
        }
        if nights != nil {
            let summaries = try DatasetGenerator(options: options).writeNights(to: out)
            let receipts = summaries.reduce(0) { $0 + ($1.counts["receipts"] ?? 0) }
            print("generated \(out): \(summaries.count) nights, \(receipts) receipts, as of \(summaries[0].asOf) to \(summaries.last!.asOf)")
            return
        }
        let summary = try DatasetGenerator(options: options).write(to: out)
        let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("generated \(out): \(counts); reconcile as of \(summary.asOf)")
    }
}
