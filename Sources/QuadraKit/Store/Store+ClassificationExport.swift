import GRDB

/// One row of `classifications-v1.4.csv.gz`: a classified transfer in the column set of P4PA's (formerly
/// MyPivot's) `CLASSIFICATIONS` export, version 1.4 with notification, so offices that import that file
/// keep their importers. Quadra fills what its documents say and leaves the other columns empty:
/// amounts in decimal euro, dates ISO, date-times ISO in UTC (`Z`).
public struct ClassificationExportRow: Sendable, Equatable {
    /// The creditor whose key the row is (no column of the export says it: `domain` is the receipt's
    /// primary creditor), for its folder.
    public var creditor: String
    /// The values in the order of `columns`; an absent one is written empty.
    public var fields: [String?]

    /// P4PA's column names, in the order of `layout`.
    public static let columns = layout.map(\.column)

    /// Every column of the export with the Quadra value it holds (none: always empty), in the order of
    /// declaration of the export: receipt (`_e`), flow (`_r`), treasury (`_t`) and the classification,
    /// notification (`_i`), secondary beneficiary (`_pa1`). A value reads the query's row by position,
    /// so a row of 141 columns costs no lookup by name.
    fileprivate static let layout: [(column: String, value: (@Sendable (ExportSource) -> String?)?)] = [
        // Receipt (_e)
        ("de_nome_flusso_e", nil),
        ("num_riga_flusso_e", nil),
        ("cod_iud_e", { $0[.noticeNumber] }),
        ("cod_rp_silinviarp_id_univoco_versamento_e", { $0[.iuv] }),
        ("de_e_versione_oggetto_e", { $0[.version] }),
        ("cod_e_dom_id_dominio_e", { $0[.domain] }),
        ("cod_e_dom_id_stazione_richiedente_e", nil),
        ("cod_e_id_messaggio_ricevuta_e", { $0[.receiptId] }),
        ("dt_e_data_ora_messaggio_ricevuta_e", { $0[.paymentDateTime].flatMap { RomeTime.utc(fromInstant: $0) ?? RomeTime.utc(fromLocal: $0) } }),
        ("cod_e_riferimento_messaggio_richiesta_e", nil),
        ("dt_e_riferimento_data_richiesta_e", nil),
        ("cod_e_istit_att_id_univ_att_tipo_id_univoco_e", nil),
        ("cod_e_istit_att_id_univ_att_codice_id_univoco_e", { $0[.pspId] }),
        ("de_e_istit_att_denominazione_attestante_e", { $0[.pspCompanyName] }),
        ("cod_e_istit_att_codice_unit_oper_attestante_e", nil),
        ("de_e_istit_att_denom_unit_oper_attestante_e", nil),
        ("de_e_istit_att_indirizzo_attestante_e", nil),
        ("de_e_istit_att_civico_attestante_e", nil),
        ("cod_e_istit_att_cap_attestante_e", nil),
        ("de_e_istit_att_localita_attestante_e", nil),
        ("de_e_istit_att_provincia_attestante_e", nil),
        ("cod_e_istit_att_nazione_attestante_e", nil),
        ("cod_e_ente_benef_id_univ_benef_tipo_id_univoco_e", { $0[.receiptId].map { _ in "G" } }),
        ("cod_e_ente_benef_id_univ_benef_codice_id_univoco_e", { $0[.domain] }),
        ("de_e_ente_benef_denominazione_beneficiario_e", { $0[.companyName] }),
        ("cod_e_ente_benef_codice_unit_oper_beneficiario_e", nil),
        ("de_e_ente_benef_denom_unit_oper_beneficiario_e", nil),
        ("de_e_ente_benef_indirizzo_beneficiario_e", nil),
        ("de_e_ente_benef_civico_beneficiario_e", nil),
        ("cod_e_ente_benef_cap_beneficiario_e", nil),
        ("de_e_ente_benef_localita_beneficiario_e", nil),
        ("de_e_ente_benef_provincia_beneficiario_e", nil),
        ("cod_e_ente_benef_nazione_beneficiario_e", nil),
        ("cod_e_sogg_vers_id_univ_vers_tipo_id_univoco_e", { $0[.payerType] }),
        ("cod_e_sogg_vers_id_univ_vers_codice_id_univoco_e", { $0.person(.payerId) }),
        ("cod_e_sogg_vers_anagrafica_versante_e", { $0.person(.payerName) }),
        ("de_e_sogg_vers_indirizzo_versante_e", nil),
        ("de_e_sogg_vers_civico_versante_e", nil),
        ("cod_e_sogg_vers_cap_versante_e", nil),
        ("de_e_sogg_vers_localita_versante_e", nil),
        ("de_e_sogg_vers_provincia_versante_e", nil),
        ("cod_e_sogg_vers_nazione_versante_e", nil),
        ("de_e_sogg_vers_email_versante_e", nil),
        ("cod_e_sogg_pag_id_univ_pag_tipo_id_univoco_e", { $0[.debtorType] }),
        ("cod_e_sogg_pag_id_univ_pag_codice_id_univoco_e", { $0.person(.debtorId) }),
        ("cod_e_sogg_pag_anagrafica_pagatore_e", { $0.person(.debtorName) }),
        ("de_e_sogg_pag_indirizzo_pagatore_e", nil),
        ("de_e_sogg_pag_civico_pagatore_e", nil),
        ("cod_e_sogg_pag_cap_pagatore_e", nil),
        ("de_e_sogg_pag_localita_pagatore_e", nil),
        ("de_e_sogg_pag_provincia_pagatore_e", nil),
        ("cod_e_sogg_pag_nazione_pagatore_e", nil),
        ("de_e_sogg_pag_email_pagatore_e", nil),
        ("cod_e_dati_pag_codice_esito_pagamento_e", { $0[.outcome].map { $0 == "OK" ? "0" : "1" } }),
        ("num_e_dati_pag_importo_totale_pagato_e", { $0.euro(.paymentAmountCents) }),
        ("cod_e_dati_pag_id_univoco_versamento_e", { $0[.iuv] }),
        ("cod_e_dati_pag_codice_contesto_pagamento_e", { $0[.receiptId] }),
        ("num_e_dati_pag_dati_sing_pag_singolo_importo_pagato_e", { $0[.receiptId] == nil ? nil : $0.euro(.rtAmountCents) }),
        ("de_e_dati_pag_dati_sing_pag_esito_singolo_pagamento_e", nil),
        ("dt_e_dati_pag_dati_sing_pag_data_esito_singolo_pagamento_e", { $0[.receiptId] == nil ? nil : $0[.paymentDay] }),
        ("cod_e_dati_pag_dati_sing_pag_id_univoco_riscoss_e", { $0[.receiptId] }),
        ("de_e_dati_pag_dati_sing_pag_causale_versamento_e", { $0[.remittanceInformation] }),
        ("de_e_dati_pag_dati_sing_pag_dati_specifici_riscossione_e", { $0.category(.receiptTaxonomy) }),
        ("cod_tipo_dovuto_e", nil),
        ("dt_acquisizione_e", { $0.day(.receiptIngested) }),
        ("bilancioE", nil),
        // Reporting flow (_r)
        ("versione_oggetto_r", nil),
        ("cod_identificativo_flusso_r", { $0[.flowId] }),
        ("dt_data_ora_flusso_r", { $0[.flowInstant] }),
        ("cod_identificativo_univoco_regolamento_r", { $0[.flowId] == nil ? nil : $0[.settlementReference] }),
        ("dt_data_regolamento_r", { $0[.flowId] == nil ? nil : $0[.settlementDate] }),
        ("cod_ist_mitt_id_univ_mitt_tipo_identificativo_univoco_r", { $0[.senderType] }),
        ("cod_ist_mitt_id_univ_mitt_codice_identificativo_univoco_r", { $0[.senderId] }),
        ("de_ist_mitt_denominazione_mittente_r", { $0[.senderName] }),
        ("cod_ist_ricev_id_univ_ricev_tipo_identificativo_univoco_r", { $0[.flowId].map { _ in "G" } }),
        ("cod_ist_ricev_id_univ_ricev_codice_identificativo_univoco_r", { $0[.receiverFiscalCode] }),
        ("de_ist_ricev_denominazione_ricevente_r", { $0[.receiverName] }),
        ("num_numero_totale_pagamenti_r", { $0[.declaredCount] }),
        ("num_importo_totale_pagamenti_r", { $0.euro(.declaredTotalCents) }),
        ("cod_dati_sing_pagam_identificativo_univoco_versamento_r", { $0[.rowIuv] }),
        ("cod_dati_sing_pagam_identificativo_univoco_riscossione_r", { $0[.rowIur] }),
        ("num_dati_sing_pagam_singolo_importo_pagato_r", { $0.euro(.rowAmountCents) }),
        ("cod_dati_sing_pagam_codice_esito_singolo_pagamento_r", { row in
            row[.rowOutcome].flatMap(FlowOutcome.init(rawValue:)).flatMap { $0.xmlCode ?? row[.outcomeCode] } }),
        ("dt_dati_sing_pagam_data_esito_singolo_pagamento_r", { $0[.outcomeDate] }),
        ("dt_acquisizione_r", { $0.day(.flowIngested) }),
        // Treasury (_t) and classification; an Italian IBAN names its bank (ABI) and branch (CAB), an OPI
        // conto_evidenza does not.
        ("cod_abi_t", { $0.italianIBAN.map { String(decoding: $0[5..<10], as: UTF8.self) } }),
        ("cod_cab_t", { $0.italianIBAN.map { String(decoding: $0[10..<15], as: UTF8.self) } }),
        ("cod_conto_tesoreria", { $0[.account] }),
        ("cod_divisa_t", { $0[.account].map { _ in "EUR" } }),
        ("dt_data_contabile_t", { $0[.bookingDate] }),
        ("dt_data_valuta_t", { $0[.valueDate] }),
        ("num_importo_tesoreria", { $0.euro(.tesAmountCents) }),
        ("cod_segno_t", nil),
        ("de_causale_t", { $0[.rawCausale] }),
        ("cod_numero_assegno_t", nil),
        ("cod_riferimento_banca_t", { $0[.reference] }),
        ("cod_riferimento_cliente_t", { $0[.endToEndId] }),
        ("dt_data_ordine_t", nil),
        ("de_descrizione_ordinante_t", { $0[.orderer] }),
        ("cod_or1_t", nil),
        ("cod_id_univoco_flusso_t", { $0[.tesFlow] }),
        ("cod_id_univoco_versamento_t", { $0[.tesIuv] }),
        ("dt_acquisizione_t", { $0.day(.tesIngested) }),
        ("de_anno_bolletta_t", { $0[.fiscalYear] }),
        ("cod_bolletta_t", { $0[.receiptNumber] }),
        ("cod_id_dominio_t", { $0[.tesCreditor] }),
        ("dt_ricezione_t", nil),
        ("de_anno_documento_t", { $0.reversale.map { String($0.year) } }),
        ("cod_documento_t", { $0.reversale.map { String($0.document) } }),
        ("de_anno_provvisorio_t", { $0[.fiscalYear] }),
        ("cod_provvisorio_t", { $0[.provvisorioNumber] }),
        ("dt_effettiva_sospeso_t", { $0[.effectiveDate] }),
        ("codice_gestionale_provvisorio_t", { $0[.managementCode] }),
        ("classificazione_completezza", { $0[.label] }),
        ("dt_data_ultimo_aggiornamento", { $0[.changedOn] }),
        // Notification (_i, "with notification" profiles only): the position's option and planned transfer
        ("cod_iud_i", { $0[.nav] }),
        ("cod_rp_silinviarp_id_univoco_versamento_i", { $0[.nav] == nil && $0[.plannedAmountCents] == nil ? nil : $0[.iuv] }),
        ("cod_rp_sogg_pag_id_univ_pag_tipo_id_univoco_i", { $0[.positionDebtorType] }),
        ("cod_rp_sogg_pag_id_univ_pag_codice_id_univoco_i", { $0.person(.positionDebtorId) }),
        ("de_rp_sogg_pag_anagrafica_pagatore_i", { $0.person(.positionDebtorName) }),
        ("de_rp_sogg_pag_indirizzo_pagatore_i", nil),
        ("de_rp_sogg_pag_civico_pagatore_i", nil),
        ("cod_rp_sogg_pag_cap_pagatore_i", nil),
        ("de_rp_sogg_pag_localita_pagatore_i", nil),
        ("de_rp_sogg_pag_provincia_pagatore_i", nil),
        ("cod_rp_sogg_pag_nazione_pagatore_i", nil),
        ("de_rp_sogg_pag_email_pagatore_i", nil),
        ("dt_rp_dati_vers_data_esecuzione_pagamento_i", { $0[.dueDate].map { String($0.prefix(10)) } }),
        ("cod_rp_dati_vers_tipo_versamento_i", nil),
        ("num_rp_dati_vers_dati_sing_vers_importo_singolo_versamento_i", { $0.euro(.plannedAmountCents) }),
        ("num_rp_dati_vers_dati_sing_vers_commissione_carico_pa_i", nil),
        ("de_rp_dati_vers_dati_sing_vers_causale_versamento_i", { $0[.plannedRemittance] }),
        ("de_rp_dati_vers_dati_sing_vers_dati_specifici_riscossione_i", { $0.category(.plannedTaxonomy) }),
        ("cod_tipo_dovuto_i", nil),
        ("bilancio_i", nil),
        ("dt_acquisizione_i", { $0.day(.positionIngested) }),
        // Secondary beneficiary (_pa1, version 1.4 only) of a multi-beneficiary receipt
        ("cod_tipo_dovuto_pa1", nil),
        ("de_tipo_dovuto_pa1", nil),
        ("cod_tassonomico_dovuto_pa1", { $0[.secondaryTaxonomy] }),
        ("cod_fiscale_pa1", { $0[.secondary] }),
        ("de_nome_pa1", { $0[.secondaryName] }),
    ]
}

/// The export's columns, each read by its position in the row the layout reads; each comes from one
/// of three queries (its `part`), whose select lists are built from them.
private enum ExportColumn: Int, CaseIterable {
    case creditor, iuv, label, changedOn, paymentDay, rtAmountCents, settlementReference, settlementDate
    case receiptId, version, domain, noticeNumber, paymentDateTime, outcome, paymentAmountCents, companyName, pspId,
         pspCompanyName, debtorType, debtorId, debtorName, payerType, payerId, payerName, receiptIngested
    case remittanceInformation, receiptTaxonomy
    case flowId, flowInstant, senderType, senderId, senderName, receiverFiscalCode, receiverName, declaredCount,
         declaredTotalCents, flowIngested
    case rowIuv, rowIur, rowAmountCents, rowOutcome, outcomeCode, outcomeDate
    case account, bookingDate, valueDate, tesAmountCents, rawCausale, reference, endToEndId, orderer, tesFlow, tesIuv,
         tesCreditor, tesIngested
    case fiscalYear, provvisorioNumber, receiptNumber, effectiveDate, managementCode, reversale
    case nav, dueDate, positionDebtorType, positionDebtorId, positionDebtorName, positionIngested
    case plannedAmountCents, plannedRemittance, plannedTaxonomy
    case secondary, secondaryName, secondaryTaxonomy

    var expression: String {
        switch self {
        case .creditor: "k.creditor_fiscal_code"
        case .iuv: "k.iuv"
        case .label: "k.label"
        case .changedOn: "k.changed_on"
        case .paymentDay: "k.payment_day"
        case .rtAmountCents: "k.rt_amount_cents"
        case .settlementReference: "k.settlement_reference"
        case .settlementDate: "k.settlement_date"
        case .receiptId: "r.receipt_id"
        case .version: "r.version"
        case .domain: "r.fiscal_code"
        case .noticeNumber: "r.notice_number"
        case .paymentDateTime: "r.payment_date_time"
        case .outcome: "r.outcome"
        case .paymentAmountCents: "r.payment_amount_cents"
        case .companyName: "r.company_name"
        case .pspId: "r.psp_id"
        case .pspCompanyName: "r.psp_company_name"
        case .debtorType: "r.debtor_type"
        case .debtorId: "r.debtor_id"
        case .debtorName: "r.debtor_name"
        case .payerType: "r.payer_type"
        case .payerId: "r.payer_id"
        case .payerName: "r.payer_name"
        case .receiptIngested: "rd.ingested_at"
        case .remittanceInformation: "rt.remittance_information"
        case .receiptTaxonomy: "rt.taxonomy_code"
        case .flowId: "v.flow_id"
        case .flowInstant: "v.flow_instant"
        case .senderType: "v.sender_type"
        case .senderId: "v.sender_id"
        case .senderName: "v.sender_name"
        case .receiverFiscalCode: "v.receiver_fiscal_code"
        case .receiverName: "v.receiver_name"
        case .declaredCount: "v.declared_count"
        case .declaredTotalCents: "v.declared_total_cents"
        case .flowIngested: "fd.ingested_at"
        case .rowIuv: "fr.iuv"
        case .rowIur: "fr.iur"
        case .rowAmountCents: "fr.amount_cents"
        case .rowOutcome: "fr.outcome"
        case .outcomeCode: "fr.outcome_code"
        case .outcomeDate: "fr.outcome_date"
        case .account: "t.account"
        case .bookingDate: "t.booking_date"
        case .valueDate: "t.value_date"
        case .tesAmountCents: "t.amount_cents"
        case .rawCausale: "t.raw_causale"
        case .reference: "t.reference"
        case .endToEndId: "t.end_to_end_id"
        case .orderer: "t.debtor_name"
        case .tesFlow: "t.flow_id"
        case .tesIuv: "t.iuv"
        case .tesCreditor: "t.creditor_fiscal_code"
        case .tesIngested: "td.ingested_at"
        case .fiscalYear: "p.fiscal_year"
        case .provvisorioNumber: "p.number"
        case .receiptNumber: "p.receipt_number"
        case .effectiveDate: "p.effective_date"
        case .managementCode: "p.management_code"
        case .reversale: """
            (SELECT g.fiscal_year || '|' || g.document_number FROM treasury_regularisation g
                WHERE g.creditor_fiscal_code = t.creditor_fiscal_code AND g.fiscal_year = p.fiscal_year
                  AND g.provvisorio_number_value = p.number_value
                ORDER BY g.booking_date, g.document_number LIMIT 1)
            """
        case .nav: "o.nav"
        case .dueDate: "o.due_date"
        case .positionDebtorType: "dp.debtor_type"
        case .positionDebtorId: "dp.debtor_id"
        case .positionDebtorName: "dp.debtor_name"
        case .positionIngested: "pd.ingested_at"
        case .plannedAmountCents: "pt.amount_cents"
        case .plannedRemittance: "pt.remittance_information"
        case .plannedTaxonomy: "pt.taxonomy_code"
        case .secondary: "sb.beneficiary_fiscal_code"
        case .secondaryName: "sb.company_name"
        case .secondaryTaxonomy: "sb.taxonomy_code"
        }
    }

    /// Where the value is read: the key's own row, its flow's current version, or the credit its
    /// treasury columns show. A flow's version and credit are the same for each of its keys (a hundred
    /// on average), so they are read once per flow, not once per key.
    enum Part { case key, flow, credit }

    var part: Part {
        switch self {
        case .flowId, .flowInstant, .senderType, .senderId, .senderName, .receiverFiscalCode, .receiverName, .declaredCount,
             .declaredTotalCents, .flowIngested: .flow
        case .account, .bookingDate, .valueDate, .tesAmountCents, .rawCausale, .reference, .endToEndId, .orderer, .tesFlow,
             .tesIuv, .tesCreditor, .tesIngested, .fiscalYear, .provvisorioNumber, .receiptNumber, .effectiveDate,
             .managementCode, .reversale: .credit
        default: .key
        }
    }

    /// The part's columns, in the order of its select list.
    static func of(_ part: Part) -> [ExportColumn] { allCases.filter { $0.part == part } }

    static func selectList(_ part: Part) -> String { of(part).map(\.expression).joined(separator: ", ") }
}

/// The last instant each column was read as a day: ingestion instants repeat row after row, and
/// comparing one costs less than reading it as Rome's date again.
private final class DayMemo {
    var last = [(instant: String, day: String)?](repeating: nil, count: ExportColumn.allCases.count)
}

/// One row of the export query as the layout reads it: values by position, spelled as P4PA wants them.
private struct ExportSource {
    let fields: [String?]
    let unmask: Bool
    let days: DayMemo

    subscript(_ column: ExportColumn) -> String? { fields[column.rawValue] }

    func euro(_ column: ExportColumn) -> String? { self[column].flatMap { Int64($0) }.map(Money.format) }

    /// An instant in UTC as its day in Rome, where the office is.
    func day(_ column: ExportColumn) -> String? {
        guard let instant = self[column] else { return nil }
        if let last = days.last[column.rawValue], last.instant == instant { return last.day }
        let day = RomeTime.localDate(ofUTC: instant)?.description ?? String(instant.prefix(10))
        days.last[column.rawValue] = (instant, day)
        return day
    }

    /// A payer's or debtor's identifier or name, masked unless `--unmask`.
    func person(_ column: ExportColumn) -> String? { self[column].map { unmask ? $0 : ReportWriter.mask($0) } }

    /// A taxonomy code as the `datiSpecificiRiscossione` category.
    func category(_ column: ExportColumn) -> String? { self[column].map { "9/\($0)/" } }

    /// The credit's account when it is an Italian IBAN, as bytes.
    var italianIBAN: [UInt8]? {
        guard let account = self[.account], account.hasPrefix("IT") else { return nil }
        let iban = Array(account.utf8)
        return iban.count == 27 ? iban : nil
    }

    /// The reversale that regularised the credit's provvisorio, stored as `year|number`.
    var reversale: (year: Substring, document: Substring)? {
        guard let reversale = self[.reversale], let bar = reversale.firstIndex(of: "|") else { return nil }
        return (reversale[..<bar], reversale[reversale.index(after: bar)...])
    }
}

extension Store {
    /// The classified transfers for the export: the keys whose verdict changed tonight and those
    /// still open (like classification.csv.gz), or all with `everything`; one creditor's when
    /// `creditor` names it. Payer and debtor identifiers and names are masked unless `unmask`.
    /// The treasury columns are those of the first credit of the key's flow, else of its IUV's
    /// `/RFB/` credit; every lookup is an indexed one, so the export costs what the keys do.
    public func classificationExportRows(asOf: CivilDate, everything: Bool, creditor: String? = nil, unmask: Bool = false,
                                         _ body: (ClassificationExportRow) throws -> Void) throws {
        // Tonight's keys through the `changed_on` and `open` indexes, as classification.csv.gz finds them, in
        // order (a merge of the two, no sort), drive one join that reads each key's own columns: no wide row
        // waits in a sort. `LIMIT -1` keeps the keys a subquery of their own, read in its order by the outer
        // loop: flattened into the join, the two halves would come one after the other. One statement stepped
        // through, where one run per key opened and closed its twenty-odd cursors each time, and its flow's
        // columns read once per flow: the export's reader thread took 13.0 s of CPU at 100,000 receipts, now 5.5 s.
        let keys = everything ? "SELECT creditor_fiscal_code, iuv, iur, transfer_index FROM key_verdict" : """
            SELECT creditor_fiscal_code, iuv, iur, transfer_index FROM key_verdict WHERE changed_on = :day
            UNION ALL SELECT creditor_fiscal_code, iuv, iur, transfer_index FROM key_verdict WHERE open = 1 AND changed_on <> :day
            """
        let days = DayMemo()
        try pool.read { db in
            let lookups = try ExportLookups(db)
            try Self.streamRows(db, sql: """
                SELECT \(ExportColumn.selectList(.key)), v.id, k.iuf
                FROM (SELECT * FROM (\(keys)) WHERE :creditor IS NULL OR creditor_fiscal_code = :creditor
                      ORDER BY 1, 2, 3, 4 LIMIT -1) kk
                CROSS JOIN key_verdict k ON k.creditor_fiscal_code = kk.creditor_fiscal_code AND k.iuv = kk.iuv
                    AND k.iur = kk.iur AND k.transfer_index = kk.transfer_index
                LEFT JOIN receipt r ON r.receipt_id = k.receipt_id
                LEFT JOIN document rd ON rd.id = r.document_id
                LEFT JOIN receipt_transfer rt ON rt.receipt_id = k.receipt_id AND rt.id_transfer = k.transfer_index
                LEFT JOIN flow_version v ON v.receiver_fiscal_code = k.creditor_fiscal_code AND v.psp_id = k.flow_psp_id
                    AND v.flow_id = k.iuf AND v.is_current = 1
                LEFT JOIN flow_row fr ON fr.flow_version_id = v.id AND fr.position = (
                    SELECT min(x.position) FROM flow_row x WHERE x.flow_version_id = v.id AND x.iuv = k.iuv AND x.iur = k.iur
                        AND x.transfer_index = k.transfer_index)
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
                """, arguments: ["day": asOf.description, "creditor": creditor]) { row in
                // Every join is on a unique key: one row per key.
                let fields = try lookups.fields(of: row)
                let source = ExportSource(fields: fields, unmask: unmask, days: days)
                try body(ClassificationExportRow(creditor: fields[ExportColumn.creditor.rawValue]!,
                                                 fields: ClassificationExportRow.layout.map { $0.value?(source) }))
            }
        }
    }
}

/// A key's flow and credit columns beside its own: a flow's current version and a flow's first credit
/// are read once and kept while its creditor's keys go by (keys come by creditor, so what is kept is
/// one creditor's flows, and at most `capacity` of them); the `/RFB/` credit of a key with no credited
/// flow is its own, read for it.
private final class ExportLookups {
    private static let capacity = 4096
    private static let keyColumns = ExportColumn.of(.key)
    private static let flowColumns = ExportColumn.of(.flow)
    private static let creditColumns = ExportColumn.of(.credit)

    private let version: RawStatement
    private let flowCredit: RawStatement
    private let iuvCredit: RawStatement
    private var creditor: String?
    /// A flow version's columns by its id.
    private var versions: [String: [String?]] = [:]
    /// A flow's first credit by the flow's id (nil: none).
    private var credits: [String: [String?]?] = [:]

    init(_ db: Database) throws {
        version = try RawStatement(db, """
            SELECT \(ExportColumn.selectList(.flow))
            FROM flow_version v LEFT JOIN document fd ON fd.id = v.document_id
            WHERE v.id = ?
            """)
        flowCredit = try RawStatement(db, Self.credit(choosing: "n.creditor_fiscal_code = ?1 AND n.flow_id = ?2"))
        iuvCredit = try RawStatement(db, Self.credit(choosing: "n.iuv = ?2 AND n.creditor_fiscal_code = ?1 AND n.flow_id IS NULL"))
    }

    /// The treasury columns of the first credit in booking order (`Store.bookingOrder`) among the movements `choice` picks.
    private static func credit(choosing choice: String) -> String {
        """
        SELECT \(ExportColumn.selectList(.credit))
        FROM treasury_movement t
        LEFT JOIN document td ON td.id = t.document_id
        LEFT JOIN provvisorio p ON p.movement_id = t.movement_id
        WHERE t.movement_id = (SELECT n.movement_id FROM treasury_movement n WHERE \(choice) AND n.sign = 'credit'
            ORDER BY \(Store.bookingOrder("n")) LIMIT 1)
        """
    }

    /// Every column of the export for a row of the key query (its own columns, then the flow version's
    /// id and the flow's).
    func fields(of row: [String?]) throws -> [String?] {
        var fields = [String?](repeating: nil, count: ExportColumn.allCases.count)
        for (column, value) in zip(Self.keyColumns, row) { fields[column.rawValue] = value }
        let creditor = fields[ExportColumn.creditor.rawValue], iuv = fields[ExportColumn.iuv.rawValue]
        if creditor != self.creditor || versions.count + credits.count > Self.capacity {
            versions.removeAll(keepingCapacity: true)
            credits.removeAll(keepingCapacity: true)
            self.creditor = creditor
        }
        if let id = row[Self.keyColumns.count] {
            let values: [String?]
            if let known = versions[id] {
                values = known
            } else {
                values = try version.first({ $0.add(Int64(id)) }, { $0.fields() }) ?? []
                versions[id] = values
            }
            for (column, value) in zip(Self.flowColumns, values) { fields[column.rawValue] = value }
        }
        var credit: [String?]?
        if let flow = row[Self.keyColumns.count + 1] {
            if let known = credits[flow] {
                credit = known
            } else {
                credit = try flowCredit.first({ $0.add(creditor); $0.add(flow) }, { $0.fields() })
                credits.updateValue(credit, forKey: flow)
            }
        }
        if credit == nil { credit = try iuvCredit.first({ $0.add(creditor); $0.add(iuv) }, { $0.fields() }) }
        for (column, value) in zip(Self.creditColumns, credit ?? []) { fields[column.rawValue] = value }
        return fields
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
