import Crypto
import GRDB
@testable import QuadraKit

extension Store {
    /// Every data table's rows in a stable order, without the ledger's wall-clock column: what two
    /// runs over the same inputs must agree on.
    func snapshot() throws -> [String: [String]] {
        try pool.read { db in
            var tables: [String: [String]] = [:]
            for table in Store.dataTables {
                let columns = try db.columns(in: table).map(\.name).filter { $0 != "ingested_at" }
                let list = columns.joined(separator: ", ")
                tables[table] = try Row.fetchAll(db, sql: "SELECT \(list) FROM \(table) ORDER BY \(list)").map { $0.description }
            }
            return tables
        }
    }

    /// The snapshot folded to a row count and a SHA-256 per table, for comparisons whose failure
    /// message must stay readable.
    func snapshotDigests() throws -> [String: String] {
        try snapshot().mapValues { rows in
            "\(rows.count) rows, sha256 " + SHA256.hash(data: Array(rows.joined(separator: "\n").utf8)).map { String($0, radix: 16) }.joined()
        }
    }

    func count(_ sql: String) throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}

extension Store {
    /// The first column of every row of a query, as text.
    func rows(_ sql: String) throws -> [String] {
        try pool.read { try String.fetchAll($0, sql: sql) }
    }
}
