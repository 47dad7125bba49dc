import GRDB

extension Migrations {
    /// What the incremental engine keeps so that a night costs what it brings.
    ///
    /// - `key_verdict` holds, per key, the verdict and every evidence column the reports show, the day
    ///   it last changed (`changed_on`, with the label and state before that change) and whether it is
    ///   still `open` (not cashed, or with a discrepancy). A night re-classifies only the keys that
    ///   something touched or that are open, writes only what changed, and the reports read this one
    ///   table instead of redoing the joins. Its earlier form held no evidence: it is rebuilt, and the
    ///   first run after this migration classifies everything (`reconciliation_run.engine` tells).
    /// - `flow_verdict` and `movement_verdict` do the same for flows and treasury credits.
    /// - `discrepancy.item` names what raised a discrepancy (a key, a flow, a movement, a position),
    ///   so a run resolves only the discrepancies of the items it looked at; a discrepancy replaced by a
    ///   graver one on the same item is `escalated`, `replaced_by` naming the new code (the table is
    ///   rebuilt: SQLite cannot widen a CHECK constraint in place).
    /// - `reconciliation_run` keeps, per run, the highest row id of receipts, flow versions, positions
    ///   and movements it had seen: the next run starts from there (a document re-read after a
    ///   rejection keeps its old ledger id, so ledger ids cannot tell what is new; row ids can).
    /// - `flow_version.arrived_late` marks an older version that came after a newer one: kept as
    ///   history, it takes the next revision number and renumbers nothing already shown.
    /// - `served_creditor` keeps each creditor's configuration digest: a change re-classifies that
    ///   creditor's keys by itself.
    /// - Indexes that let a night find its keys from what arrived: options and positions by IUV and
    ///   IUPD, verdicts by the day they changed and by payment day.
    static func createIncrementalTables(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE key_verdict;
            CREATE TABLE key_verdict (
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
                debtor_id TEXT,
                PRIMARY KEY (creditor_fiscal_code, iuv, iur, transfer_index)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX key_verdict_open ON key_verdict(creditor_fiscal_code, iuv) WHERE open = 1;
            CREATE INDEX key_verdict_changed ON key_verdict(changed_on);
            CREATE INDEX key_verdict_day ON key_verdict(creditor_fiscal_code, payment_day);

            DROP TABLE movement_verdict;
            CREATE TABLE movement_verdict (
                movement_id TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                changed_on TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX movement_verdict_open ON movement_verdict(movement_id) WHERE label <> 'MATCHED';
            CREATE INDEX movement_verdict_changed ON movement_verdict(changed_on);

            CREATE TABLE flow_verdict (
                receiver_fiscal_code TEXT NOT NULL,
                psp_id TEXT NOT NULL,
                flow_id TEXT NOT NULL,
                flow_version_id INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                settlement_date TEXT,
                settlement_reference TEXT,
                rows INTEGER NOT NULL,
                declared_total_cents INTEGER,
                computed_total_cents INTEGER NOT NULL,
                credited_cents INTEGER NOT NULL,
                credit_status TEXT NOT NULL,
                credited_on TEXT,
                days_late INTEGER,
                findings TEXT,
                open INTEGER NOT NULL,
                changed_on TEXT NOT NULL,
                PRIMARY KEY (receiver_fiscal_code, psp_id, flow_id)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX flow_verdict_open ON flow_verdict(receiver_fiscal_code) WHERE open = 1;
            CREATE INDEX flow_verdict_changed ON flow_verdict(changed_on);

            CREATE TABLE served_creditor (
                fiscal_code TEXT PRIMARY KEY,
                digest TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE discrepancy_v5 (
                identity TEXT PRIMARY KEY,
                code TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
                status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved', 'escalated')),
                creditor_fiscal_code TEXT,
                iuv TEXT,
                iur TEXT,
                transfer_index INTEGER,
                flow_id TEXT,
                psp_id TEXT,
                treasury_reference TEXT,
                expected_cents INTEGER,
                actual_cents INTEGER,
                message TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                resolved_on TEXT,
                replaced_by TEXT,
                item TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            INSERT INTO discrepancy_v5
            SELECT identity, code, severity, status, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, psp_id,
                treasury_reference, expected_cents, actual_cents, message, first_seen, last_seen, resolved_on, NULL, CASE
                WHEN transfer_index > 0 THEN 'key:' || creditor_fiscal_code || '/' || iuv || '/' || iur || '/' || transfer_index
                WHEN iuv IS NOT NULL THEN 'option:' || coalesce(creditor_fiscal_code, '') || '/' || iuv
                WHEN treasury_reference IS NOT NULL THEN 'movement:' || coalesce(creditor_fiscal_code, '') || '/' || treasury_reference
                WHEN flow_id IS NOT NULL THEN 'flow:' || coalesce(creditor_fiscal_code, '') || '/' || coalesce(psp_id, '') || '/' || flow_id
                ELSE 'creditor:' || coalesce(creditor_fiscal_code, '') END
            FROM discrepancy;
            DROP TABLE discrepancy;
            ALTER TABLE discrepancy_v5 RENAME TO discrepancy;
            CREATE INDEX discrepancy_key ON discrepancy(creditor_fiscal_code, iuv);
            CREATE INDEX discrepancy_flow ON discrepancy(flow_id);
            CREATE INDEX discrepancy_open_item ON discrepancy(item) WHERE status IN ('new', 'open');
            CREATE INDEX discrepancy_resolved_on ON discrepancy(resolved_on);
            ALTER TABLE reconciliation_run ADD COLUMN engine INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE reconciliation_run ADD COLUMN receipt_mark INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE reconciliation_run ADD COLUMN flow_mark INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE reconciliation_run ADD COLUMN position_mark INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE reconciliation_run ADD COLUMN movement_mark INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX payment_option_iuv ON payment_option(iuv);
            CREATE INDEX debt_position_iupd ON debt_position(creditor_fiscal_code, iupd);
            ALTER TABLE flow_version ADD COLUMN arrived_late INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX flow_version_current_flow ON flow_version(receiver_fiscal_code, flow_id) WHERE is_current = 1;
            """)
    }

    /// v12: where each pass's look-back began (`since`, its first payment day). A pass whose window
    /// reaches further back than the previous one's (a longer look-back, an earlier as-of date) holds
    /// keys the passes before left outside theirs, touched meanwhile unseen: it classifies everything.
    /// Runs logged before this migration have none, and leave the next pass incremental.
    static func addLookBackStart(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE reconciliation_run ADD COLUMN since TEXT")
    }

    /// What a flow, a movement or a provvisorio was before its verdict last changed, so that a
    /// night's files tell a row first judged tonight (`new`) from one that changed (`changed`), as
    /// they do for keys. Rows stored before do not know it, and nothing is made up for them: one
    /// that changes later records what it was then.
    static func addPreviousVerdicts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE flow_verdict ADD COLUMN previous_credit_status TEXT;
            ALTER TABLE movement_verdict ADD COLUMN previous_label TEXT;
            ALTER TABLE provvisorio_verdict ADD COLUMN previous_status TEXT;
            """)
    }
}
