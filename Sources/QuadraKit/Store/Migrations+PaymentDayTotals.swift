import GRDB

extension Migrations {
    /// Receipt amounts per creditor, payment day and state, kept by SQLite as key verdicts change
    /// (by the verdict writer since v11).
    ///
    /// The month chart of `summary.html` summed every key paid in its 90-day window, each read from
    /// `key_verdict` through its payment-day index at a random page: night 30 of 20,000 receipts a
    /// night read some 600,000 keys for it, and a store at 100,000 receipts a day would read 9 million
    /// every night. Triggers kept the sums as each verdict was written, so a night's reports read a row
    /// per creditor, day and state, and a verdict's write adds its change of state or amount here.
    /// A day and state no key holds any more has no row, as the `GROUP BY` it replaces had none.
    static func keepPaymentDayTotals(_ db: Database) throws {
        try createPaymentDayTotals(db, by: [])
    }

    /// v10: the sums also per taxonomy code and IBAN, the accounting export's own rows. The nightly
    /// export read every key of each creditor's day that a changed key touches, each at a random
    /// page of `key_verdict`: night 30 of 100,000 receipts a night read 708,000 keys for it, 11 s of
    /// CPU against 2.6 s on night 5 for 1.14 times the keys, as the table outgrew the page cache. It now
    /// reads a row per code, IBAN and state of those days; the triggers write as many rows as before.
    /// A key with no code or IBAN counts under '' (a primary key holds no NULL).
    static func keepPaymentDayTotalsPerCode(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER key_verdict_counted;
            DROP TRIGGER key_verdict_uncounted;
            DROP TRIGGER key_verdict_recounted;
            DROP TABLE payment_day_total;
            """)
        try createPaymentDayTotals(db, by: ["taxonomy_code", "beneficiary_iban"])
    }

    /// v11: the verdict writer keeps the sums (`PaymentDayTotalsChange`), which the triggers kept
    /// until now, so they hold what the verdicts do.
    static func dropPaymentDayTotalTriggers(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER key_verdict_counted;
            DROP TRIGGER key_verdict_uncounted;
            DROP TRIGGER key_verdict_recounted;
            """)
    }

    /// The table, its sums from the verdicts already stored, and the triggers, for sums per creditor,
    /// payment day, state and each of `detail` (verdict columns that may be NULL).
    private static func createPaymentDayTotals(_ db: Database, by detail: [String]) throws {
        let key = ["creditor_fiscal_code", "payment_day", "state"] + detail
        func values(_ row: String) -> [String] {
            ["\(row).creditor_fiscal_code", "\(row).payment_day", "\(row).state"] + detail.map { "coalesce(\(row).\($0), '')" }
        }
        let sameSum = { (row: String) in zip(key, values(row)).map { "\($0) = \($1)" }.joined(separator: " AND ") }
        // Adds the row to its sum; a key with no receipt amount or day counts nowhere.
        let count = { (row: String) in
            """
            INSERT INTO payment_day_total (\(key.joined(separator: ", ")), keys, cents)
            SELECT \(values(row).joined(separator: ", ")), 1, \(row).rt_amount_cents
            WHERE \(row).rt_amount_cents IS NOT NULL AND \(row).payment_day IS NOT NULL
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET keys = keys + 1, cents = cents + excluded.cents;
            """
        }
        // Takes the row out of its sum, and the sum away when no key is left in it.
        let uncount = { (row: String) in
            """
            UPDATE payment_day_total SET keys = keys - 1, cents = cents - \(row).rt_amount_cents
            WHERE \(sameSum(row)) AND \(row).rt_amount_cents IS NOT NULL;
            DELETE FROM payment_day_total WHERE \(sameSum(row)) AND keys = 0;
            """
        }
        let watched = ["state", "payment_day", "rt_amount_cents"] + detail
        try db.execute(sql: """
            CREATE TABLE payment_day_total (
                \(key.map { "\($0) TEXT NOT NULL," }.joined(separator: "\n    "))
                keys INTEGER NOT NULL,
                cents INTEGER NOT NULL,
                PRIMARY KEY (\(key.joined(separator: ", ")))
            ) STRICT, WITHOUT ROWID;
            INSERT INTO payment_day_total
            SELECT \(values("key_verdict").joined(separator: ", ")), count(*), sum(rt_amount_cents) FROM key_verdict
            WHERE rt_amount_cents IS NOT NULL AND payment_day IS NOT NULL
            GROUP BY \(values("key_verdict").joined(separator: ", "));

            CREATE TRIGGER key_verdict_counted AFTER INSERT ON key_verdict BEGIN \(count("NEW")) END;
            CREATE TRIGGER key_verdict_uncounted AFTER DELETE ON key_verdict BEGIN \(uncount("OLD")) END;
            CREATE TRIGGER key_verdict_recounted AFTER UPDATE OF \(watched.joined(separator: ", ")) ON key_verdict
            WHEN (\(watched.map { "OLD.\($0)" }.joined(separator: ", "))) IS NOT (\(watched.map { "NEW.\($0)" }.joined(separator: ", ")))
            BEGIN \(uncount("OLD")) \(count("NEW")) END;
            """)
    }
}
