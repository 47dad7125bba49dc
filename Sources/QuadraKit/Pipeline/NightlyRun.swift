import Crypto
import Foundation
import Logging

/// The nightly job, `quadra run`: ingest the inbox, reconcile for the as-of date, write the reports,
/// then (optionally) archive what was read. The caller holds the store lock for the whole run.
///
/// ```swift
/// var run = NightlyRun(store: store, configuration: configuration, asOf: day)
/// run.archive = "/srv/quadra/archive"
/// let result = try run.run(inbox: "/srv/quadra/inbox", out: "Reports")
/// ```
///
/// Documents are archived only after the reports are written, so a failed run leaves the inbox as it
/// found it and the next run reads the same documents (the ledger makes that free).
public struct NightlyRun: Sendable {
    /// What one run did.
    public struct Result: Sendable {
        public var ingest: IngestSummary
        public var reconciliation: ReconciliationSummary
        public var manifest: ReportManifest
        public var seconds: Double
        /// Wall seconds of each step (reports include the archive), so that a night that grows slower
        /// says where.
        public var phases = Phases()

        public struct Phases: Sendable {
            public var ingest = 0.0
            public var reconcile = 0.0
            public var reports = 0.0
        }

        /// The ingest's exit status: reconciliation and reports either succeed or throw.
        public var exitStatus: ExitStatus { ingest.exitCode }

        /// One line for stderr: documents, keys by state, discrepancies, seconds.
        public var line: String {
            let documents = DocumentOutcome.Status.allCases.map { "\($0.rawValue) \(ingest.count($0))" }.joined(separator: ", ")
            let waiting = ingest.waiting.isEmpty ? "" : ", waiting \(ingest.waiting.count)"
            return "run \(reconciliation.asOf): \(ingest.documents) documents (\(documents)\(waiting)); "
                + "\(reconciliation.line.drop(while: { $0 != ":" }).dropFirst().trimmingCharacters(in: .whitespaces)); "
                + "\(manifest.files.count) report files; \(String(format: "%.2f", seconds)) s"
                + " (ingest \(String(format: "%.2f", phases.ingest)), reconcile \(String(format: "%.2f", phases.reconcile)),"
                + " reports \(String(format: "%.2f", phases.reports)))"
        }
    }

    public let store: Store
    public let configuration: QuadraConfiguration
    public let asOf: CivilDate
    /// SHA-256 of the configuration file, for the manifest (see `configurationDigest(path:)`).
    public var configurationDigest: String?
    public var reportOptions = ReportWriter.Options()
    public var lookBackDays = 400
    /// Where read documents go (`YYYY/MM/DD/`, refused ones under `rejected/` with a `.reason`); nil leaves the inbox alone.
    public var archive: String?
    /// Files modified less than this many seconds ago wait for the next run (`--settle`).
    public var settleSeconds = 0
    private let logger: Logger

    /// Where a run is, for a progress line on a terminal.
    public enum Progress: Sendable {
        case documents(Ingestor.Progress)
        case reconciling(asOf: CivilDate)
        case keys(ReconciliationSummary)
        case reports(folder: String)
    }

    /// An inbox with nothing in it to read, not even a file still arriving (exit 74): pagoPA sends
    /// receipts every day, so an empty inbox means a feed or a mount has stopped.
    public struct EmptyInbox: Error, CustomStringConvertible {
        public let inbox: String
        public var description: String { "inbox \(inbox) holds no document: is the feed or the mount working?" }
    }

    public init(store: Store, configuration: QuadraConfiguration, asOf: CivilDate, logger: Logger = Logger(label: "quadra.run")) {
        self.store = store
        self.configuration = configuration
        self.asOf = asOf
        self.logger = logger
    }

    /// Refuses an inbox that is missing, not the mounted share it should be (`[inbox]`), or empty,
    /// before anything is written.
    public func run(inbox: String, out: String, progress: @escaping (Progress) -> Void = { _ in }) throws -> Result {
        let started = ContinuousClock.now
        var phases = Result.Phases()
        var lap = started
        func endPhase(_ phase: WritableKeyPath<Result.Phases, Double>) {
            let now = ContinuousClock.now
            phases[keyPath: phase] = (now - lap).seconds
            lap = now
        }
        try configuration.inbox.verify(inbox)
        var options = Ingestor.Options(configuration: configuration)
        options.settleSeconds = settleSeconds
        let ingest = try Ingestor(store: store, options: options, logger: logger)
            .ingest([inbox], progress: { progress(.documents($0)) }, requireDocuments: { throw EmptyInbox(inbox: inbox) })
        endPhase(\.ingest)
        // The parsed batches are gone; their heap goes back to the system before reconciliation
        // builds its own (a million receipts: the ingest left some 670 MB resident, and
        // reconciliation peaked at 1,015 MB on top of it).
        ProcessMemory.trim()
        progress(.reconciling(asOf: asOf))
        var reconciler = Reconciler(store: store, configuration: configuration)
        reconciler.lookBackDays = lookBackDays
        let reconciliation = try reconciler.run(asOf: asOf)
        progress(.keys(reconciliation))
        endPhase(\.reconcile)
        store.releaseMemory()
        // A document skipped as already read is listed as the ledger filed it when it was read.
        let read = ReportManifest.DocumentList { [store, log = ingest.log] body in
            try store.withLedgerFiling { filing in
                try log.forEach { outcome in
                    let ledger = outcome.status == .skipped ? try filing(outcome.sha256) : nil
                    try body(ReportManifest.Document(path: outcome.path, kind: ledger?.kind ?? outcome.kind.rawValue,
                                                     sha256: outcome.sha256, outcome: ledger?.outcome ?? outcome.status.rawValue))
                }
            }
        }
        let folder = (out as NSString).appendingPathComponent(asOf.description)
        progress(.reports(folder: folder))
        let manifest = try ReportWriter(store: store, asOf: asOf, options: reportOptions)
            .write(to: out, documents: read.after(folder), configurationDigest: configurationDigest)
        if let archive {
            try DocumentArchive(root: archive, day: asOf).file(ingest.log, archives: ingest.archives, from: inbox)
        }
        endPhase(\.reports)
        return Result(ingest: ingest, reconciliation: reconciliation, manifest: manifest,
                      seconds: (ContinuousClock.now - started).seconds, phases: phases)
    }

    /// SHA-256 of the configuration file that `QuadraConfiguration.load(path:)` reads; nil when none.
    public static func configurationDigest(path: String?) -> String? {
        FileManager.default.contents(atPath: path ?? QuadraConfiguration.defaultPath).map { SHA256.hash(data: $0).hexString }
    }
}
