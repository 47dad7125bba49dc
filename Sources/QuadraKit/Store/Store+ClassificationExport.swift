import GRDB

/// One row of `classifications-v1.4.csv.gz`: a classified transfer in the column set of P4PA's (formerly
/// MyPivot's) `CLASSIFICATIONS` export, version 1.4 with notification, so offices that import that file
/// keep their importers. Quadra fills what its documents say and leaves the other columns empty:
/// amounts in decimal euro, dates ISO, date-times ISO in UTC (`Z`).
public struct ClassificationExportRow: Sendable, Equatable {
    /// The creditor whose key the row is (no column of the export says it: `domain` is the receipt's
    /// primary creditor), for its folder.
    public var creditor: String
    /// The values by column name; a column absent here is written empty.
    public var values: [String: String]

    /// In the order of declaration of the export: receipt (`_e`), flow (`_r`), treasury (`_t`) and the
    /// classification, notification (`_i`), secondary beneficiary (`_pa1`).
    public static let columns = [
        // Receipt (_e)
        "de_nome_flusso_e", "num_riga_flusso_e", "cod_iud_e", "cod_rp_silinviarp_id_univoco_versamento_e",
        "de_e_versione_oggetto_e", "cod_e_dom_id_dominio_e", "cod_e_dom_id_stazione_richiedente_e",
        "cod_e_id_messaggio_ricevuta_e", "dt_e_data_ora_messaggio_ricevuta_e", "cod_e_riferimento_messaggio_richiesta_e",
        "dt_e_riferimento_data_richiesta_e", "cod_e_istit_att_id_univ_att_tipo_id_univoco_e",
        "cod_e_istit_att_id_univ_att_codice_id_univoco_e", "de_e_istit_att_denominazione_attestante_e",
        "cod_e_istit_att_codice_unit_oper_attestante_e", "de_e_istit_att_denom_unit_oper_attestante_e",
        "de_e_istit_att_indirizzo_attestante_e", "de_e_istit_att_civico_attestante_e", "cod_e_istit_att_cap_attestante_e",
        "de_e_istit_att_localita_attestante_e", "de_e_istit_att_provincia_attestante_e", "cod_e_istit_att_nazione_attestante_e",
        "cod_e_ente_benef_id_univ_benef_tipo_id_univoco_e", "cod_e_ente_benef_id_univ_benef_codice_id_univoco_e",
        "de_e_ente_benef_denominazione_beneficiario_e", "cod_e_ente_benef_codice_unit_oper_beneficiario_e",
        "de_e_ente_benef_denom_unit_oper_beneficiario_e", "de_e_ente_benef_indirizzo_beneficiario_e",
        "de_e_ente_benef_civico_beneficiario_e", "cod_e_ente_benef_cap_beneficiario_e",
        "de_e_ente_benef_localita_beneficiario_e", "de_e_ente_benef_provincia_beneficiario_e",
        "cod_e_ente_benef_nazione_beneficiario_e", "cod_e_sogg_vers_id_univ_vers_tipo_id_univoco_e",
        "cod_e_sogg_vers_id_univ_vers_codice_id_univoco_e", "cod_e_sogg_vers_anagrafica_versante_e",
        "de_e_sogg_vers_indirizzo_versante_e", "de_e_sogg_vers_civico_versante_e", "cod_e_sogg_vers_cap_versante_e",
        "de_e_sogg_vers_localita_versante_e", "de_e_sogg_vers_provincia_versante_e", "cod_e_sogg_vers_nazione_versante_e",
        "de_e_sogg_vers_email_versante_e", "cod_e_sogg_pag_id_univ_pag_tipo_id_univoco_e",
        "cod_e_sogg_pag_id_univ_pag_codice_id_univoco_e", "cod_e_sogg_pag_anagrafica_pagatore_e",
        "de_e_sogg_pag_indirizzo_pagatore_e", "de_e_sogg_pag_civico_pagatore_e", "cod_e_sogg_pag_cap_pagatore_e",
        "de_e_sogg_pag_localita_pagatore_e", "de_e_sogg_pag_provincia_pagatore_e", "cod_e_sogg_pag_nazione_pagatore_e",
        "de_e_sogg_pag_email_pagatore_e", "cod_e_dati_pag_codice_esito_pagamento_e", "num_e_dati_pag_importo_totale_pagato_e",
        "cod_e_dati_pag_id_univoco_versamento_e", "cod_e_dati_pag_codice_contesto_pagamento_e",
        "num_e_dati_pag_dati_sing_pag_singolo_importo_pagato_e", "de_e_dati_pag_dati_sing_pag_esito_singolo_pagamento_e",
        "dt_e_dati_pag_dati_sing_pag_data_esito_singolo_pagamento_e", "cod_e_dati_pag_dati_sing_pag_id_univoco_riscoss_e",
        "de_e_dati_pag_dati_sing_pag_causale_versamento_e", "de_e_dati_pag_dati_sing_pag_dati_specifici_riscossione_e",
        "cod_tipo_dovuto_e", "dt_acquisizione_e", "bilancioE",
        // Reporting flow (_r)
        "versione_oggetto_r", "cod_identificativo_flusso_r", "dt_data_ora_flusso_r", "cod_identificativo_univoco_regolamento_r",
        "dt_data_regolamento_r", "cod_ist_mitt_id_univ_mitt_tipo_identificativo_univoco_r",
        "cod_ist_mitt_id_univ_mitt_codice_identificativo_univoco_r", "de_ist_mitt_denominazione_mittente_r",
        "cod_ist_ricev_id_univ_ricev_tipo_identificativo_univoco_r",
        "cod_ist_ricev_id_univ_ricev_codice_identificativo_univoco_r", "de_ist_ricev_denominazione_ricevente_r",
        "num_numero_totale_pagamenti_r", "num_importo_totale_pagamenti_r",
        "cod_dati_sing_pagam_identificativo_univoco_versamento_r", "cod_dati_sing_pagam_identificativo_univoco_riscossione_r",
        "num_dati_sing_pagam_singolo_importo_pagato_r", "cod_dati_sing_pagam_codice_esito_singolo_pagamento_r",
        "dt_dati_sing_pagam_data_esito_singolo_pagamento_r", "dt_acquisizione_r",
        // Treasury (_t) and classification
        "cod_abi_t", "cod_cab_t", "cod_conto_tesoreria", "cod_divisa_t", "dt_data_contabile_t", "dt_data_valuta_t",
        "num_importo_tesoreria", "cod_segno_t", "de_causale_t", "cod_numero_assegno_t", "cod_riferimento_banca_t",
        "cod_riferimento_cliente_t", "dt_data_ordine_t", "de_descrizione_ordinante_t", "cod_or1_t", "cod_id_univoco_flusso_t",
        "cod_id_univoco_versamento_t", "dt_acquisizione_t", "de_anno_bolletta_t", "cod_bolletta_t", "cod_id_dominio_t",
        "dt_ricezione_t", "de_anno_documento_t", "cod_documento_t", "de_anno_provvisorio_t", "cod_provvisorio_t",
        "dt_effettiva_sospeso_t", "codice_gestionale_provvisorio_t", "classificazione_completezza",
        "dt_data_ultimo_aggiornamento",
        // Notification (_i, "with notification" profiles only)
        "cod_iud_i", "cod_rp_silinviarp_id_univoco_versamento_i", "cod_rp_sogg_pag_id_univ_pag_tipo_id_univoco_i",
        "cod_rp_sogg_pag_id_univ_pag_codice_id_univoco_i", "de_rp_sogg_pag_anagrafica_pagatore_i",
        "de_rp_sogg_pag_indirizzo_pagatore_i", "de_rp_sogg_pag_civico_pagatore_i", "cod_rp_sogg_pag_cap_pagatore_i",
        "de_rp_sogg_pag_localita_pagatore_i", "de_rp_sogg_pag_provincia_pagatore_i", "cod_rp_sogg_pag_nazione_pagatore_i",
        "de_rp_sogg_pag_email_pagatore_i", "dt_rp_dati_vers_data_esecuzione_pagamento_i", "cod_rp_dati_vers_tipo_versamento_i",
        "num_rp_dati_vers_dati_sing_vers_importo_singolo_versamento_i",
        "num_rp_dati_vers_dati_sing_vers_commissione_carico_pa_i", "de_rp_dati_vers_dati_sing_vers_causale_versamento_i",
        "de_rp_dati_vers_dati_sing_vers_dati_specifici_riscossione_i", "cod_tipo_dovuto_i", "bilancio_i", "dt_acquisizione_i",
        // Secondary beneficiary (_pa1, version 1.4 only)
        "cod_tipo_dovuto_pa1", "de_tipo_dovuto_pa1", "cod_tassonomico_dovuto_pa1", "cod_fiscale_pa1", "de_nome_pa1",
    ]

    public var fields: [String?] { Self.columns.map { values[$0] } }
}

extension Store {
    /// The classified transfers for the export: the keys whose verdict changed tonight and those
    /// still open (like classification.csv.gz), or all with `everything`; one creditor's when
    /// `creditor` names it. Payer and debtor identifiers and names are masked unless `unmask`.
    /// The treasury columns are those of the first credit of the key's flow, else of its IUV's
    /// `/RFB/` credit; every lookup is an indexed one, so the export costs what the keys do.
    public func classificationExportRows(asOf: CivilDate, everything: Bool, creditor: String? = nil, unmask: Bool = false,
                                         _ body: (ClassificationExportRow) throws -> Void) throws {
        try pool.read { db in
            // Tonight's keys through the `changed_on` and `open` indexes, as classification.csv.gz finds them.
            let keys = everything ? "SELECT * FROM key_verdict" : """
                SELECT * FROM key_verdict WHERE changed_on = :day UNION ALL SELECT * FROM key_verdict WHERE open = 1 AND changed_on <> :day
                """
            let rows = try Row.fetchCursor(db, sql: """
                WITH chosen AS (SELECT * FROM (\(keys)) WHERE :creditor IS NULL OR creditor_fiscal_code = :creditor)
                SELECT k.creditor_fiscal_code, k.iuv, k.iur, k.transfer_index, k.label, k.changed_on, k.payment_day, k.rt_amount_cents,
                    k.iuf, k.settlement_reference, k.settlement_date,
                    r.receipt_id, r.version, r.fiscal_code AS domain, r.notice_number, r.payment_date_time, r.outcome,
                    r.payment_amount_cents, r.company_name, r.psp_id, r.psp_company_name, r.debtor_type, r.debtor_id, r.debtor_name,
                    r.payer_type, r.payer_id, r.payer_name, rd.ingested_at AS receipt_ingested,
                    rt.remittance_information, rt.taxonomy_code AS receipt_taxonomy,
                    v.flow_id, v.flow_instant, v.sender_type, v.sender_id, v.sender_name, v.receiver_fiscal_code, v.receiver_name,
                    v.declared_count, v.declared_total_cents, fd.ingested_at AS flow_ingested,
                    fr.iuv AS row_iuv, fr.iur AS row_iur, fr.amount_cents AS row_amount, fr.outcome AS row_outcome, fr.outcome_code, fr.outcome_date,
                    t.account, t.booking_date, t.value_date, t.amount_cents AS tes_amount, t.raw_causale, t.reference, t.end_to_end_id,
                    t.debtor_name AS orderer, t.flow_id AS tes_flow, t.iuv AS tes_iuv, t.creditor_fiscal_code AS tes_creditor,
                    td.ingested_at AS tes_ingested, p.fiscal_year, p.number AS provvisorio_number, p.receipt_number,
                    p.effective_date, p.management_code,
                    (SELECT g.fiscal_year || '|' || g.document_number FROM treasury_regularisation g
                        WHERE g.creditor_fiscal_code = t.creditor_fiscal_code AND g.fiscal_year = p.fiscal_year
                          AND g.provvisorio_number_value = p.number_value
                        ORDER BY g.booking_date, g.document_number LIMIT 1) AS reversale,
                    o.nav, o.due_date, dp.debtor_type AS position_debtor_type, dp.debtor_id AS position_debtor_id,
                    dp.debtor_name AS position_debtor_name, pd.ingested_at AS position_ingested,
                    pt.amount_cents AS planned_amount, pt.remittance_information AS planned_remittance, pt.taxonomy_code AS planned_taxonomy,
                    sb.beneficiary_fiscal_code AS secondary, sb.company_name AS secondary_name, sb.taxonomy_code AS secondary_taxonomy
                FROM chosen k
                LEFT JOIN receipt r ON r.receipt_id = k.receipt_id
                LEFT JOIN document rd ON rd.id = r.document_id
                LEFT JOIN receipt_transfer rt ON rt.receipt_id = k.receipt_id AND rt.id_transfer = k.transfer_index
                LEFT JOIN flow_version v ON v.receiver_fiscal_code = k.creditor_fiscal_code AND v.psp_id = k.flow_psp_id
                    AND v.flow_id = k.iuf AND v.is_current = 1
                LEFT JOIN document fd ON fd.id = v.document_id
                LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.position = (
                    SELECT min(x.position) FROM flow_row x WHERE x.flow_version_id = v.id AND x.iuv = k.iuv AND x.iur = k.iur
                        AND x.transfer_index = k.transfer_index)
                LEFT JOIN treasury_movement t ON t.movement_id = coalesce(
                    (SELECT n.movement_id FROM treasury_movement n
                        WHERE n.creditor_fiscal_code = k.creditor_fiscal_code AND n.flow_id = k.iuf AND n.sign = 'credit'
                        ORDER BY n.booking_date, coalesce(n.reference, n.movement_id) LIMIT 1),
                    (SELECT n.movement_id FROM treasury_movement n
                        WHERE n.iuv = k.iuv AND n.creditor_fiscal_code = k.creditor_fiscal_code AND n.flow_id IS NULL AND n.sign = 'credit'
                        ORDER BY n.booking_date, coalesce(n.reference, n.movement_id) LIMIT 1))
                LEFT JOIN document td ON td.id = t.document_id
                LEFT JOIN provvisorio p ON p.movement_id = t.movement_id
                LEFT JOIN payment_option o ON k.iupd IS NOT NULL AND o.id = coalesce(
                    (SELECT o2.id FROM payment_option o2 WHERE o2.iuv = k.iuv AND o2.is_current = 1
                        AND o2.creditor_fiscal_code = k.creditor_fiscal_code),
                    (SELECT min(o2.id) FROM payment_option o2 WHERE o2.iuv = k.iuv AND o2.is_current = 1))
                LEFT JOIN debt_position dp ON dp.id = o.position_id
                LEFT JOIN document pd ON pd.id = dp.document_id
                LEFT JOIN planned_transfer pt ON pt.option_id = o.id AND pt.id_transfer = k.transfer_index
                LEFT JOIN receipt_transfer sb ON sb.receipt_id = k.receipt_id AND sb.id_transfer = (
                    SELECT min(s.id_transfer) FROM receipt_transfer s WHERE s.receipt_id = k.receipt_id
                        AND s.beneficiary_fiscal_code <> r.fiscal_code)
                ORDER BY k.creditor_fiscal_code, k.iuv, k.iur, k.transfer_index
                """, arguments: ["day": asOf.description, "creditor": creditor])
            while let row = try rows.next() {
                try body(ClassificationExportRow(creditor: row["creditor_fiscal_code"], values: Self.exportValues(row, unmask: unmask)))
            }
        }
    }

    private static func exportValues(_ row: Row, unmask: Bool) -> [String: String] {
        var values: [String: String] = [:]
        func text(_ column: String, _ name: String) { if let value: String = row[name] { values[column] = value } }
        func euro(_ column: String, _ name: String) { if let cents: Int64 = row[name] { values[column] = Money.format(cents) } }
        func day(_ column: String, _ name: String) {
            if let value: String = row[name] { values[column] = RomeTime.localDate(ofUTC: value)?.description ?? String(value.prefix(10)) }
        }
        func person(_ column: String, _ name: String) {
            if let value: String = row[name] { values[column] = unmask ? value : ReportWriter.mask(value) }
        }
        func category(_ column: String, _ name: String) { if let code: String = row[name] { values[column] = "9/\(code)/" } }
        // Receipt
        text("cod_iud_e", "notice_number")
        text("cod_rp_silinviarp_id_univoco_versamento_e", "iuv")
        text("de_e_versione_oggetto_e", "version")
        text("cod_e_dom_id_dominio_e", "domain")
        text("cod_e_id_messaggio_ricevuta_e", "receipt_id")
        if let paid: String = row["payment_date_time"] {
            values["dt_e_data_ora_messaggio_ricevuta_e"] = RomeTime.utc(fromInstant: paid) ?? RomeTime.utc(fromLocal: paid)
        }
        text("cod_e_istit_att_codice_id_univoco_e", "psp_id")
        text("de_e_istit_att_denominazione_attestante_e", "psp_company_name")
        if row["receipt_id"] as String? != nil { values["cod_e_ente_benef_id_univ_benef_tipo_id_univoco_e"] = "G" }
        text("cod_e_ente_benef_id_univ_benef_codice_id_univoco_e", "domain")
        text("de_e_ente_benef_denominazione_beneficiario_e", "company_name")
        text("cod_e_sogg_vers_id_univ_vers_tipo_id_univoco_e", "payer_type")
        person("cod_e_sogg_vers_id_univ_vers_codice_id_univoco_e", "payer_id")
        person("cod_e_sogg_vers_anagrafica_versante_e", "payer_name")
        text("cod_e_sogg_pag_id_univ_pag_tipo_id_univoco_e", "debtor_type")
        person("cod_e_sogg_pag_id_univ_pag_codice_id_univoco_e", "debtor_id")
        person("cod_e_sogg_pag_anagrafica_pagatore_e", "debtor_name")
        if let outcome: String = row["outcome"] { values["cod_e_dati_pag_codice_esito_pagamento_e"] = outcome == "OK" ? "0" : "1" }
        euro("num_e_dati_pag_importo_totale_pagato_e", "payment_amount_cents")
        text("cod_e_dati_pag_id_univoco_versamento_e", "iuv")
        text("cod_e_dati_pag_codice_contesto_pagamento_e", "receipt_id")
        if row["receipt_id"] as String? != nil {
            euro("num_e_dati_pag_dati_sing_pag_singolo_importo_pagato_e", "rt_amount_cents")
            text("dt_e_dati_pag_dati_sing_pag_data_esito_singolo_pagamento_e", "payment_day")
            text("cod_e_dati_pag_dati_sing_pag_id_univoco_riscoss_e", "receipt_id")
        }
        text("de_e_dati_pag_dati_sing_pag_causale_versamento_e", "remittance_information")
        category("de_e_dati_pag_dati_sing_pag_dati_specifici_riscossione_e", "receipt_taxonomy")
        day("dt_acquisizione_e", "receipt_ingested")
        // Flow
        text("cod_identificativo_flusso_r", "flow_id")
        text("dt_data_ora_flusso_r", "flow_instant")
        if row["flow_id"] as String? != nil {
            text("cod_identificativo_univoco_regolamento_r", "settlement_reference")
            text("dt_data_regolamento_r", "settlement_date")
            values["cod_ist_ricev_id_univ_ricev_tipo_identificativo_univoco_r"] = "G"
        }
        text("cod_ist_mitt_id_univ_mitt_tipo_identificativo_univoco_r", "sender_type")
        text("cod_ist_mitt_id_univ_mitt_codice_identificativo_univoco_r", "sender_id")
        text("de_ist_mitt_denominazione_mittente_r", "sender_name")
        text("cod_ist_ricev_id_univ_ricev_codice_identificativo_univoco_r", "receiver_fiscal_code")
        text("de_ist_ricev_denominazione_ricevente_r", "receiver_name")
        if let count: Int64 = row["declared_count"] { values["num_numero_totale_pagamenti_r"] = String(count) }
        euro("num_importo_totale_pagamenti_r", "declared_total_cents")
        text("cod_dati_sing_pagam_identificativo_univoco_versamento_r", "row_iuv")
        text("cod_dati_sing_pagam_identificativo_univoco_riscossione_r", "row_iur")
        euro("num_dati_sing_pagam_singolo_importo_pagato_r", "row_amount")
        if let outcome = (row["row_outcome"] as String?).flatMap(FlowOutcome.init(rawValue:)) {
            values["cod_dati_sing_pagam_codice_esito_singolo_pagamento_r"] = outcome.xmlCode ?? row["outcome_code"]
        }
        text("dt_dati_sing_pagam_data_esito_singolo_pagamento_r", "outcome_date")
        day("dt_acquisizione_r", "flow_ingested")
        // Treasury and classification
        if let account: String = row["account"] {
            // An Italian IBAN names its bank (ABI) and branch (CAB); an OPI conto_evidenza does not.
            let iban = Array(account.utf8)
            if account.hasPrefix("IT"), iban.count == 27 {
                values["cod_abi_t"] = String(decoding: iban[5..<10], as: UTF8.self)
                values["cod_cab_t"] = String(decoding: iban[10..<15], as: UTF8.self)
            }
            values["cod_conto_tesoreria"] = account
            values["cod_divisa_t"] = "EUR"
        }
        text("dt_data_contabile_t", "booking_date")
        text("dt_data_valuta_t", "value_date")
        euro("num_importo_tesoreria", "tes_amount")
        text("de_causale_t", "raw_causale")
        text("cod_riferimento_banca_t", "reference")
        text("cod_riferimento_cliente_t", "end_to_end_id")
        text("de_descrizione_ordinante_t", "orderer")
        text("cod_id_univoco_flusso_t", "tes_flow")
        text("cod_id_univoco_versamento_t", "tes_iuv")
        day("dt_acquisizione_t", "tes_ingested")
        if let year: Int64 = row["fiscal_year"] {
            values["de_anno_bolletta_t"] = String(year)
            values["de_anno_provvisorio_t"] = String(year)
        }
        text("cod_bolletta_t", "receipt_number")
        text("cod_id_dominio_t", "tes_creditor")
        if let reversale: String = row["reversale"], let bar = reversale.firstIndex(of: "|") {
            values["de_anno_documento_t"] = String(reversale[..<bar])
            values["cod_documento_t"] = String(reversale[reversale.index(after: bar)...])
        }
        text("cod_provvisorio_t", "provvisorio_number")
        text("dt_effettiva_sospeso_t", "effective_date")
        text("codice_gestionale_provvisorio_t", "management_code")
        text("classificazione_completezza", "label")
        text("dt_data_ultimo_aggiornamento", "changed_on")
        // Notification: the position's option and planned transfer
        if row["nav"] as String? != nil || row["planned_amount"] as Int64? != nil {
            text("cod_iud_i", "nav")
            text("cod_rp_silinviarp_id_univoco_versamento_i", "iuv")
        }
        text("cod_rp_sogg_pag_id_univ_pag_tipo_id_univoco_i", "position_debtor_type")
        person("cod_rp_sogg_pag_id_univ_pag_codice_id_univoco_i", "position_debtor_id")
        person("de_rp_sogg_pag_anagrafica_pagatore_i", "position_debtor_name")
        if let due: String = row["due_date"] { values["dt_rp_dati_vers_data_esecuzione_pagamento_i"] = String(due.prefix(10)) }
        euro("num_rp_dati_vers_dati_sing_vers_importo_singolo_versamento_i", "planned_amount")
        text("de_rp_dati_vers_dati_sing_vers_causale_versamento_i", "planned_remittance")
        category("de_rp_dati_vers_dati_sing_vers_dati_specifici_riscossione_i", "planned_taxonomy")
        day("dt_acquisizione_i", "position_ingested")
        // Secondary beneficiary of a multi-beneficiary receipt
        text("cod_tassonomico_dovuto_pa1", "secondary_taxonomy")
        text("cod_fiscale_pa1", "secondary")
        text("de_nome_pa1", "secondary_name")
        return values
    }
}

extension FlowOutcome {
    /// The FdR XML `codiceEsitoSingoloPagamento` MyPivot's columns hold, whichever channel reported the row.
    fileprivate var xmlCode: String? {
        switch self {
        case .executed: return "0"
        case .revoked: return "3"
        case .standIn: return "4"
        case .standInNoRPT: return "8"
        case .noRPT: return "9"
        case .unknown: return nil
        }
    }
}
