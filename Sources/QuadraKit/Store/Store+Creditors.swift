import GRDB

/// A creditor the last reconciliation served, as its report folder names it.
public struct ServedCreditor: Sendable, Equatable, Codable {
    public var fiscalCode: String
    public var name: String
}

extension Store {
    /// The creditors of the last reconciliation, by fiscal code: the verdicts in the store are theirs,
    /// whatever configuration `quadra report` is given.
    public func servedCreditors() throws -> [ServedCreditor] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT fiscal_code, name FROM served_creditor ORDER BY fiscal_code")
                .map { ServedCreditor(fiscalCode: $0[0], name: $0[1]) }
        }
    }

    /// Receipt amounts of the keys paid from `from` to the as-of date, per creditor, payment day and
    /// state, for the month chart of `summary.html`: the sums the store keeps as verdicts change
    /// (`payment_day_total`), a row per creditor, day and state, whatever the keys behind them (the
    /// store keeps them per taxonomy code and IBAN too, a few rows a day, summed here).
    func paymentDayTotals(from: CivilDate, asOf: CivilDate, _ body: ([String?]) throws -> Void) throws {
        try streamRows(sql: """
            SELECT creditor_fiscal_code, payment_day, state, sum(cents) FROM payment_day_total
            WHERE creditor_fiscal_code IN (SELECT fiscal_code FROM served_creditor)
                AND payment_day >= :from AND payment_day <= :day
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            """, arguments: ["from": from.description, "day": asOf.description], body)
    }
}
