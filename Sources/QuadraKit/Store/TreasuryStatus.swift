import GRDB

/// What the store holds on the treasury side, for `quadra status`: movements counted by creditor,
/// sign and kind of causale, the movements themselves up to `listLimit`, and journals still missing
/// pages.
public struct TreasuryStatus: Sendable, Codable, Equatable {
    public static let listLimit = 200

    public struct Count: Sendable, Codable, Equatable {
        /// Nil for movements on an account no served creditor owns.
        public var creditor: String?
        public var sign: String
        /// `flow`, `integration`, `payment` or `unparseable`.
        public var causaleKind: String
        public var count: Int
        public var amount: String
    }

    public struct Movement: Sendable, Codable, Equatable {
        public var movementId: String
        public var creditor: String?
        public var account: String
        public var bookingDate: String
        public var amount: String
        public var sign: String
        public var reference: String?
        public var causale: String
        public var causaleKind: String
        public var flowId: String?
        public var iuv: String?
        public var causaleAmount: String?
        public var reversesMovementId: String?
    }

    public struct IncompleteJournal: Sendable, Codable, Equatable {
        public var journal: String
        public var pages: Int
        public var pagesPresent: [Int]
    }

    public var counts: [Count]
    /// The first `listLimit` movements by booking date; `movementCount` tells how many there are.
    public var movements: [Movement]
    public var movementCount: Int
    public var incompleteJournals: [IncompleteJournal]

    static func read(_ db: Database) throws -> TreasuryStatus {
        let counts = try Row.fetchAll(db, sql: """
            SELECT creditor_fiscal_code, sign, causale_kind, count(*) AS n, sum(amount_cents) AS cents
            FROM treasury_movement GROUP BY creditor_fiscal_code, sign, causale_kind
            ORDER BY creditor_fiscal_code, sign, causale_kind
            """).map {
            Count(creditor: $0["creditor_fiscal_code"], sign: $0["sign"], causaleKind: $0["causale_kind"],
                  count: $0["n"], amount: Money.format($0["cents"]))
        }
        let movements = try Row.fetchAll(db, sql: """
            SELECT * FROM treasury_movement ORDER BY booking_date, account, reference, movement_id LIMIT ?
            """, arguments: [listLimit]).map { row -> Movement in
            let causaleAmount: Int64? = row["causale_amount_cents"]
            return Movement(movementId: row["movement_id"], creditor: row["creditor_fiscal_code"], account: row["account"],
                            bookingDate: row["booking_date"], amount: Money.format(row["amount_cents"]), sign: row["sign"],
                            reference: row["reference"], causale: row["raw_causale"], causaleKind: row["causale_kind"],
                            flowId: row["flow_id"], iuv: row["iuv"], causaleAmount: causaleAmount.map(Money.format),
                            reversesMovementId: row["reverses_movement_id"])
        }
        let journals = try Row.fetchAll(db, sql: """
            SELECT journal, max(pages) AS pages, group_concat(page) AS present FROM treasury_page
            GROUP BY journal HAVING count(*) < max(pages) ORDER BY journal
            """).map { row -> IncompleteJournal in
            let present: String = row["present"]
            return IncompleteJournal(journal: row["journal"], pages: row["pages"],
                                     pagesPresent: present.split(separator: ",").compactMap { Int($0) }.sorted())
        }
        return TreasuryStatus(counts: counts, movements: movements,
                              movementCount: try Int.fetchOne(db, sql: "SELECT count(*) FROM treasury_movement") ?? 0,
                              incompleteJournals: journals)
    }
}
