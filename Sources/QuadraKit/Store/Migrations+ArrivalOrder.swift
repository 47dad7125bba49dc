import GRDB

extension Migrations {
    /// Receipt transfers are stored in the order they arrive, found by their key through an index.
    ///
    /// Clustered by `(receipt_id, id_transfer)`, every transfer went to a random page of the whole
    /// table, and so did the beneficiary index, whose entries carried that key: the pages a night
    /// touched grew with the store (night 7 of 20,000 receipts a night rewrote 71% of the table's
    /// pages and 93% of the index's), and a first night of a million receipts kept inserting into
    /// some 280 MB of them at random, past the writer's 256 MiB cache. Now a transfer is appended
    /// beside its receipt's other transfers, a creditor's index entries follow arrival, and only the
    /// key index (a third of the table's size) is written at random.
    static func storeTransfersInArrivalOrder(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE receipt_transfer_v8 (
                receipt_id TEXT NOT NULL REFERENCES receipt(receipt_id),
                id_transfer INTEGER NOT NULL CHECK (id_transfer BETWEEN 1 AND 5),
                amount_cents INTEGER NOT NULL,
                beneficiary_fiscal_code TEXT NOT NULL,
                company_name TEXT,
                iban TEXT,
                is_stamp INTEGER NOT NULL,
                remittance_information TEXT,
                transfer_category TEXT,
                taxonomy_code TEXT,
                metadata TEXT
            ) STRICT;
            INSERT INTO receipt_transfer_v8
            SELECT t.* FROM receipt_transfer t LEFT JOIN receipt r ON r.receipt_id = t.receipt_id
            ORDER BY r.rowid, t.receipt_id, t.id_transfer;
            DROP TABLE receipt_transfer;
            ALTER TABLE receipt_transfer_v8 RENAME TO receipt_transfer;
            CREATE UNIQUE INDEX receipt_transfer_key ON receipt_transfer(receipt_id, id_transfer);
            CREATE INDEX receipt_transfer_beneficiary ON receipt_transfer(beneficiary_fiscal_code);
            """)
    }

    /// Key verdicts are stored in the order keys were first classified, found by their key through
    /// an index, for the reason receipt transfers are (v8).
    ///
    /// Clustered by key, a night's verdicts (its new keys, and yesterday's keys reported and
    /// credited) fell on pages all over the table: night 30 of 20,000 receipts a night rewrote 55,000
    /// of its 68,000 pages. In classification order, what a night changes sits near the end of the
    /// table; only the key index, a fifth of the table's size, takes new keys at random: night 30's
    /// pass wrote 152,000 pages rather than 370,000 and read 498,000 rather than 726,000. The
    /// `changed_on` and `open` indexes carry the whole key, so tonight's and the open keys still come
    /// in key order, merged without a sort. The verdicts already stored are copied by payment day, the
    /// order a night would have classified them in.
    static func storeKeyVerdictsInArrivalOrder(_ db: Database) throws {
        let columns = """
            creditor_fiscal_code, iuv, iur, transfer_index, label, anomalies, state, open, changed_on, previous_label,
            previous_state, receipt_id, payment_day, psp_id, rt_amount_cents, iud_amount_cents, iuf_amount_cents, iuf,
            flow_psp_id, flow_revision, settlement_reference, settlement_date, tes_amount_cents, tes_references,
            taxonomy_code, beneficiary_iban, iupd, debtor_id
            """
        try db.execute(sql: """
            CREATE TABLE key_verdict_v14 (
                creditor_fiscal_code TEXT NOT NULL,
                iuv TEXT NOT NULL,
                iur TEXT NOT NULL,
                transfer_index INTEGER NOT NULL,
                label TEXT,
                anomalies TEXT NOT NULL,
                state TEXT NOT NULL,
                open INTEGER NOT NULL,
                changed_on TEXT NOT NULL,
                previous_label TEXT,
                previous_state TEXT,
                receipt_id TEXT,
                payment_day TEXT,
                psp_id TEXT,
                rt_amount_cents INTEGER,
                iud_amount_cents INTEGER,
                iuf_amount_cents INTEGER,
                iuf TEXT,
                flow_psp_id TEXT,
                flow_revision INTEGER,
                settlement_reference TEXT,
                settlement_date TEXT,
                tes_amount_cents INTEGER,
                tes_references TEXT,
                taxonomy_code TEXT,
                beneficiary_iban TEXT,
                iupd TEXT,
                debtor_id TEXT
            ) STRICT;
            INSERT INTO key_verdict_v14 (\(columns))
            SELECT \(columns) FROM key_verdict
            ORDER BY coalesce(payment_day, changed_on), creditor_fiscal_code, iuv, iur, transfer_index;
            DROP TABLE key_verdict;
            ALTER TABLE key_verdict_v14 RENAME TO key_verdict;
            CREATE UNIQUE INDEX key_verdict_key ON key_verdict(creditor_fiscal_code, iuv, iur, transfer_index);
            CREATE INDEX key_verdict_open ON key_verdict(creditor_fiscal_code, iuv, iur, transfer_index) WHERE open = 1;
            CREATE INDEX key_verdict_changed ON key_verdict(changed_on, creditor_fiscal_code, iuv, iur, transfer_index);
            CREATE INDEX key_verdict_day ON key_verdict(creditor_fiscal_code, payment_day);
            """)
    }

    /// Position verdicts are stored in the order positions were first judged, found by their key
    /// through an index, for the reason key verdicts are (v14).
    ///
    /// Clustered by creditor and IUPD, the positions a night judged again fell all over the table.
    /// On night 30 of 20,000 receipts a night, 17,764 of 181,822 positions changed status. Their
    /// pages covered 8,111 of the table's 8,607. Of those positions, 98% were among the fifth
    /// created last: positions are paid, reported and credited in the weeks after they are issued.
    /// In first-judged order they sit near the end of the table. A verdict that changes is updated
    /// in place (`PositionStatusWriter`), so only new positions enter the key index at random. The
    /// verdicts already stored are copied by the day their status last changed.
    static func storePositionVerdictsInArrivalOrder(_ db: Database) throws {
        let columns = """
            creditor_fiscal_code, iupd, status, previous_status, gpd_status, changed_on, notice_numbers, due_cents, paid_cents,
            reported_cents, credited_cents, receipts, flows
            """
        try db.execute(sql: """
            CREATE TABLE position_verdict_v17 (
                creditor_fiscal_code TEXT NOT NULL,
                iupd TEXT NOT NULL,
                status TEXT NOT NULL,
                previous_status TEXT,
                gpd_status TEXT,
                changed_on TEXT NOT NULL,
                notice_numbers TEXT,
                due_cents INTEGER NOT NULL,
                paid_cents INTEGER NOT NULL,
                reported_cents INTEGER NOT NULL,
                credited_cents INTEGER NOT NULL,
                receipts TEXT,
                flows TEXT
            ) STRICT;
            INSERT INTO position_verdict_v17 (\(columns))
            SELECT \(columns) FROM position_verdict ORDER BY changed_on, creditor_fiscal_code, iupd;
            DROP TABLE position_verdict;
            ALTER TABLE position_verdict_v17 RENAME TO position_verdict;
            CREATE UNIQUE INDEX position_verdict_key ON position_verdict(creditor_fiscal_code, iupd);
            CREATE INDEX position_verdict_changed ON position_verdict(changed_on);
            """)
    }
}
