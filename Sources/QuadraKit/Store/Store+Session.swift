import Foundation
import GRDB

extension Store {
    /// Opens the store for a command that writes it: the real path (so a symbolic link to the store
    /// takes the same lock as the store itself), its folder and file created privately when absent
    /// (none of it when `opening` is `.existing` and the store is not there), the lock taken, then
    /// SQLite's `PRAGMA quick_check`, so a damaged store is refused before a run writes to it rather
    /// than failing halfway through reconciliation. It reads every page (1.0 s at 500 MB): the one
    /// part of a run that grows with the history, kept because writing into a damaged store loses
    /// the night.
    ///
    /// ```swift
    /// let (store, lock) = try Store.openLocked(path: "Reports/quadra.sqlite", opening: .create(groupReadable: false))
    /// defer { withExtendedLifetime(lock) {} }
    /// ```
    public static func openLocked(path: String, opening: Opening) throws -> (store: Store, lock: StoreLock) {
        let real = resolvedPath(path)
        switch opening {
        case .existing:
            guard FileManager.default.fileExists(atPath: real) else {
                throw Unopenable(path: path, reason: "does not exist (check --db; nothing was created)")
            }
        case let .create(groupReadable):
            try createPrivately(real, groupReadable: groupReadable)
        }
        let lock = try StoreLock(databasePath: real)
        let store = try Store(path: real, opening: .existing)
        try store.checkIntegrity()
        return (store, lock)
    }

    /// `PRAGMA quick_check` ([sqlite.org](https://sqlite.org/pragma.html#pragma_quick_check)): the
    /// b-trees and their pages, without the slower index-content comparison of `integrity_check`.
    public func checkIntegrity() throws {
        try pool.read { try Self.quickCheck($0, path: path) }
    }

    /// `quick_check` on any connection (the backup checks its copy), naming the store at `path`.
    static func quickCheck(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
        guard problems == ["ok"] else {
            throw Unopenable(path: path, reason: "is damaged (PRAGMA quick_check: \(problems.joined(separator: "; "))): restore it from a backup")
        }
    }
}
