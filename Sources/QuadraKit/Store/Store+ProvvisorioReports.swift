import GRDB

/// One line of `reversali.csv.gz` (and of the workbook's *Reversali* sheet): a part of a provvisorio
/// the ragioneria books under one taxonomy code, capitolo, accertamento and ufficio, or a part it
/// cannot attribute, with the reason.
public struct ReversaleLine: Sendable, Equatable {
    public var creditor: String
    public var fiscalYear: Int
    public var provvisorioNumber: String
    public var provvisorioDate: String
    public var provvisorioAmountCents: Int64
    /// The flow the credit pays, or the IUV of a single payment's credit.
    public var flowId: String?
    public var iuv: String?
    public var line: ProvvisorioAttribution.Line
    public var provvisorioStatus: String?

    public static let columns = [
        "creditor_fiscal_code", "fiscal_year", "provvisorio_number", "provvisorio_date", "provvisorio_amount_cents", "iuf", "iuv",
        "attribution", "taxonomy_code", "capitolo", "accertamento", "ufficio", "transfers", "amount_cents", "reason",
        "provvisorio_status",
    ]

    /// The fields in `columns` order.
    public var fields: [String?] {
        [creditor, String(fiscalYear), provvisorioNumber, provvisorioDate, String(provvisorioAmountCents), flowId, iuv,
         line.heads == nil ? "NON_ATTRIBUITO" : "ATTRIBUITO", line.heads?.taxonomyCode, line.heads?.capitolo,
         line.heads?.accertamento, line.heads?.ufficio, String(line.transfers), String(line.amountCents), line.reason?.rawValue,
         provvisorioStatus]
    }
}

/// One row of `provvisori.csv.gz`: a provvisorio still to regularise, or regularised tonight, with
/// the reversali that settled it and its age in working days.
public struct ProvvisorioRow: Sendable, Equatable {
    public var creditor: String
    public var account: String
    public var fiscalYear: Int
    public var number: String
    public var receiptNumber: String?
    public var provvisorioDate: String
    public var bookingDate: String
    public var amountCents: Int64
    public var managementCode: String?
    public var causale: String
    /// The movement's reconciliation label (`MATCHED`, `TES_NO_MATCH`…).
    public var movementLabel: String?
    public var status: String
    public var regularisedCents: Int64
    public var reversali: String?
    public var regularisedOn: String?
    /// Working days from the provvisorio's day to the as-of date (to its regularisation once regularised).
    public var workingDays: Int?
    /// `new` when first judged tonight, `changed` when its verdict changed tonight, `open` when it is
    /// still to do, else empty (full listing).
    public var change: String
    /// The status before tonight's change (the current one when unchanged; empty when new).
    public var previousStatus: String?

    public static let columns = [
        "creditor_fiscal_code", "account", "fiscal_year", "provvisorio_number", "receipt_number", "provvisorio_date", "booking_date",
        "amount_cents", "management_code", "causale", "movement_label", "regularisation_status", "regularised_cents", "reversali", "regularised_on",
        "working_days", "change", "previous_regularisation_status",
    ]

    public var fields: [String?] {
        [creditor, account, String(fiscalYear), number, receiptNumber, provvisorioDate, bookingDate, String(amountCents), managementCode,
         causale, movementLabel, status, String(regularisedCents), reversali, regularisedOn, workingDays.map(String.init), change, previousStatus]
    }
}

extension Store {
    /// The keys of `[accounting]` the reversale lines read from transfer metadata.
    public struct AccountingKeys: Sendable {
        public var capitolo: String?
        public var accertamento: String?
        public var ufficio: String?

        public init(capitolo: String? = nil, accertamento: String? = nil, ufficio: String? = nil) {
            self.capitolo = capitolo
            self.accertamento = accertamento
            self.ufficio = ufficio
        }
    }

    /// The reversale lines of the provvisori of served creditors (those judged: `provvisorio_verdict`)
    /// that the bank did not reverse: those whose credit was labelled
    /// tonight and those still to regularise, or all with `everything`; one creditor's only when
    /// `creditor` names it. By creditor, year, number, then line. A credit that matched no payment
    /// (`TES_NO_MATCH`, an unknown reference) or that is an excess still gets its lines, not attributed,
    /// with the reason: the ragioneria regularises every provvisorio, and one missing from the file
    /// was one nobody was told about.
    public func reversaleLines(asOf: CivilDate, everything: Bool, creditor: String? = nil, keys: AccountingKeys = .init(),
                               _ body: (ReversaleLine) throws -> Void) throws {
        try pool.read { db in
            let provvisori = try Row.fetchAll(db, sql: """
                SELECT m.movement_id, m.creditor_fiscal_code, p.fiscal_year, p.number, coalesce(p.effective_date, m.booking_date) AS day,
                    m.amount_cents, m.flow_id, m.iuv, pv.status,
                    CASE WHEN m.flow_id IS NOT NULL THEN
                        (SELECT coalesce(sum(n.amount_cents), 0) FROM treasury_movement n
                            WHERE n.creditor_fiscal_code = m.creditor_fiscal_code AND n.flow_id = m.flow_id AND n.sign = 'credit'
                              AND \(Store.booked("n", before: "m")))
                    ELSE
                        (SELECT coalesce(sum(n.amount_cents), 0) FROM treasury_movement n
                            WHERE n.iuv = m.iuv AND n.creditor_fiscal_code = m.creditor_fiscal_code AND n.flow_id IS NULL AND n.sign = 'credit'
                              AND \(Store.booked("n", before: "m")))
                    END AS before
                FROM provvisorio p CROSS JOIN treasury_movement m ON m.movement_id = p.movement_id
                JOIN movement_verdict mv ON mv.movement_id = m.movement_id
                JOIN provvisorio_verdict pv ON pv.movement_id = m.movement_id
                WHERE (:everything OR mv.changed_on = :day OR pv.open = 1) AND pv.status <> 'REVERSED'
                  AND (:creditor IS NULL OR m.creditor_fiscal_code = :creditor)
                ORDER BY m.creditor_fiscal_code, p.fiscal_year, p.number_value, m.movement_id
                """, arguments: ["everything": everything, "day": asOf.description, "creditor": creditor])
            for provvisorio in provvisori {
                let owner: String = provvisorio["creditor_fiscal_code"]
                let parts = try Self.creditParts(owner: owner, flowId: provvisorio["flow_id"], iuv: provvisorio["iuv"], keys: keys, in: db)
                for line in ProvvisorioAttribution.split(creditCents: provvisorio["amount_cents"], creditedBeforeCents: provvisorio["before"],
                                                         parts: parts) {
                    try body(ReversaleLine(creditor: owner, fiscalYear: provvisorio["fiscal_year"], provvisorioNumber: provvisorio["number"],
                                           provvisorioDate: provvisorio["day"], provvisorioAmountCents: provvisorio["amount_cents"],
                                           flowId: provvisorio["flow_id"], iuv: provvisorio["iuv"], line: line,
                                           provvisorioStatus: provvisorio["status"]))
                }
            }
        }
    }

    /// The transfers a credit pays, in the order its money covers them: the current rows of the flow it
    /// names, or the keys of the IUV a single payment's credit names. Heads come from the key's taxonomy
    /// code and from the metadata of its planned transfer, else of its receipt transfer.
    private static func creditParts(owner: String, flowId: String?, iuv: String?, keys: AccountingKeys,
                                    in db: Database) throws -> [ProvvisorioAttribution.Part] {
        func metadata(_ name: String, _ key: String?) -> String {
            // A head no key is configured for is absent: no row's metadata is searched for it.
            guard key != nil else { return "NULL AS \(name)" }
            return """
            coalesce(
                (SELECT json_extract(e.value, '$.value') FROM payment_option o
                    JOIN planned_transfer pt ON pt.option_id = o.id AND pt.id_transfer = k.transfer_index
                        AND pt.beneficiary_fiscal_code = k.creditor_fiscal_code
                    CROSS JOIN json_each(pt.metadata) e
                    WHERE o.iuv = k.iuv AND o.is_current = 1 AND json_extract(e.value, '$.key') = :\(name) LIMIT 1),
                (SELECT json_extract(e.value, '$.value') FROM receipt_transfer rt CROSS JOIN json_each(rt.metadata) e
                    WHERE rt.receipt_id = k.receipt_id AND rt.id_transfer = k.transfer_index AND json_extract(e.value, '$.key') = :\(name)
                    LIMIT 1)) AS \(name)
            """
        }
        let heads = """
            k.taxonomy_code, k.receipt_id IS NOT NULL OR k.iupd IS NOT NULL AS known,
            \(metadata("capitolo", keys.capitolo)), \(metadata("accertamento", keys.accertamento)), \(metadata("ufficio", keys.ufficio))
            """
        let sql: String
        if flowId != nil {
            sql = """
                SELECT r.amount_cents AS amount, \(heads)
                FROM flow_version v CROSS JOIN flow_row r ON r.flow_version_id = v.id
                LEFT JOIN key_verdict k ON k.creditor_fiscal_code = v.receiver_fiscal_code AND k.iuv = r.iuv AND k.iur = r.iur
                    AND k.transfer_index = r.transfer_index
                WHERE v.receiver_fiscal_code = :owner AND v.flow_id = :flow AND v.is_current = 1 AND r.amount_cents IS NOT NULL
                ORDER BY v.psp_id, r.position
                """
        } else {
            sql = """
                SELECT k.rt_amount_cents AS amount, \(heads)
                FROM key_verdict k
                WHERE k.creditor_fiscal_code = :owner AND k.iuv = :iuv AND k.rt_amount_cents IS NOT NULL
                ORDER BY k.iur, k.transfer_index
                """
        }
        // Cached: one of two statements, run for every provvisorio of the night.
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: ["owner": owner, "flow": flowId, "iuv": iuv, "capitolo": keys.capitolo,
                                                          "accertamento": keys.accertamento, "ufficio": keys.ufficio]).map { row in
            let known: Bool = row["known"] ?? false
            return ProvvisorioAttribution.Part(
                amountCents: row["amount"],
                heads: known ? .init(taxonomyCode: row["taxonomy_code"], capitolo: row["capitolo"], accertamento: row["accertamento"],
                                     ufficio: row["ufficio"]) : nil)
        }
    }

    /// The provvisori still to regularise and those whose verdict changed tonight (regularised, or
    /// regularised for another amount), or all with `everything`; one creditor's when `creditor` names it.
    public func provvisorioRows(asOf: CivilDate, everything: Bool, creditor: String? = nil,
                                calendar: WorkingDayCalendar = .italianBanking, _ body: (ProvvisorioRow) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT m.creditor_fiscal_code, m.account, p.fiscal_year, p.number, p.receipt_number,
                    coalesce(p.effective_date, m.booking_date) AS day, m.booking_date, m.amount_cents, p.management_code, m.raw_causale,
                    mv.label, pv.status, pv.regularised_cents, pv.reversali, pv.regularised_on,
                    \(Store.change(changedOn: "pv.changed_on", open: "pv.open = 1", was: [("pv.previous_status", "pv.status")]))
                FROM provvisorio_verdict pv CROSS JOIN provvisorio p ON p.movement_id = pv.movement_id
                CROSS JOIN treasury_movement m ON m.movement_id = pv.movement_id
                LEFT JOIN movement_verdict mv ON mv.movement_id = pv.movement_id
                WHERE (:everything OR pv.open = 1 OR pv.changed_on = :day) AND (:creditor IS NULL OR m.creditor_fiscal_code = :creditor)
                ORDER BY m.creditor_fiscal_code, p.fiscal_year, p.number_value, pv.movement_id
                """, arguments: ["everything": everything, "day": asOf.description, "creditor": creditor])
            while let row = try rows.next() {
                let day: String = row["day"]
                let status: String = row["status"]
                let end = status == ProvvisorioStatus.regularised.rawValue ? (row["regularised_on"] as String?).flatMap(CivilDate.init(iso:)) : asOf
                try body(ProvvisorioRow(
                    creditor: row["creditor_fiscal_code"], account: row["account"], fiscalYear: row["fiscal_year"], number: row["number"],
                    receiptNumber: row["receipt_number"], provvisorioDate: day, bookingDate: row["booking_date"],
                    amountCents: row["amount_cents"], managementCode: row["management_code"], causale: row["raw_causale"],
                    movementLabel: row["label"], status: status, regularisedCents: row["regularised_cents"], reversali: row["reversali"],
                    regularisedOn: row["regularised_on"],
                    workingDays: CivilDate(iso: day).flatMap { start in end.map { calendar.workingDays(after: start, through: $0) } },
                    change: row[15], previousStatus: row[16]))
            }
        }
    }
}
