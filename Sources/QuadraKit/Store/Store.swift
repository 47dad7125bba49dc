import Foundation
import GRDB

/// Quadra's embedded store: one SQLite file in WAL mode holding the ledger of documents and every
/// record read from them.
///
/// ```swift
/// let store = try Store(path: "Reports/quadra.sqlite")
/// let counts = try store.status()
/// ```
///
/// WAL lets reports read while a run writes; `synchronous = NORMAL` keeps each commit atomic and
/// durable at checkpoint, which is what a batch that can be re-run needs. Temporary tables, sorts and
/// the statement journal of each document's savepoint stay in memory (in `/var/tmp` the journal alone
/// was seven times the store's own writes), but for reconciliation's scope tables, which grow with the
/// night's keys (`Store.reconcile`), and a migration's sorts, which grow with the table it rebuilds. The writer's page cache may grow to 256 MiB, not SQLite's
/// 2 MiB: receipts and ledger rows are indexed by random keys (hashes, receipt ids), so every cached
/// index page saves a read and a rewrite ([PRAGMA cache_size](https://sqlite.org/pragma.html#pragma_cache_size)).
/// A reader's stops at 32 MiB: a miss there is a `pread` from the kernel's cache, while a run's
/// several readers with 256 MiB each held most of its peak memory (100,000 receipts: 908 MB → 533 MB
/// with this and two malloc arenas). The WAL is
/// checkpointed every 64 MiB rather than every 4 MiB: a page rewritten by many batches is copied back
/// once, and the two `fsync`s of a checkpoint stall the writer once in a while, not after every batch.
public final class Store: Sendable {
    public static let defaultPath = "Reports/quadra.sqlite"

    let pool: DatabasePool
    public let path: String
    /// A reader's page cache, in KiB (`PRAGMA cache_size`): see the type's comment.
    static let readerCacheKiB = 32 << 10
    /// Whether the store was sealed (`StoreSeal`) when this opened it, told before the pool's own
    /// first write (GRDB's WAL set-up creates and drops a table when the log is empty).
    let sealedWhenOpened: Bool
    /// The migrations this open applied to a store that had some before (empty for a new store): a
    /// command logs them, since the first night of a new build may take longer for them.
    public let upgrades: [String]

    /// How a command opens the store: a writing command creates it when absent; a reading one
    /// (`status`, `explain`, `report`) must find it, since an empty store made by a typo in `--db`
    /// would report zeros as if the night had been quiet.
    public enum Opening: Sendable {
        case create(groupReadable: Bool)
        case existing
    }

    /// Why the store cannot be opened as asked (exit 74).
    public struct Unopenable: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "the store \(path) \(reason)" }

        /// Whether SQLite failed on the file's pages rather than on a statement.
        static func isDamage(_ error: DatabaseError) -> Bool {
            [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode)
        }

        static func damaged(_ path: String, _ error: DatabaseError) -> Unopenable {
            Unopenable(path: path, reason: "is damaged (SQLite: \(error.message ?? "\(error.resultCode)")): restore it from a backup")
        }
    }

    /// Opens (or creates) the store. A new store's folder is created 0700 (0750 when group-readable,
    /// so the accounting group can reach the reports beside it) and the database file 0600 before
    /// SQLite opens it: SQLite gives its `-wal` and `-shm` files the database file's mode, and they
    /// hold debtors' fiscal codes and names.
    ///
    /// `lockHeld`: the caller holds the store's lock (`openLocked`); else a migration takes it, and a
    /// writer holding it makes this throw `UpgradeWaits`. `migrating` false opens the store as it is
    /// (`backup`: the copy before an upgrade is the store before it).
    public init(path: String, opening: Opening = .create(groupReadable: false), lockHeld: Bool = false,
                migrating: Bool = true) throws {
        self.path = path
        switch opening {
        case .existing:
            // Under the lock, `openLocked` checked it (and a store it just created is empty until migrated).
            if !lockHeld { try Self.requireExisting(path, shown: path) }
        case let .create(groupReadable):
            try Self.createPrivately(path, groupReadable: groupReadable)
        }
        sealedWhenOpened = StoreSeal.holds(for: Self.resolvedPath(path))
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY")
            if db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(Self.readerCacheKiB)")
            } else {
                try db.execute(sql: "PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 16384")
            }
        }
        var upgrades: [String] = []
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if try migrating && pool.read({ try !Migrations.migrator.hasCompletedMigrations($0) }) {
                // Migrating writes the store: a reading command (`status`, `explain`) of a new build
                // beside a night of the build before took SQLite's lock from it, and the night failed.
                let lock: StoreLock?
                do {
                    lock = lockHeld ? nil : try StoreLock(databasePath: Self.resolvedPath(path))
                } catch let StoreLock.Failure.held(lockPath) {
                    throw UpgradeWaits(lockPath: lockPath)
                }
                // Checked before it is rewritten: a migration that rebuilds a table's indexes from its
                // rows would hide damage the check finds (`openLocked` checks only after opening).
                if !sealedWhenOpened { try pool.read { try Self.quickCheck($0, path: path) } }
                // A migration that rebuilds a table sorts every row of it: in memory, a store of 690,000
                // key verdicts took 1 GB to upgrade; through temporary files, what the page cache holds.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA temp_store = FILE") }
                let before = try pool.read { try Migrations.migrator.appliedIdentifiers($0) }
                try Migrations.migrator.migrate(pool)
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA temp_store = MEMORY") }
                withExtendedLifetime(lock) {}
                if !before.isEmpty {
                    upgrades = try pool.read { try Migrations.migrator.completedMigrations($0) }.filter { !before.contains($0) }
                }
            }
        } catch let error as DatabaseError where Unopenable.isDamage(error) {
            throw Unopenable.damaged(path, error)
        }
        self.upgrades = upgrades
    }

    /// A store this build must upgrade while a run holds its lock (exit 75): a migration writes it.
    public struct UpgradeWaits: Error, CustomStringConvertible {
        public let lockPath: String
        public var description: String {
            "another Quadra run holds the store lock \(lockPath), and this build must first upgrade the store: try again when the run ends"
        }
    }

    /// The store's folder and an empty database file with private modes; nothing when they exist.
    public static func createPrivately(_ path: String, groupReadable: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: groupReadable ? 0o750 : 0o700])
        }
        guard !FileManager.default.fileExists(atPath: path) else { return }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Unopenable(path: path, reason: "cannot be created")
        }
    }

    /// The real path of `path` (symbolic links resolved, also in its folder), so the lock and the
    /// store are the same files whichever link names them.
    public static func resolvedPath(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let folder = (path as NSString).deletingLastPathComponent
        guard let real = realpath(folder.isEmpty ? "." : folder, nil) else { return path }
        defer { free(real) }
        return (String(cString: real) as NSString).appendingPathComponent((path as NSString).lastPathComponent)
    }
}
