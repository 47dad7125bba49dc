import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// `payment_day_total`, the sums behind the month chart and the nightly accounting export, must always
/// equal summing `key_verdict` afresh.
@Suite struct PaymentDayTotalsTests {
    /// What summing every key verdict gives, in the table's own columns and order.
    static let summed = """
        SELECT creditor_fiscal_code, payment_day, state, coalesce(taxonomy_code, ''), coalesce(beneficiary_iban, ''),
            count(*), sum(rt_amount_cents) FROM key_verdict
        WHERE rt_amount_cents IS NOT NULL AND payment_day IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        """
    static let kept = """
        SELECT creditor_fiscal_code, payment_day, state, taxonomy_code, beneficiary_iban, keys, cents FROM payment_day_total
        ORDER BY 1, 2, 3, 4, 5
        """

    static func rows(_ sql: String, _ db: Database) throws -> [[DatabaseValue]] {
        try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) }
    }

    /// Whether the kept sums are what summing afresh gives.
    static func agree(_ db: Database) throws -> Bool {
        try rows(kept, db) == rows(summed, db)
    }

    /// Changes the verdict row of `iuv` by `sql`, and its sum the way the verdict writer does
    /// (`PaymentDayTotalsChange`: the row as it was taken out, the row as it is added); none when
    /// `totals` is nil (a store from before the sums).
    private static func change(_ iuv: String, _ sql: String, arguments: StatementArguments = [], _ db: Database,
                               _ totals: PaymentDayTotalsChange?) throws {
        let row = {
            try Row.fetchOne(db, sql: """
                SELECT creditor_fiscal_code, state, payment_day, rt_amount_cents, taxonomy_code, beneficiary_iban FROM key_verdict
                WHERE iuv = ?
                """, arguments: [iuv])
        }
        let count = { (row: Row?, sign: Int64) in
            guard let row else { return }
            try totals?.count(creditor: row[0], state: row[1], day: row[2], cents: row[3], code: row[4], iban: row[5], sign: sign)
        }
        try count(try row(), -1)
        try db.execute(sql: sql, arguments: arguments)
        try count(try row(), 1)
        try totals?.write(in: db)
    }

    private static func insert(_ iuv: String, state: String, day: String?, cents: Int64?, code: String? = "9/0101100IM/",
                               _ db: Database, _ totals: PaymentDayTotalsChange?) throws {
        try change(iuv, """
            INSERT INTO key_verdict (creditor_fiscal_code, iuv, iur, transfer_index, anomalies, state, open, changed_on,
                payment_day, rt_amount_cents, taxonomy_code, beneficiary_iban)
            VALUES ('80000000002', ?, 'iur-' || ?, 1, '', ?, 1, '2026-11-20', ?, ?, ?, 'IT60X0542811101000000123456')
            """, arguments: [iuv, iuv, state, day, cents, code], db, totals)
    }

    /// Every way a verdict row changes (new, state or amount or day or taxonomy code or IBAN changed,
    /// other columns only, amount gone, deleted), counted as the verdict writer counts it, keeps the
    /// sums equal to a fresh sum, and a sum no key holds is gone.
    @Test func everyWriteOfAVerdictKeepsTheSums() throws {
        let store = try Store(path: try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path)
        let totals = PaymentDayTotalsChange()
        try store.pool.write { db in
            try Self.insert("01", state: "PAID", day: "2026-11-19", cents: 1_000, db, totals)
            try Self.insert("02", state: "PAID", day: "2026-11-19", cents: 250, db, totals)
            try Self.insert("03", state: "CASHED", day: "2026-11-18", cents: 99, db, totals)
            try Self.insert("04", state: "EXPECTED", day: nil, cents: nil, db, totals)
            try Self.insert("05", state: "PAID", day: "2026-11-19", cents: 70, code: nil, db, totals)
            #expect(try Self.agree(db))
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM payment_day_total") == 3)
            let steps = [
                ("01", "UPDATE key_verdict SET state = 'CASHED' WHERE iuv = '01'"),
                ("02", "UPDATE key_verdict SET rt_amount_cents = 300 WHERE iuv = '02'"),
                ("03", "UPDATE key_verdict SET payment_day = '2026-11-17' WHERE iuv = '03'"),
                ("03", "UPDATE key_verdict SET label = 'RT_IUF_TES', open = 0 WHERE iuv = '03'"),
                ("04", "UPDATE key_verdict SET taxonomy_code = '9/0201100IM/' WHERE iuv = '04'"),
                ("01", "UPDATE key_verdict SET beneficiary_iban = NULL WHERE iuv = '01'"),
                ("05", "UPDATE key_verdict SET taxonomy_code = '9/0101100IM/' WHERE iuv = '05'"),
                ("02", "UPDATE key_verdict SET rt_amount_cents = NULL WHERE iuv = '02'"),
                ("04", "UPDATE key_verdict SET payment_day = '2026-11-19', rt_amount_cents = 5 WHERE iuv = '04'"),
                ("01", "DELETE FROM key_verdict WHERE iuv = '01'"),
                ("03", "INSERT INTO key_verdict (creditor_fiscal_code, iuv, iur, transfer_index, anomalies, state, open, changed_on, payment_day, rt_amount_cents) VALUES ('80000000002', '03', 'iur-03', 1, '', 'PAID', 1, '2026-11-21', '2026-11-17', 7) ON CONFLICT (creditor_fiscal_code, iuv, iur, transfer_index) DO UPDATE SET state = excluded.state, rt_amount_cents = excluded.rt_amount_cents"),
            ]
            for (iuv, step) in steps {
                try Self.change(iuv, step, db, totals)
                #expect(try Self.agree(db), "after \(step)")
            }
            #expect(try Self.rows(Self.kept, db).map { $0[2] } == ["PAID".databaseValue, "EXPECTED".databaseValue, "PAID".databaseValue],
                    "the sums of 2026-11-18 and of CASHED on 2026-11-19 went with their last keys")
        }
    }

    /// The nightly accounting export reads the kept sums of the days a key changed tonight touches:
    /// the rows summing those days' keys give, a key with no code or IBAN under an empty one, and a
    /// day no key changed tonight left out.
    @Test func theNightlyAccountingRowsAreTheKeysOfTheTouchedDaysSummed() throws {
        let store = try Store(path: try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path)
        let totals = PaymentDayTotalsChange()
        try store.pool.write { db in
            try Self.insert("01", state: "PAID", day: "2026-11-19", cents: 1_000, db, totals)
            try Self.insert("02", state: "PAID", day: "2026-11-19", cents: 250, db, totals)
            try Self.insert("03", state: "CASHED", day: "2026-11-19", cents: 99, code: nil, db, totals)
            try Self.insert("04", state: "PAID", day: "2026-11-18", cents: 7, db, totals)
            try Self.change("02", "UPDATE key_verdict SET beneficiary_iban = NULL WHERE iuv = '02'", db, totals)
            try db.execute(sql: "UPDATE key_verdict SET changed_on = '2026-11-19'")
            try db.execute(sql: "UPDATE key_verdict SET changed_on = '2026-11-18' WHERE iuv = '04'")
        }
        var read: [[String?]] = []
        try store.accountingRows(asOf: CivilDate(iso: "2026-11-20")!, span: .night) { read.append($0) }
        #expect(read.isEmpty, "no key changed on 2026-11-20")
        try store.accountingRows(asOf: CivilDate(iso: "2026-11-19")!, span: .night) { read.append($0) }
        let summed = try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT creditor_fiscal_code, taxonomy_code, NULL, beneficiary_iban, payment_day, state, count(*), sum(rt_amount_cents)
                FROM key_verdict WHERE payment_day = '2026-11-19' AND rt_amount_cents IS NOT NULL
                GROUP BY 1, 2, 4, 5, 6 ORDER BY 1, 2, 4, 5, 6
                """).map { row in Array(row.databaseValues.map { $0.isNull ? nil : "\($0.storage.value!)" }) }
        }
        #expect(read == summed)
        #expect(read.count == 3, "a row each for no code, no IBAN, and both; 2026-11-18 was not touched")
    }

    /// A store written before the sums were kept gets them from its verdicts when it is opened.
    @Test func aStoreFromBeforeGetsItsSumsWhenMigrated() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v8: receipt transfers in arrival order")
        try queue.write { db in
            try Self.insert("01", state: "PAID", day: "2026-11-19", cents: 1_000, db, nil)
            try Self.insert("02", state: "PAID", day: "2026-11-19", cents: 250, db, nil)
            try Self.insert("03", state: "REPORTED", day: "2026-11-19", cents: 40, db, nil)
            try Self.insert("04", state: "EXPECTED", day: nil, cents: nil, db, nil)
        }
        try queue.close()
        let store = try Store(path: path)
        let (agree, keys) = try store.pool.read { db in (try Self.agree(db), try Self.rows(Self.kept, db).map { $0[5] }) }
        #expect(agree)
        #expect(keys == [2.databaseValue, 1.databaseValue])
    }

    /// A store from before v14 keeps every verdict, now in payment-day order (what a night changes sits
    /// together), still one row per key.
    @Test func aStoreFromBeforeKeepsItsVerdictsInDayOrder() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v13: the journal holder of each movement")
        try queue.write { db in
            try Self.insert("03", state: "PAID", day: "2026-11-17", cents: 1_000, db, nil)
            try Self.insert("01", state: "REPORTED", day: "2026-11-19", cents: 250, db, nil)
            try Self.insert("02", state: "EXPECTED", day: nil, cents: nil, db, nil)
            try Self.insert("04", state: "CASHED", day: "2026-11-18", cents: 40, db, nil)
        }
        let before = try queue.read { try Self.rows("SELECT * FROM key_verdict ORDER BY 1, 2, 3, 4", $0) }
        try queue.close()
        let store = try Store(path: path)
        #expect(try store.pool.read { try Self.rows("SELECT * FROM key_verdict ORDER BY 1, 2, 3, 4", $0) } == before)
        #expect(try store.rows("SELECT iuv FROM key_verdict ORDER BY rowid") == ["03", "04", "01", "02"],
                "by payment day, a key with none by the day it changed")
        let indexed = try store.pool.read { db in
            try ["key_verdict_key", "key_verdict_open", "key_verdict_changed"].map { index in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [index]).joined(separator: ",")
            }
        }
        let key = "creditor_fiscal_code,iuv,iur,transfer_index"
        #expect(indexed == [key, key, "changed_on," + key], "tonight's and the open keys come in key order from their indexes")
        #expect(throws: DatabaseError.self, "one verdict per key") {
            try store.pool.write { try Self.insert("01", state: "PAID", day: "2026-11-19", cents: 250, $0, nil) }
        }
    }
}
