import Foundation
import GRDB

extension Store {
    /// Opens the store for a command that writes it: the real path (so a symbolic link to the store
    /// takes the same lock as the store itself), its folder and file created privately when absent
    /// (none of it when `opening` is `.existing` and the store is not there), the lock taken, then
    /// `checkStructure()`, so a truncated or foreign file is refused before a run writes to it rather
    /// than failing halfway through reconciliation.
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
        try store.checkStructure()
        return (store, lock)
    }

    /// The check every command makes before it touches the store, in constant time: SQLite reads the
    /// header and the schema, and the file is as long as its header says (a truncated copy is what a
    /// full disk or a bad copy leaves). The page-by-page `checkIntegrity()` reads the whole store
    /// (1.0 s at 500 MB, growing with the history), so it runs where every page is read anyway: on
    /// each backup's copy.
    public func checkStructure() throws {
        let (pageSize, pages) = try pool.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema")
            return (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0, try Self.headerPageCount(path))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        guard let size, let pages, size >= pages * pageSize else {
            throw Unopenable(path: path, reason: "is damaged (shorter than the \(pages ?? 0) pages its header declares): restore it from a backup")
        }
    }

    /// The database size in pages that the file's header declares (offset 28, big-endian;
    /// [file format](https://sqlite.org/fileformat2.html#in_header_database_size)); 0 for an empty file.
    private static func headerPageCount(_ path: String) throws -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = [UInt8](try handle.read(upToCount: 32) ?? Data())
        guard header.count == 32 else { return header.isEmpty ? 0 : nil }
        return header[28..<32].reduce(Int64(0)) { $0 << 8 | Int64($1) }
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
