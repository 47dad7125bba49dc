#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import GRDB

extension Store {
    /// Copies the store into `destination` with SQLite's online backup API
    /// ([sqlite3_backup](https://sqlite.org/backup.html)) through GRDB's `backup(to:)`: a consistent
    /// copy taken inside one read transaction, while another process may be writing. The copy is
    /// made under `destination.tmp-<pid>` with mode 0600 (it holds what the store holds) and renamed
    /// into place when whole and sound (`PRAGMA quick_check` on the copy reads every page of it, which
    /// is where the store's own page-by-page check lives), so a failed backup, or the copy of a
    /// damaged store, never replaces a good one.
    ///
    /// ```swift
    /// try Store(path: "Reports/quadra.sqlite", opening: .existing).backup(to: "/var/backups/quadra/q-2026-11-21.sqlite")
    /// ```
    public func backup(to destination: String) throws {
        let temporary = "\(destination).tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Unopenable(path: destination, reason: "cannot be created for the backup")
        }
        do {
            let copy = try DatabaseQueue(path: temporary)
            try pool.backup(to: copy)
            try copy.read { try Self.quickCheck($0, path: path) }
            try copy.close()
            guard rename(temporary, destination) == 0 else {
                throw Unopenable(path: destination, reason: "cannot be put in place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
