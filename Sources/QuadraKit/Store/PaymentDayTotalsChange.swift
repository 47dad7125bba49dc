import GRDB

/// What tonight's key verdicts change in `payment_day_total` (receipt amounts per creditor, payment
/// day, state, taxonomy code and IBAN): summed here as the verdicts are written, then written once,
/// a row per sum touched, when the keys are done.
///
/// Triggers on `key_verdict` kept the sums before (migrations v9 and v10). They made every verdict
/// upsert a write of several rows, which SQLite guards with a statement journal, a file during
/// reconciliation (`temp_store = FILE`): reconciling night 30 of 20,000 receipts a night made
/// 1,391,900 `pwrite` calls with the triggers and 332,894 without.
final class PaymentDayTotalsChange {
    private struct Sum: Hashable {
        var creditor, day, state, code, iban: String
    }

    private var change: [Sum: (keys: Int64, cents: Int64)] = [:]

    /// Adds a verdict row to its sum (`sign` 1) or takes it out (-1). A row with no receipt amount
    /// or payment day counts nowhere; no code or IBAN counts under '' (a primary key holds no NULL).
    func count(creditor: String, state: String?, day: String?, cents: Int64?, code: String?, iban: String?, sign: Int64) throws {
        guard let state, let day, let cents else { return }
        let sum = Sum(creditor: creditor, day: day, state: state, code: code ?? "", iban: iban ?? "")
        let now = change[sum] ?? (0, 0)
        guard let total = Money.sum([now.cents, sign * cents]) else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "integer overflow in the sum of \(creditor) on \(day)")
        }
        change[sum] = (now.keys + sign, total)
    }

    /// Writes the changes and forgets them; a sum no key holds any more is deleted, as the `GROUP BY`
    /// the table stands for would have no row for it.
    func write(in db: Database) throws {
        let add = try db.cachedStatement(sql: """
            INSERT INTO payment_day_total (creditor_fiscal_code, payment_day, state, taxonomy_code, beneficiary_iban, keys, cents)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (creditor_fiscal_code, payment_day, state, taxonomy_code, beneficiary_iban)
            DO UPDATE SET keys = keys + excluded.keys, cents = cents + excluded.cents
            """)
        let drop = try db.cachedStatement(sql: """
            DELETE FROM payment_day_total WHERE creditor_fiscal_code = ? AND payment_day = ? AND state = ? AND taxonomy_code = ?
                AND beneficiary_iban = ? AND keys = 0
            """)
        for (sum, change) in change where change != (0, 0) {
            let key: [DatabaseValueConvertible] = [sum.creditor, sum.day, sum.state, sum.code, sum.iban]
            try add.execute(arguments: StatementArguments(key + [change.keys, change.cents]))
            if change.keys < 0 { try drop.execute(arguments: StatementArguments(key)) }
        }
        change = [:]
    }
}
