import GRDB

extension Migrations {
    /// The served creditor's name beside its fiscal code: each creditor's report folder and workbook
    /// carry it, and `quadra report` must find it in the store, whatever configuration it is given.
    /// Empty until the next reconciliation writes it.
    static func addCreditorNames(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE served_creditor ADD COLUMN name TEXT NOT NULL DEFAULT ''")
    }
}
