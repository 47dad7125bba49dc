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
/// was seven times the store's own writes). Each connection's page cache may grow to 256 MiB, not
/// SQLite's 2 MiB: receipts and ledger rows are indexed by random keys (hashes, receipt ids), and
/// reconciliation and reports probe the big tables once per key, so every cached page saves a
/// `pread` ([PRAGMA cache_size](https://sqlite.org/pragma.html#pragma_cache_size)). The WAL is
/// checkpointed every 64 MiB rather than every 4 MiB: a page rewritten by many batches is copied back
/// once, and the two `fsync`s of a checkpoint stall the writer once in a while, not after every batch.
public final class Store: Sendable {
    public static let defaultPath = "Reports/quadra.sqlite"

    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384") }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
    }
}
