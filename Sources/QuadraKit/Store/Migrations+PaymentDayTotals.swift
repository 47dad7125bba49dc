import GRDB

extension Migrations {
    /// Receipt amounts per creditor, payment day and state, kept by SQLite as key verdicts change.
    ///
    /// The month chart of `summary.html` summed every key paid in its 90-day window, each read from
    /// `key_verdict` through its payment-day index at a random page: night 30 of 20,000 receipts a
    /// night read some 600,000 keys for it, and a store at 100,000 receipts a day would read 9 million
    /// every night. Triggers keep the sums as each verdict is written, so a night's reports read a row
    /// per creditor, day and state, and a verdict's write adds its change of state or amount here.
    /// A day and state no key holds any more has no row, as the `GROUP BY` it replaces had none.
    static func keepPaymentDayTotals(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE payment_day_total (
                creditor_fiscal_code TEXT NOT NULL,
                payment_day TEXT NOT NULL,
                state TEXT NOT NULL,
                keys INTEGER NOT NULL,
                cents INTEGER NOT NULL,
                PRIMARY KEY (creditor_fiscal_code, payment_day, state)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO payment_day_total
            SELECT creditor_fiscal_code, payment_day, state, count(*), sum(rt_amount_cents) FROM key_verdict
            WHERE rt_amount_cents IS NOT NULL AND payment_day IS NOT NULL
            GROUP BY creditor_fiscal_code, payment_day, state;

            CREATE TRIGGER key_verdict_counted AFTER INSERT ON key_verdict BEGIN \(count("NEW")) END;
            CREATE TRIGGER key_verdict_uncounted AFTER DELETE ON key_verdict BEGIN \(uncount("OLD")) END;
            CREATE TRIGGER key_verdict_recounted AFTER UPDATE OF state, payment_day, rt_amount_cents ON key_verdict
            WHEN (OLD.state, OLD.payment_day, OLD.rt_amount_cents) IS NOT (NEW.state, NEW.payment_day, NEW.rt_amount_cents)
            BEGIN \(uncount("OLD")) \(count("NEW")) END;
            """)
    }

    /// Adds the key verdict `row` (`NEW`) to its day's sum; a key with no receipt amount or day counts nowhere.
    private static func count(_ row: String) -> String {
        """
        INSERT INTO payment_day_total (creditor_fiscal_code, payment_day, state, keys, cents)
        SELECT \(row).creditor_fiscal_code, \(row).payment_day, \(row).state, 1, \(row).rt_amount_cents
        WHERE \(row).rt_amount_cents IS NOT NULL AND \(row).payment_day IS NOT NULL
        ON CONFLICT (creditor_fiscal_code, payment_day, state) DO UPDATE
            SET keys = keys + 1, cents = cents + excluded.cents;
        """
    }

    /// Takes the key verdict `row` (`OLD`) out of its day's sum, and the sum away when no key is left in it.
    private static func uncount(_ row: String) -> String {
        let sum = "creditor_fiscal_code = \(row).creditor_fiscal_code AND payment_day = \(row).payment_day AND state = \(row).state"
        return """
            UPDATE payment_day_total SET keys = keys - 1, cents = cents - \(row).rt_amount_cents
            WHERE \(sum) AND \(row).rt_amount_cents IS NOT NULL;
            DELETE FROM payment_day_total WHERE \(sum) AND keys = 0;
            """
    }
}
