import Foundation

/// Moves the documents a run has read out of the inbox: stored ones (ingested, partial, duplicate,
/// already known) to `ROOT/YYYY/MM/DD/`, refused ones to `ROOT/rejected/YYYY/MM/DD/` beside a
/// `NAME.reason` file, each keeping its path below the inbox so two `rt.xml` never collide.
///
/// ```swift
/// try DocumentArchive(root: "/srv/quadra/archive", day: asOf).file(summary.outcomes, from: "inbox")
/// ```
///
/// The day is the run's as-of date, not the clock's, so a re-run for the same night files alike.
public struct DocumentArchive: Sendable {
    public let root: String
    public let day: CivilDate

    public init(root: String, day: CivilDate) {
        self.root = root
        self.day = day
    }

    public func file(_ outcomes: [DocumentOutcome], from inbox: String) throws {
        let dated = String(format: "%04d/%02d/%02d", day.year, day.month, day.day)
        let manager = FileManager.default
        for outcome in outcomes where manager.fileExists(atPath: outcome.path) {
            let rejected = outcome.status == .rejected
            let folder = (root as NSString).appendingPathComponent(rejected ? "rejected/" + dated : dated)
            let target = (folder as NSString).appendingPathComponent(Self.relative(outcome.path, to: inbox))
            do {
                try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
                try manager.moveItem(atPath: outcome.path, toPath: target)
                if rejected {
                    try Data(((outcome.reason ?? "rejected") + "\n").utf8).write(to: URL(fileURLWithPath: target + ".reason"))
                }
            } catch {
                throw ReportError.io(path: target, reason: "cannot archive \(outcome.path): \(error.localizedDescription)")
            }
        }
    }

    /// The path below the inbox; a path outside it (or climbing out with `..`) keeps its name only.
    static func relative(_ path: String, to inbox: String) -> String {
        let base = inbox.hasSuffix("/") ? inbox : inbox + "/"
        let below = path.hasPrefix(base) ? String(path.dropFirst(base.count)) : (path as NSString).lastPathComponent
        return below.split(separator: "/").contains("..") ? (path as NSString).lastPathComponent : below
    }
}
