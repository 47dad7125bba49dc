import Foundation

extension Reconciler {
    /// A reconciler with what `quadra.toml` says about reconciling: the served creditors, when a
    /// creditor's silence is a discrepancy, and how long a provvisorio may wait for its reversale.
    public init(store: Store, configuration: QuadraConfiguration) {
        self.init(store: store, creditors: configuration.creditors)
        silentDays = configuration.silentDays
        provvisorioRules.regulariseWorkingDays = configuration.accounting.regulariseWorkingDays
    }
}

/// `quadra report --full --as-of D` for a day other than the last reconciliation's. The store holds the
/// verdicts of that one day, so the full listing of another is written from a copy of the store
/// reconciled from scratch as of D: the files `quadra reconcile --full --as-of D` and then `quadra report
/// --full` would write, with the store itself left as it is. The copy (private, like the store) sits
/// beside the store while it is used and goes when the report is written.
public enum PastFullReport {
    public static func write(from store: Store, configuration: QuadraConfiguration, asOf day: CivilDate, lookBackDays: Int = 400,
                             options: ReportWriter.Options, to out: String, configurationDigest: String?) throws -> ReportManifest {
        let copyPath = Store.resolvedPath(store.path) + ".as-of-\(day)-\(getpid())"
        defer {
            for suffix in ["", "-wal", "-shm", "-scope", ".lock", ".sealed"] { try? FileManager.default.removeItem(atPath: copyPath + suffix) }
        }
        try store.backup(to: copyPath)
        let copy = try Store(path: copyPath, opening: .existing)
        var reconciler = Reconciler(store: copy, configuration: configuration)
        reconciler.lookBackDays = lookBackDays
        reconciler.everything = true
        _ = try reconciler.run(asOf: day)
        var options = options
        options.everything = true
        return try ReportWriter(store: copy, asOf: day, options: options).write(to: out, configurationDigest: configurationDigest)
    }
}
