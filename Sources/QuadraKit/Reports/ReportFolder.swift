import Foundation

/// The folder of one night's reports, `OUT/<as-of>/` (`OUT/<as-of>-full/` for a full listing), and the
/// only place report files are created.
///
/// ```swift
/// let folder = try ReportFolder(root: "Reports", name: "2026-11-20")
/// let file = try folder.create("flows.csv.gz")
/// ```
///
/// A report name is a plain file name: a separator, `..` or a leading dot is refused, so no name
/// can write outside the folder or hide a file in it.
public struct ReportFolder: Sendable {
    public let path: String
    /// 0600 by default: even masked, reports describe citizens' payments. 0640 when group-readable.
    public let mode: mode_t

    public init(root: String, name: String, groupReadable: Bool = false) throws {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else { throw ReportError.escapes(name: name) }
        path = (root as NSString).appendingPathComponent(name)
        mode = groupReadable ? 0o640 : 0o600
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: groupReadable ? 0o750 : 0o700])
        } catch {
            throw ReportError.io(path: path, reason: "\(error.localizedDescription)")
        }
        // Foundation sets the mode with chmod, which drops the setgid bit a folder inherits from a setgid
        // parent (the installed reports root): put it back, so the files inside belong to the readers'
        // group as the parent means, not to quadra's own (seen on a real install: unreadable by them).
        var parent = stat(), folder = stat()
        if groupReadable, stat(root, &parent) == 0, parent.st_mode & S_ISGID != 0,
           stat(path, &folder) == 0, folder.st_mode & S_ISGID == 0 {
            chmod(path, (folder.st_mode & 0o7777) | S_ISGID)
        }
        // `NAME.tmp-<pid>` files a run killed while writing left (never renamed into place).
        AtomicFile.removeOrphans(in: path)
    }

    /// A new file under its temporary name, renamed into `name` on commit.
    public func create(_ name: String) throws -> AtomicFile {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\0") else {
            throw ReportError.escapes(name: name)
        }
        return try AtomicFile(path: (path as NSString).appendingPathComponent(name), mode: mode)
    }
}
