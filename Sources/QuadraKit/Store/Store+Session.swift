import Foundation
import GRDB

extension Store {
    /// Opens the store for a command that writes it: the real path (so a symbolic link to the store
    /// takes the same lock as the store itself), its folder and file created privately when absent
    /// (none of it when `opening` is `.existing` and the store is not there), the lock taken, then
    /// SQLite's `PRAGMA quick_check`, so a damaged store is refused before a run writes to it rather
    /// than failing halfway through reconciliation. The check reads every page (1.0 s at 500 MB), so
    /// it is skipped when the store is as the last writing command sealed it (`StoreSeal`); the seal
    /// is removed before anything is written, and `closeSealing()` puts it back.
    ///
    /// ```swift
    /// let (store, lock) = try Store.openLocked(path: "Reports/quadra.sqlite", opening: .create(groupReadable: false))
    /// defer { withExtendedLifetime(lock) {} }
    /// ```
    public static func openLocked(path: String, opening: Opening) throws -> (store: Store, lock: StoreLock) {
        let real = resolvedPath(path)
        switch opening {
        case .existing:
            try requireExisting(real, shown: path)
        case let .create(groupReadable):
            try createPrivately(real, groupReadable: groupReadable)
        }
        let lock = try StoreLock(databasePath: real)
        ownerOnly(real)
        let store = try Store(path: real, opening: .existing, lockHeld: true)
        StoreSeal.remove(for: real)
        if !store.sealedWhenOpened { try store.checkIntegrity() }
        return (store, lock)
    }

    /// Closes the store of a writing command that ended, its write-ahead log copied back and emptied,
    /// and seals it so the next command need not read every page. When another process is reading
    /// (the log cannot be emptied) the store is closed unsealed and the next command checks it.
    public func closeSealing() throws {
        let emptied = (try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }) != nil
        try pool.close()
        if emptied { try StoreSeal.write(for: Self.resolvedPath(path)) }
    }

    /// Gives back what the writer's page cache and the readers hold, between a night's phases: the
    /// ingest and the reconciliation fill the writer's cache (up to 256 MiB), of no use to the reports,
    /// which read through fresh readers (100,000 receipts: the run's peak RSS 500 MB, 437 MB with this).
    public func releaseMemory() {
        pool.releaseMemory()
        ProcessMemory.trim()
    }

    /// `checkIntegrity()`, unless the store was sealed when opened: for a command that only reads.
    public func checkIntegrityUnlessSealed() throws {
        if !sealedWhenOpened { try checkIntegrity() }
    }

    /// A reading command's close. Opening the pool wrote to the store (GRDB's WAL set-up), which moves
    /// the file and would break its seal, so a store sealed when this command opened it is sealed
    /// again: only when no writing command holds the lock and the seal is still there (a writer that
    /// started meanwhile removed it, and seals the store itself when it ends). Best effort: a store
    /// left unsealed is only checked in full by the next command.
    public func closeReading() {
        let real = Self.resolvedPath(path)
        guard sealedWhenOpened, let lock = try? StoreLock(databasePath: real),
              FileManager.default.fileExists(atPath: StoreSeal.file(for: real)) else { return }
        try? closeSealing()
        withExtendedLifetime(lock) {}
    }

    /// `PRAGMA quick_check` ([sqlite.org](https://sqlite.org/pragma.html#pragma_quick_check)): the
    /// b-trees and their pages, without the slower index-content comparison of `integrity_check`.
    public func checkIntegrity() throws {
        try pool.read { try Self.quickCheck($0, path: path) }
    }

    /// `quick_check` on any connection (the backup checks its copy), naming the store at `path`. The
    /// check itself fails with `SQLITE_CORRUPT` when a damaged page is one it must read to begin
    /// (a table's root): the same damage, refused alike.
    static func quickCheck(_ db: Database, path: String) throws {
        let problems: [String]
        do {
            problems = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
        } catch let error as DatabaseError where Unopenable.isDamage(error) {
            throw Unopenable.damaged(path, error)
        }
        guard problems == ["ok"] else {
            throw Unopenable(path: path, reason: "is damaged (PRAGMA quick_check: \(problems.joined(separator: "; "))): restore it from a backup")
        }
    }
}

extension Store {
    /// A store a command expects to find: there, and not empty. A file of no bytes (a failed restore, a
    /// full disk) was taken for a new store, given an empty schema, and reported as a store of nothing.
    static func requireExisting(_ path: String, shown: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolvedPath(path)) else {
            throw Unopenable(path: shown, reason: "does not exist (check --db; nothing was created)")
        }
        if (attributes[.size] as? NSNumber)?.intValue == 0 {
            throw Unopenable(path: shown, reason: "is an empty file, not a Quadra store (truncated? restore it from a backup)")
        }
    }
}

extension Store {
    /// A store that others may read (one left 0644 by an earlier build, or copied in) is made the
    /// owner's alone before a writing command opens it, with its log and shared memory: it holds
    /// debtors' fiscal codes and names, and SQLite creates the log with the store's own mode.
    static func ownerOnly(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            if stat(file, &info) == 0, info.st_mode & 0o077 != 0 { _ = chmod(file, 0o600) }
        }
    }
}
