import Crypto
import GRDB

/// What one reconciliation pass classifies: the keys, flows and movements that something touched
/// since the previous pass, and those still open. A night then costs what it brings.
///
/// Why that gives the verdicts a from-scratch pass would give: a key's verdict is a function of its
/// evidence and of the as-of date, and the as-of date matters only through deadlines of pieces still
/// missing (a flow row, a credit), that is for keys that are not `CASHED`. A cashed key with no
/// discrepancy therefore keeps its verdict until its evidence changes, and every change of evidence
/// arrives as a new row: a receipt, a flow version (and the rows its revision changed), a position
/// version (and the options of the versions before it), a credit or reversal (and every row of the
/// flow it names), a taxonomy row (and the receipts carrying its code), or a creditor's configuration.
/// Each is turned into the IUVs it can affect, and every key of those IUVs is classified again,
/// siblings included. Flows and movements follow the same rule; open ones are classified every night
/// because their deadlines move with the as-of date. A credit is judged against its flow's total and
/// the flow's other credits, so every credit of a flow that changed or got a credit is judged again
/// (an earlier-booked twin makes the matched one the excess), every credit of a payment whose IUV
/// something touched (judged against what its receipts paid and its other credits), every credit that changed owner
/// (`attributeTreasury`) and every flow of a creditor no longer served. A position's own
/// discrepancies (a status GPD contradicts, an overpayment) keep its IUVs in the pass while open,
/// whatever its keys' verdicts, so they are renewed as a full pass would.
///
/// Without previous marks (a new store, a store last reconciled by an earlier engine, or
/// `quadra reconcile --full`) every key of the look-back, every current flow and every credit is
/// classified; the verdict writer still writes only what changed, so `--full` on a store the
/// incremental engine kept changes nothing.
struct ReconciliationScope {
    /// Where the previous pass stopped reading; nil classifies everything.
    let previous: RunMarks?
    let creditors: [Creditor]
    /// The look-back: keys whose payment (or flow settlement) is older are left as they were.
    let since: CivilDate

    func prepare(in db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scope.served (fiscal_code TEXT PRIMARY KEY, expects_positions INTEGER, expects_treasury INTEGER,
                changed INTEGER) WITHOUT ROWID;
            CREATE TEMP TABLE touched_iuv (iuv TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TEMP TABLE expand_flow (receiver TEXT, flow_id TEXT, PRIMARY KEY (receiver, flow_id)) WITHOUT ROWID;
            CREATE TEMP TABLE scope_flow (receiver TEXT, psp TEXT, flow_id TEXT, PRIMARY KEY (receiver, psp, flow_id)) WITHOUT ROWID;
            CREATE TEMP TABLE scope_movement (movement_id TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE scope.recon_key (creditor TEXT, iuv TEXT, iur TEXT, idx INTEGER,
                receipt_id TEXT, receipt_creditor TEXT, payment_day TEXT, psp_id TEXT, stand_in INTEGER, receipt_cents INTEGER,
                debtor_id TEXT, amount_cents INTEGER, iban TEXT, taxonomy_code TEXT, transfer_category TEXT, share INTEGER,
                PRIMARY KEY (creditor, iuv, iur, idx)) WITHOUT ROWID;
            CREATE TABLE scope.key_receipt (creditor TEXT, iuv TEXT, idx INTEGER, iur TEXT, recent INTEGER,
                receipt_id TEXT, receipt_creditor TEXT, payment_day TEXT, psp_id TEXT, stand_in INTEGER, receipt_cents INTEGER,
                debtor_id TEXT, amount_cents INTEGER, iban TEXT, taxonomy_code TEXT, transfer_category TEXT,
                PRIMARY KEY (creditor, iuv, idx, iur)) WITHOUT ROWID;
            CREATE TABLE scope.key_flow (creditor TEXT, iuv TEXT, idx INTEGER, iur TEXT, flow_version_id INTEGER, position INTEGER,
                recent INTEGER, PRIMARY KEY (creditor, iuv, idx, iur, flow_version_id, position)) WITHOUT ROWID;
            CREATE TABLE scope.taxonomy_edition (code TEXT PRIMARY KEY, valid_from TEXT, valid_to TEXT) WITHOUT ROWID;
            CREATE TABLE scope.flow_credit (creditor TEXT, flow_id TEXT, net INTEGER, refs TEXT, PRIMARY KEY (creditor, flow_id))
                WITHOUT ROWID;
            CREATE TABLE scope.single_credit (creditor TEXT, iuv TEXT, net INTEGER, refs TEXT, outside INTEGER, PRIMARY KEY (creditor, iuv))
                WITHOUT ROWID;
            CREATE TABLE scope.key_siblings (creditor TEXT, iuv TEXT, idx INTEGER, receipts INTEGER, iurs INTEGER,
                PRIMARY KEY (creditor, iuv, idx)) WITHOUT ROWID;
            CREATE TEMP TABLE scope_item (item TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TEMP TABLE key_position (id INTEGER PRIMARY KEY);
            """)
        try fillServed(in: db)
        try attributeTreasury(in: db)
        let sources: [KeySource]
        if let previous {
            try touch(since: previous, in: db)
            let changed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM served WHERE changed = 1)") == true
            sources = changed ? [.touchedIUVs, .changedCreditors] : [.touchedIUVs]
        } else {
            try db.execute(sql: """
                INSERT INTO scope_flow SELECT receiver_fiscal_code, psp_id, flow_id FROM flow_version WHERE is_current = 1;
                INSERT INTO scope_movement SELECT movement_id FROM treasury_movement WHERE sign = 'credit';
                """)
            sources = [.servedCreditors]
        }
        try keys(from: sources, in: db)
        try gatherEvidence(in: db)
    }

    /// Drops the pass's temporary tables; its scratch file goes with `detach`.
    static func drop(in db: Database) throws {
        try db.execute(sql: """
            DROP TABLE temp.touched_iuv; DROP TABLE temp.expand_flow; DROP TABLE temp.scope_flow; DROP TABLE temp.scope_movement;
            DROP TABLE temp.scope_item; DROP TABLE temp.key_position
            """)
    }

    /// The scratch file beside the store holding the tables the keys' evidence query reads (the
    /// keys, the served creditors and what was gathered for the keys): a temporary table is seen by
    /// its own connection only, and that query runs on another (`ReconciliationPass.forEachKey`).
    /// It holds no personal data (keys, creditors, amounts) and is private like the store.
    static func scratchPath(forStore store: String) -> String { store + "-scope" }

    /// Attaches the scratch file as `scope`. Written once, by the writer, and deleted after the
    /// pass, it needs no journal and no `fsync`.
    static func attach(_ path: String, in db: Database) throws {
        try db.execute(sql: "ATTACH DATABASE ? AS scope", arguments: [path])
        if !db.configuration.readonly {
            try db.execute(sql: "PRAGMA scope.journal_mode = OFF; PRAGMA scope.synchronous = OFF; PRAGMA scope.cache_size = -32768")
        }
    }

    static func detach(in db: Database) throws {
        try db.execute(sql: "DETACH DATABASE scope")
    }

    /// The served creditors, each marked `changed` when its configuration differs from the one the
    /// previous pass saw (or it is new): its keys are then classified again by themselves.
    private func fillServed(in db: Database) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO served VALUES (?, ?, ?, coalesce((SELECT digest <> ? FROM main.served_creditor WHERE fiscal_code = ?), 1))
            """)
        for creditor in creditors {
            let digest = Self.digest(creditor)
            try insert.execute(arguments: [creditor.fiscalCode, creditor.expectsPositions, creditor.expectsTreasury,
                                           digest, creditor.fiscalCode])
        }
    }

    /// Treasury rows follow the configuration, as flows do: a credit booked before its creditor or its
    /// account was configured is that creditor's now, and one on an account no served creditor lists
    /// any more is nobody's (`CreditorDirectory.creditor(ofMovementOn:format:journalFiscalCode:)`).
    /// A full pass, one after a creditor was added, changed or dropped, or one that finds the owner
    /// changes of a killed pass (made under a configuration that may not be tonight's) asks every row
    /// (an account's owner may depend on the other creditors listing it); other passes ask the rows
    /// that came since the previous one (an ingest may have run with another configuration, or none). A
    /// movement whose owner changes goes to `treasury_attribution` with the owner before, and is
    /// looked at tonight as a new one is, its former owner's flow too; the log is emptied with the
    /// verdicts' commit, so a run killed in between finds it again. A journal holder unknown (`''`,
    /// stored before holders were kept) is no creditor's fiscal code: such a row stays nobody's.
    /// Regularisations need no log: every provvisorio is judged each pass (and its former owner's
    /// items are noted with its credit's, `VerdictWriter.addFormerOwners`).
    private func attributeTreasury(in db: Database) throws {
        let reconfigured = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM served WHERE changed = 1)
                OR EXISTS (SELECT 1 FROM main.served_creditor WHERE fiscal_code NOT IN (SELECT fiscal_code FROM served))
            """) == true
        let unfinished = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM main.treasury_attribution)") == true
        let every = previous == nil || reconfigured || unfinished
        let movements = every ? "1" : "rowid > \(previous!.movement)"
        let settlements = every ? "1" : "document_id > \(previous!.document)"
        // The rows asked are listed first and then walked by key, so that no list of them is held and
        // no update moves a row under the walk.
        try db.execute(sql: """
            CREATE TEMP TABLE asked_movement AS SELECT movement_id FROM treasury_movement WHERE \(movements);
            CREATE TEMP TABLE asked_settlement AS SELECT regularisation_id, position FROM treasury_regularisation WHERE \(settlements);
            """)
        defer { try? db.execute(sql: "DROP TABLE temp.asked_movement; DROP TABLE temp.asked_settlement") }
        let directory = CreditorDirectory(creditors)
        let log = try RawStatement(db, "INSERT OR IGNORE INTO main.treasury_attribution VALUES (?, ?)")
        let move = try RawStatement(db, "UPDATE treasury_movement SET creditor_fiscal_code = ? WHERE movement_id = ?")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT m.movement_id, m.format, m.account, m.holder_fiscal_code, m.creditor_fiscal_code FROM asked_movement a
            CROSS JOIN treasury_movement m ON m.movement_id = a.movement_id
            """)
        while let row = try rows.next() {
            let before: String? = row[4]
            guard let format = DocumentKind(rawValue: row[1]) else { continue }
            let owner = directory.creditor(ofMovementOn: row[2], format: format, journalFiscalCode: row[3])
            guard owner != before else { continue }
            let id: String = row[0]
            try log.run { $0.add(id); $0.add(before) }
            try move.run { $0.add(owner); $0.add(id) }
        }
        let settle = try RawStatement(db, """
            UPDATE treasury_regularisation SET creditor_fiscal_code = ? WHERE regularisation_id = ? AND position = ?
            """)
        let regularisations = try Row.fetchCursor(db, sql: """
            SELECT r.regularisation_id, r.position, r.account, r.holder_fiscal_code, r.creditor_fiscal_code FROM asked_settlement a
            CROSS JOIN treasury_regularisation r ON r.regularisation_id = a.regularisation_id AND r.position = a.position
            """)
        while let row = try regularisations.next() {
            let owner = directory.creditor(forOPIAccount: row[2], journalFiscalCode: row[3])
            if owner != row[4] { try settle.run { $0.add(owner); $0.add(row[0] as String); $0.add(row[1] as Int) } }
        }
    }

    /// What a creditor's verdicts depend on in its configuration: its accounts and what it expects.
    static func digest(_ creditor: Creditor) -> String {
        let text = [creditor.ibans.map(IBAN.normalized).sorted().joined(separator: ","),
                    creditor.opiAccounts.sorted().joined(separator: ","),
                    "\(creditor.expectsPositions)", "\(creditor.expectsTreasury)"].joined(separator: "|")
        return SHA256.hash(data: Array(text.utf8)).hexString
    }

    /// Turns what arrived since `previous` and what is still open into IUVs, flows and movements.
    private func touch(since previous: RunMarks, in db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO touched_iuv SELECT iuv FROM receipt WHERE rowid > :receipt;

            INSERT OR IGNORE INTO scope_flow SELECT receiver_fiscal_code, psp_id, flow_id FROM flow_version WHERE id > :flow;
            INSERT OR IGNORE INTO expand_flow SELECT receiver_fiscal_code, flow_id FROM flow_version WHERE id > :flow;
            INSERT OR IGNORE INTO touched_iuv SELECT iuv FROM flow_revision_change WHERE flow_version_id > :flow;

            INSERT OR IGNORE INTO touched_iuv
            SELECT o.iuv FROM debt_position n
            CROSS JOIN debt_position p ON p.creditor_fiscal_code = n.creditor_fiscal_code AND p.iupd = n.iupd
            CROSS JOIN payment_option o ON o.position_id = p.id
            WHERE n.id > :position;

            CREATE TEMP TABLE new_movement (movement_id TEXT PRIMARY KEY) WITHOUT ROWID;
            INSERT OR IGNORE INTO new_movement SELECT movement_id FROM treasury_movement WHERE rowid > :movement;
            INSERT OR IGNORE INTO new_movement SELECT movement_id FROM main.treasury_attribution;
            INSERT OR IGNORE INTO expand_flow SELECT a.previous, m.flow_id FROM main.treasury_attribution a
            CROSS JOIN treasury_movement m ON m.movement_id = a.movement_id WHERE a.previous IS NOT NULL AND m.flow_id IS NOT NULL;
            INSERT OR IGNORE INTO new_movement
            SELECT reverses_movement_id FROM treasury_movement WHERE rowid > :movement AND reverses_movement_id IS NOT NULL;
            INSERT OR IGNORE INTO scope_movement
            SELECT m.movement_id FROM new_movement n CROSS JOIN treasury_movement m ON m.movement_id = n.movement_id
            WHERE m.sign = 'credit';
            INSERT OR IGNORE INTO expand_flow
            SELECT m.creditor_fiscal_code, m.flow_id FROM new_movement n CROSS JOIN treasury_movement m ON m.movement_id = n.movement_id
            WHERE m.flow_id IS NOT NULL AND m.creditor_fiscal_code IS NOT NULL;
            INSERT OR IGNORE INTO touched_iuv
            SELECT m.iuv FROM new_movement n CROSS JOIN treasury_movement m ON m.movement_id = n.movement_id
            WHERE m.iuv IS NOT NULL;
            DROP TABLE temp.new_movement;
            INSERT OR IGNORE INTO scope_flow
            SELECT v.receiver_fiscal_code, v.psp_id, v.flow_id FROM expand_flow e
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = e.receiver AND v.flow_id = e.flow_id AND v.is_current = 1;
            INSERT OR IGNORE INTO touched_iuv
            SELECT fr.iuv FROM expand_flow e
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = e.receiver AND v.flow_id = e.flow_id AND v.is_current = 1
            CROSS JOIN flow_row fr ON fr.flow_version_id = v.id;
            INSERT OR IGNORE INTO scope_movement
            SELECT m.movement_id FROM expand_flow e
            CROSS JOIN treasury_movement m ON m.creditor_fiscal_code = e.receiver AND m.flow_id = e.flow_id WHERE m.sign = 'credit';

            INSERT OR IGNORE INTO touched_iuv SELECT iuv FROM key_verdict WHERE open = 1;
            INSERT OR IGNORE INTO touched_iuv SELECT iuv FROM discrepancy WHERE status IN ('new', 'open') AND iuv IS NOT NULL;
            INSERT OR IGNORE INTO scope_flow SELECT receiver_fiscal_code, psp_id, flow_id FROM flow_verdict WHERE open = 1;
            INSERT OR IGNORE INTO scope_movement SELECT movement_id FROM movement_verdict WHERE label <> 'MATCHED';
            INSERT OR IGNORE INTO scope_flow SELECT v.receiver_fiscal_code, v.psp_id, v.flow_id FROM main.served_creditor c
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = c.fiscal_code
            WHERE c.fiscal_code NOT IN (SELECT fiscal_code FROM served) AND v.is_current = 1;

            INSERT OR IGNORE INTO scope_flow SELECT v.receiver_fiscal_code, v.psp_id, v.flow_id FROM served s
            CROSS JOIN flow_version v ON v.receiver_fiscal_code = s.fiscal_code WHERE s.changed = 1 AND v.is_current = 1;
            INSERT OR IGNORE INTO scope_movement SELECT m.movement_id FROM served s
            CROSS JOIN treasury_movement m ON m.creditor_fiscal_code = s.fiscal_code WHERE s.changed = 1 AND m.sign = 'credit';
            """, arguments: ["receipt": previous.receipt, "flow": previous.flow, "position": previous.position,
                             "movement": previous.movement])
        // A payment's credits are judged against what its receipts paid, and the later ones against the
        // earlier: every credit of a touched IUV (a receipt, a credit arrived) is judged again.
        try db.execute(sql: """
            INSERT OR IGNORE INTO scope_movement
            SELECT m.movement_id FROM touched_iuv t CROSS JOIN treasury_movement m ON m.iuv = t.iuv
            WHERE m.sign = 'credit' AND m.causale_kind = 'payment'
            """)
        // The receipts a creditor whose configuration changed was paid by: receipts are indexed by
        // IUV, then creditor (v18), so this reads that index whole, once, and only on such a night.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM served WHERE changed = 1)") == true {
            try db.execute(sql: """
                INSERT OR IGNORE INTO touched_iuv
                SELECT iuv FROM receipt WHERE fiscal_code IN (SELECT fiscal_code FROM served WHERE changed = 1)
                """)
        }
        // A new taxonomy edition can change the verdict of every receipt carrying one of its codes:
        // one pass over the transfers, only on the nights a table arrives.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM taxonomy_entry WHERE document_id > ?)",
                             arguments: [previous.document]) == true {
            try db.execute(sql: """
                INSERT OR IGNORE INTO touched_iuv
                SELECT r.iuv FROM receipt_transfer rt CROSS JOIN receipt r ON r.receipt_id = rt.receipt_id
                WHERE rt.taxonomy_code IN (SELECT code FROM taxonomy_entry WHERE document_id > ?)
                """, arguments: [previous.document])
        }
    }

    /// Where a pass finds its keys: the IUVs something touched, the creditors whose configuration
    /// changed, or (no previous pass) every served creditor.
    private enum KeySource {
        case touchedIUVs, changedCreditors, servedCreditors
    }

    /// Every key of the sources: receipt transfers, current flow rows and paid options paying or
    /// reporting a served creditor within the look-back.
    ///
    /// The transfers and rows are first staged whatever their day (`key_receipt`, `key_flow`, each
    /// with whether it is `recent`), and the keys taken from those within the look-back. The staged
    /// tables hold every receipt and current row of each key's IUV and index, so the keys' siblings
    /// are counted from them and each key's flow rows read there (`gatherEvidence`), where counting
    /// them again from the store searched the receipts, transfers and rows of each IUV a second time
    /// at random pages: night 30 of 100,000 receipts a night, 8.5 s of CPU for the siblings and 1.3 s
    /// for the rows then, 1.5 s for both now (the staging adds 0.5 s).
    ///
    /// Each source walks the store its own way. Touched IUVs lead through the IUV indexes; a changed
    /// creditor through its transfer and flow indexes; every creditor walks each table once in its
    /// own order, receipts leading their transfers: one search per receipt by primary key, where
    /// leading with the transfers cost two per transfer (100,000 receipts: 0.69 s → 0.50 s of CPU).
    private func keys(from sources: [KeySource], in db: Database) throws {
        let from = since.description
        for source in sources {
            let (receipts, rows): (String, String)
            switch source {
            case .touchedIUVs:
                receipts = """
                    FROM touched_iuv t CROSS JOIN receipt r ON r.iuv = t.iuv CROSS JOIN receipt_transfer rt ON rt.receipt_id = r.receipt_id
                    JOIN served s ON s.fiscal_code = rt.beneficiary_fiscal_code WHERE
                    """
                rows = """
                    FROM touched_iuv t CROSS JOIN flow_row fr ON fr.iuv = t.iuv CROSS JOIN flow_version v ON v.id = fr.flow_version_id
                    JOIN served s ON s.fiscal_code = v.receiver_fiscal_code WHERE
                    """
            case .changedCreditors:
                receipts = """
                    FROM served s CROSS JOIN receipt_transfer rt ON rt.beneficiary_fiscal_code = s.fiscal_code
                    CROSS JOIN receipt r ON r.receipt_id = rt.receipt_id WHERE s.changed = 1 AND
                    """
                rows = """
                    FROM served s CROSS JOIN flow_version v ON v.receiver_fiscal_code = s.fiscal_code
                    CROSS JOIN flow_row fr ON fr.flow_version_id = v.id WHERE s.changed = 1 AND
                    """
            case .servedCreditors:
                receipts = """
                    FROM receipt r CROSS JOIN receipt_transfer rt ON rt.receipt_id = r.receipt_id
                    JOIN served s ON s.fiscal_code = rt.beneficiary_fiscal_code WHERE
                    """
                rows = """
                    FROM flow_row fr JOIN flow_version v ON v.id = fr.flow_version_id
                    JOIN served s ON s.fiscal_code = v.receiver_fiscal_code WHERE
                    """
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO key_receipt
                SELECT rt.beneficiary_fiscal_code, r.iuv, rt.id_transfer, r.receipt_id, \(Store.paymentDay) >= :from, \(Self.paidColumns)
                \(receipts) rt.is_stamp = 0;

                INSERT OR IGNORE INTO key_flow
                SELECT v.receiver_fiscal_code, fr.iuv, fr.transfer_index, fr.iur, fr.flow_version_id, fr.position,
                    coalesce(v.settlement_date, substr(v.flow_instant, 1, 10)) >= :from
                \(rows) v.is_current = 1;
                """, arguments: ["from": from])
        }
        // A flow row's key found from its receipt already is skipped before its receipt is looked up.
        try db.execute(sql: """
            INSERT OR IGNORE INTO recon_key
            SELECT k.creditor, k.iuv, k.iur, k.idx, receipt_id, receipt_creditor, payment_day, psp_id, stand_in, receipt_cents,
                debtor_id, amount_cents, iban, taxonomy_code, transfer_category,
                (SELECT sum(x.amount_cents) FROM key_receipt x WHERE x.creditor = k.creditor AND x.iuv = k.iuv AND x.iur = k.iur)
            FROM key_receipt k WHERE k.recent;

            INSERT OR IGNORE INTO recon_key
            SELECT k.creditor, k.iuv, k.iur, k.idx, \(Self.paidColumns), \(Self.share)
            FROM key_flow k \(Self.receiptOfKey)
            WHERE k.recent AND NOT EXISTS (SELECT 1 FROM recon_key x WHERE x.creditor = k.creditor AND x.iuv = k.iuv
                AND x.iur = k.iur AND x.idx = k.idx);
            """)
        for source in sources {
            let options = switch source {
            case .touchedIUVs:
                "FROM touched_iuv t CROSS JOIN payment_option o ON o.iuv = t.iuv CROSS JOIN planned_transfer pt ON pt.option_id = o.id"
            case .changedCreditors, .servedCreditors:
                "FROM payment_option o JOIN planned_transfer pt ON pt.option_id = o.id"
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO recon_key
                SELECT k.creditor, k.iuv, k.iur, k.idx, \(Self.paidColumns), \(Self.share)
                FROM (SELECT pt.beneficiary_fiscal_code AS creditor, o.iuv, coalesce(o.id_receipt, '') AS iur, pt.id_transfer AS idx
                    \(options) JOIN served s ON s.fiscal_code = pt.beneficiary_fiscal_code
                    WHERE \(source == .changedCreditors ? "s.changed = 1 AND" : "") o.is_current = 1 AND pt.is_stamp = 0
                        AND \(Self.paidWithoutReceipt)) k
                \(Self.receiptOfKey);
                """, arguments: ["from": from])
        }
    }

    /// What a key's evidence reads of its receipt `r` and transfer `rt` (`key_receipt`, `recon_key`):
    /// taken as the staging walks them, so that the evidence query reads neither table. Reading them
    /// again there, in key order through a reader's smaller cache, cost a page of each per key once
    /// the tables outgrew it (night 30 of 20,000 receipts a night: 204,000 of its 282,000 page reads,
    /// 71,000 of them the transfers' key index; night 5: 110,000 of 146,000).
    private static let paidColumns = """
        rt.receipt_id, r.fiscal_code, \(Store.paymentDay), r.psp_id, r.stand_in, r.payment_amount_cents, r.debtor_id,
        rt.amount_cents, rt.iban, rt.taxonomy_code, rt.transfer_category
        """

    /// The receipt's transfers to key `k`'s creditor, summed: the creditor's share of the payment, for
    /// a key found otherwise than from its receipt (a key found from it sums them among the staged
    /// transfers, which hold every transfer of the receipt to a served creditor). The unary `+` keeps
    /// SQLite, which has no statistics, on the receipt's transfers rather than the creditor's.
    private static let share = """
        (SELECT sum(x.amount_cents) FROM receipt_transfer x WHERE x.receipt_id = r.receipt_id
            AND +x.beneficiary_fiscal_code = k.creditor AND x.is_stamp = 0)
        """

    /// The receipt transfer of key `k` not found from its receipt (a flow row's or a paid option's
    /// key), if any: the key's IUR is the receipt's id.
    private static let receiptOfKey = """
        LEFT JOIN receipt_transfer rt ON rt.receipt_id = k.iur AND rt.id_transfer = k.idx
            AND rt.beneficiary_fiscal_code = k.creditor AND rt.is_stamp = 0
        LEFT JOIN receipt r ON r.receipt_id = rt.receipt_id
        """

    /// An option GPD marks paid, paid within the look-back, with no receipt behind it: a key of its own.
    private static let paidWithoutReceipt = """
        o.status IN ('PO_PAID', 'PO_PARTIALLY_REPORTED', 'PO_REPORTED')
              AND coalesce(substr(o.payment_date, 1, 10), :from) >= :from
              AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.receipt_id = o.id_receipt)
              AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.fiscal_code = o.creditor_fiscal_code AND r.iuv = o.iuv)
        """

    /// The credits of the keys' flows and IUVs (net of reversals, with the banks' references), their
    /// siblings (from the staged transfers and rows, see `keys(from:in:)`), and the current positions
    /// holding an option of theirs (read by both position passes), each found once.
    ///
    /// A code's validity on the payment day is the newest table edition's that holds the code (an
    /// older edition valid to 2080 must not hide a newer one that ends the code): that edition is
    /// chosen once per code here rather than sorted again for every key, and the single-payment
    /// credits are summed in one join rather than two searches per IUV. The positions are found
    /// here once rather than by each position pass (0.18 s of CPU each at 100,000 receipts).
    private func gatherEvidence(in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO taxonomy_edition
            SELECT code, valid_from, valid_to FROM (
                SELECT code, valid_from, valid_to, row_number() OVER (
                    PARTITION BY code ORDER BY CAST(version AS INTEGER) DESC, version DESC) AS n
                FROM taxonomy_entry
            ) WHERE n = 1;

            INSERT INTO flow_credit
            SELECT f.creditor, f.flow_id,
                (SELECT sum(\(Store.standing("m"))) FROM treasury_movement m WHERE m.creditor_fiscal_code = f.creditor AND m.flow_id = f.flow_id),
                (SELECT group_concat(DISTINCT coalesce(m.reference, m.movement_id)) FROM treasury_movement m
                    WHERE m.creditor_fiscal_code = f.creditor AND m.flow_id = f.flow_id AND m.sign = 'credit')
            FROM (SELECT v.receiver_fiscal_code AS creditor, v.flow_id FROM (SELECT DISTINCT flow_version_id FROM key_flow) kf
                  CROSS JOIN flow_version v ON v.id = kf.flow_version_id
                  UNION SELECT receiver, flow_id FROM scope_flow) f;

            INSERT INTO single_credit
            SELECT g.creditor, g.iuv, sum(\(Store.standing("m"))),
                group_concat(DISTINCT CASE WHEN m.sign = 'credit' THEN coalesce(m.reference, m.movement_id) END),
                (SELECT coalesce(sum(k.rt_amount_cents), 0) FROM key_verdict k WHERE k.creditor_fiscal_code = g.creditor
                    AND k.iuv = g.iuv AND k.label = '\(Label.rtTes.rawValue)' AND NOT EXISTS (SELECT 1 FROM recon_key r
                        WHERE r.creditor = k.creditor_fiscal_code AND r.iuv = k.iuv AND r.iur = k.iur AND r.idx = k.transfer_index))
            FROM (SELECT DISTINCT creditor, iuv FROM recon_key) g
            CROSS JOIN treasury_movement m ON m.iuv = g.iuv AND m.causale_kind = 'payment' AND m.creditor_fiscal_code = g.creditor
            GROUP BY g.creditor, g.iuv;

            INSERT OR IGNORE INTO key_position
            SELECT o.position_id FROM (SELECT DISTINCT creditor, iuv FROM recon_key) k
            CROSS JOIN payment_option o ON o.creditor_fiscal_code = k.creditor AND o.iuv = k.iuv AND o.is_current = 1;

            INSERT INTO key_siblings
            SELECT g.creditor, g.iuv, g.idx,
                (SELECT count(*) FROM key_receipt x WHERE x.creditor = g.creditor AND x.iuv = g.iuv AND x.idx = g.idx),
                (SELECT count(DISTINCT z.iur) FROM key_flow z WHERE z.creditor = g.creditor AND z.iuv = g.iuv AND z.idx = g.idx)
            FROM (SELECT DISTINCT creditor, iuv, idx FROM recon_key) g;
            """)
    }
}

/// Where a reconciliation pass stopped reading: the highest row id of each kind of evidence (and of
/// the ledger, for taxonomy rows and revisions) it had seen. The next pass reads from there.
struct RunMarks: Sendable, Equatable {
    var document: Int64
    var receipt: Int64
    var flow: Int64
    var position: Int64
    var movement: Int64
    /// The first payment day of the pass's look-back; nil for passes logged before it was kept.
    var since: CivilDate?

    /// The marks of the last incremental pass; nil when none ran (a new or migrated store).
    static func last(in db: Database) throws -> RunMarks? {
        try Row.fetchOne(db, sql: """
            SELECT last_document_id, receipt_mark, flow_mark, position_mark, movement_mark, since FROM reconciliation_run
            WHERE engine >= 3 ORDER BY id DESC LIMIT 1
            """).map { RunMarks(document: $0[0], receipt: $0[1], flow: $0[2], position: $0[3], movement: $0[4],
                                 since: ($0[5] as String?).flatMap(CivilDate.init(iso:))) }
    }

    /// The store's marks now, read inside the pass's transaction, for a pass whose look-back begins `since`.
    static func current(in db: Database, since: CivilDate) throws -> RunMarks {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT coalesce(max(id), 0) FROM document), (SELECT coalesce(max(rowid), 0) FROM receipt),
                (SELECT coalesce(max(id), 0) FROM flow_version), (SELECT coalesce(max(id), 0) FROM debt_position),
                (SELECT coalesce(max(rowid), 0) FROM treasury_movement)
            """)!
        return RunMarks(document: row[0], receipt: row[1], flow: row[2], position: row[3], movement: row[4], since: since)
    }

    /// Whether a pass whose look-back begins `since` can start from these marks: not when it reaches
    /// further back, where keys outside this pass's window may have been touched unseen (v12).
    func cover(_ since: CivilDate) -> Bool {
        self.since.map { $0 <= since } ?? true
    }
}
