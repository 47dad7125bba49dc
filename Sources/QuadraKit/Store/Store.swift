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
/// durable at checkpoint, which is what a batch that can be re-run needs. Reconciliation and reports
/// probe the big tables once per key: a page cache of up to 256 MiB per connection (SQLite's default is
/// 2 MiB, grown only as pages are used) saves a `pread` per probe, and temporary tables and sorts stay
/// in memory ([PRAGMA cache_size](https://sqlite.org/pragma.html#pragma_cache_size)).
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
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
    }
}
