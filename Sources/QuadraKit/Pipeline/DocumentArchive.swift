import Foundation

/// Moves the documents a run has read out of the inbox: stored ones (ingested, partial, duplicate,
/// already known) to `ROOT/YYYY/MM/DD/`, refused ones to `ROOT/rejected/YYYY/MM/DD/` beside a
/// `NAME.reason` file, each keeping its path below the inbox so two `rt.xml` never collide.
///
/// ```swift
/// try DocumentArchive(root: "/srv/quadra/archive", day: asOf).file(summary.log, archives: summary.archives, from: "inbox")
/// ```
///
/// A ZIP archive moves whole, once, whatever its entries became: to `rejected/` when any entry was
/// refused, its `.reason` naming each refused entry, so everything that needs a look is in one place.
/// The day is the run's as-of date, not the clock's, so a re-run for the same night files alike.
public struct DocumentArchive: Sendable {
    public let root: String
    public let day: CivilDate

    public init(root: String, day: CivilDate) {
        self.root = root
        self.day = day
    }

    /// Moves the file of each outcome (the archive, for a document read from a ZIP in `archives`).
    public func file(_ outcomes: [DocumentOutcome], archives: [String], from inbox: String) throws {
        try file(archives: archives, from: inbox) { body in try outcomes.forEach(body) }
    }

    /// The same, reading a night's outcomes back from its spool.
    public func file(_ log: OutcomeLog, archives: [String], from inbox: String) throws {
        try file(archives: archives, from: inbox, log.forEach)
    }

    /// The outcomes of one file come one after another (an archive's entries are read in a row), so
    /// each file is moved when the next one begins: nothing is held but the file at hand.
    private func file(archives: [String], from inbox: String,
                      _ outcomes: ((DocumentOutcome) throws -> Void) throws -> Void) throws {
        let zips = Set(archives)
        var current: (file: String, refused: [DocumentOutcome])?
        try outcomes { outcome in
            let file = Self.file(holding: outcome.path, among: zips)
            if let at = current, at.file != file {
                try move(at.file, refused: at.refused, from: inbox)
                current = nil
            }
            if current == nil { current = (file, []) }
            if outcome.status == .rejected { current?.refused.append(outcome) }
        }
        if let at = current { try move(at.file, refused: at.refused, from: inbox) }
    }

    /// Files one document file (or archive) under the day, or under `rejected/` beside the reasons of
    /// its refused documents.
    private func move(_ file: String, refused: [DocumentOutcome], from inbox: String) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: file) else { return }
        let dated = String(format: "%04d/%02d/%02d", day.year, day.month, day.day)
        let reasons = refused.map { outcome in
            outcome.path == file ? outcome.reason ?? "rejected" : "\(outcome.path.dropFirst(file.count + 1)): \(outcome.reason ?? "rejected")"
        }
        let folder = (root as NSString).appendingPathComponent(reasons.isEmpty ? dated : "rejected/" + dated)
        let wanted = (folder as NSString).appendingPathComponent(Self.relative(file, to: inbox))
        let target = Self.unused(wanted)
        do {
            try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.moveItem(atPath: file, toPath: target)
            if !reasons.isEmpty {
                try Data(reasons.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: target + ".reason"))
            }
        } catch {
            throw ReportError.io(path: target, reason: "cannot archive \(file): \(error.localizedDescription)")
        }
    }

    /// `path`, or when something is there already (an earlier run of the same as-of date filed a file
    /// of the same name) the first free `NAME~2.EXT`, `NAME~3.EXT`…: an original is never overwritten.
    static func unused(_ path: String) -> String {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) || manager.fileExists(atPath: path + ".reason") else { return path }
        let base = (path as NSString).deletingPathExtension, suffix = (path as NSString).pathExtension
        var copy = 2
        while true {
            let candidate = base + "~\(copy)" + (suffix.isEmpty ? "" : "." + suffix)
            if !manager.fileExists(atPath: candidate) && !manager.fileExists(atPath: candidate + ".reason") { return candidate }
            copy += 1
        }
    }

    /// The file on disk that holds the document at `path`: the archive whose path begins it, or itself.
    private static func file(holding path: String, among archives: Set<String>) -> String {
        var rest = path.startIndex
        while let slash = path[rest...].firstIndex(of: "/") {
            if archives.contains(String(path[..<slash])) { return String(path[..<slash]) }
            rest = path.index(after: slash)
        }
        return path
    }

    /// The path below the inbox; a path outside it (or climbing out with `..`) keeps its name only.
    static func relative(_ path: String, to inbox: String) -> String {
        let base = inbox.hasSuffix("/") ? inbox : inbox + "/"
        let below = path.hasPrefix(base) ? String(path.dropFirst(base.count)) : (path as NSString).lastPathComponent
        return below.split(separator: "/").contains("..") ? (path as NSString).lastPathComponent : below
    }
}
