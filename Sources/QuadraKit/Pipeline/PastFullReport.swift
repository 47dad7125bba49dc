import Foundation

/// `quadra report --full --as-of D` for a day other than the last reconciliation's. The store holds the
/// verdicts of that one day, so the full listing of another is written from a copy of the store
/// reconciled from scratch as of D: the files `quadra reconcile --full --as-of D` and then `quadra report
/// --full` would write, with the store itself left as it is. The copy holds what the store holds: it
/// lives in a private folder beside the store (`<db>.as-of-D.tmp-<pid>/`) and goes when the report is
/// written; one a killed command left is removed by the next, whose caller holds the store's lock.
public enum PastFullReport {
    public static func write(from store: Store, configuration: QuadraConfiguration, asOf day: CivilDate, lookBackDays: Int = 400,
                             options: ReportWriter.Options, to out: String, configurationDigest: String?) throws -> ReportManifest {
        let storePath = Store.resolvedPath(store.path)
        AtomicFile.removeOrphans(in: (storePath as NSString).deletingLastPathComponent,
                                 named: (storePath as NSString).lastPathComponent + ".as-of-")
        let folder = storePath + ".as-of-\(day).tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copyPath = (folder as NSString).appendingPathComponent("quadra.sqlite")
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
