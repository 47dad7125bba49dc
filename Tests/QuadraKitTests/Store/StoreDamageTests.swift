import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// A damaged store is refused, naming the damage and the way out; the backup of a store with a
/// damaged page fails, so the last good backup is never replaced by the copy of a damaged store.
@Suite struct StoreDamageTests {
    /// A store with a table of 300 rows of a kilobyte, all in the main file (the WAL checkpointed):
    /// the byte range of that table's root page, and the page size.
    private func store(at path: String) throws -> (root: Int, pageSize: Int) {
        let store = try Store(path: path)
        let found = try store.pool.write { db in
            try db.execute(sql: "CREATE TABLE ballast (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            for id in 0..<300 { try db.execute(sql: "INSERT INTO ballast VALUES (?, zeroblob(1000))", arguments: [id]) }
            return (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_schema WHERE name = 'ballast'")!,
                    try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        try store.pool.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        return found
    }

    @Test func aTruncatedStoreIsRefusedBeforeAnythingIsWritten() throws {
        let path = try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path
        let pageSize = try store(at: path).pageSize
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try #require(truncate(path, off_t(size - pageSize)) == 0)
        #expect(throws: Store.Unopenable.self) { _ = try Store.openLocked(path: path, opening: .existing) }
        do {
            _ = try Store.openLocked(path: path, opening: .existing)
        } catch let error as Store.Unopenable {
            #expect(error.reason.hasPrefix("is damaged") && error.reason.hasSuffix("restore it from a backup"), "\(error.reason)")
        }
    }

    /// A writing command that closes the store seals it, and the next one opens it without reading every
    /// page; anything else writing the file in between (here a page overwritten with zeros) breaks the
    /// seal, and the store is checked and refused. A command that dies leaves no seal behind.
    @Test func aSealedStoreSkipsTheCheckUntilSomethingElseWritesIt() throws {
        let folder = try TestSupport.scratchFolder()
        let path = folder.appendingPathComponent("quadra.sqlite").path
        let (root, pageSize) = try store(at: path)
        #expect(!StoreSeal.holds(for: path), "a store nobody closed sealed is checked")

        do {
            let (opened, lock) = try Store.openLocked(path: path, opening: .existing)
            try opened.closeSealing()
            withExtendedLifetime(lock) {}
        }
        #expect(StoreSeal.holds(for: path))
        do {
            let (opened, lock) = try Store.openLocked(path: path, opening: .existing)
            #expect(!FileManager.default.fileExists(atPath: StoreSeal.file(for: path)), "a run in progress (or killed) holds no seal")
            try opened.pool.write { try $0.execute(sql: "INSERT INTO ballast VALUES (300, zeroblob(10))") }
            try opened.closeSealing()
            withExtendedLifetime(lock) {}
        }
        #expect(StoreSeal.holds(for: path), "Quadra's own writes keep it sealed")
        do {
            // Opening a pool writes to the store (GRDB creates and drops a table): a reader seals it again.
            let reader = try Store(path: path, opening: .existing)
            #expect(reader.sealedWhenOpened)
            try reader.checkIntegrityUnlessSealed()
            reader.closeReading()
        }
        #expect(StoreSeal.holds(for: path), "a command that only reads leaves it sealed")

        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0, count: pageSize))
        try handle.close()
        #expect(!StoreSeal.holds(for: path))
        #expect(throws: Store.Unopenable.self) { _ = try Store.openLocked(path: path, opening: .existing) }
        #expect(throws: Store.Unopenable.self) { try Store(path: path, opening: .existing).checkIntegrityUnlessSealed() }
    }

    @Test func theBackupOfAStoreWithADamagedPageFailsAndKeepsTheLastGoodOne() throws {
        let folder = try TestSupport.scratchFolder()
        let path = folder.appendingPathComponent("quadra.sqlite").path, backup = folder.appendingPathComponent("backup.sqlite").path
        let (root, pageSize) = try store(at: path)
        try Store(path: path, opening: .existing).backup(to: backup)
        let good = try Data(contentsOf: URL(fileURLWithPath: backup))

        // The table's root page overwritten with zeros, as a bad sector or a torn copy leaves it.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0, count: pageSize))
        try handle.close()

        let damaged = try Store(path: path, opening: .existing)
        #expect(throws: Store.Unopenable.self) { try damaged.backup(to: backup) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)) == good, "the last good backup stays")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
    }
}
