/// How the CSV reports are spelled. `machine` (the default) is what importers read: `,`, `.` decimal
/// point, amounts in integer cents, the column names of the README. `excel-it` is what an Italian
/// ragioneria opens in Excel or LibreOffice without an import wizard: `;`, a UTF-8 byte order mark (so
/// accents survive), amounts in euro with a decimal comma, and Italian column headers. The rows, their
/// order and every other value are the same in both.
public enum CSVDialect: String, Sendable, CaseIterable {
    case machine
    case excelItalian = "excel-it"

    var separator: UInt8 { self == .machine ? UInt8(ascii: ",") : UInt8(ascii: ";") }

    /// Written before the header: Excel reads a file without it as the local code page.
    var preamble: [UInt8] { self == .machine ? [] : [0xEF, 0xBB, 0xBF] }

    func header(_ column: String) -> String {
        self == .machine ? column : Self.italian[column] ?? column
    }

    /// Whether the column holds euro cents, shown in euro with a decimal comma in `excel-it`.
    static func isAmount(_ column: String) -> Bool { column.hasSuffix("_cents") }

    /// Columns of codes made of digits that a spreadsheet would read as a number, dropping leading
    /// zeros and rounding past 15 digits (an IUV `01261010000041774` became 1,26101E+15): `excel-it`
    /// writes such a value as the text formula `="…"`, which Excel and LibreOffice show as it is.
    static let codes: Set<String> = [
        "iuv", "iur", "receipt_id", "creditor_fiscal_code", "debtor_id", "iuf", "psp_id", "flow_psp_id", "iupd",
        "settlement_reference", "tes_references", "reference", "treasury_reference", "parsed_iuf", "parsed_iuv", "account",
        "provvisorio_number", "receipt_number", "management_code", "notice_number", "notice_numbers", "receipts", "reversali",
        "beneficiary_iban", "taxonomy_code", "movement_id",
    ]

    /// Whether `excel-it` rewrites the column's values (amounts, codes).
    func rewrites(_ column: String) -> Bool { self == .excelItalian && (Self.isAmount(column) || Self.codes.contains(column)) }

    /// A field of `column` as this dialect writes it; `formula` when it is the dialect's own text
    /// formula, which the CSV writer must not neutralise.
    func field(_ value: String, column: String) -> (text: String, formula: Bool) {
        guard self == .excelItalian else { return (value, false) }
        if Self.codes.contains(column) {
            let digits = !value.isEmpty && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
            return digits ? ("=\"\(value)\"", true) : (value, false)
        }
        guard Self.isAmount(column), let cents = Int64(value) else { return (value, false) }
        var euro = Money.format(cents)
        if let dot = euro.lastIndex(of: ".") { euro.replaceSubrange(dot...dot, with: ",") }
        return (euro, false)
    }

    /// The Italian header of every report column.
    static let italian: [String: String] = [
        "creditor_fiscal_code": "Codice fiscale ente", "iuv": "IUV", "iur": "IUR", "transfer_index": "Indice trasferimento",
        "label": "Esito riconciliazione", "anomalies": "Anomalie", "state": "Stato", "receipt_id": "Id ricevuta",
        "payment_day": "Data pagamento", "psp_id": "PSP", "rt_amount_cents": "Importo ricevuta (€)",
        "iud_amount_cents": "Importo posizione (€)", "iuf_amount_cents": "Importo flusso (€)", "iuf": "Id flusso (IUF)",
        "flow_psp_id": "PSP del flusso", "flow_revision": "Revisione flusso", "settlement_reference": "Riferimento regolamento",
        "settlement_date": "Data regolamento", "tes_amount_cents": "Importo accreditato (€)", "tes_references": "Riferimenti tesoreria",
        "taxonomy_code": "Codice tassonomia", "beneficiary_iban": "IBAN beneficiario", "iupd": "IUPD", "debtor_id": "Codice debitore",
        "change": "Variazione", "previous_label": "Esito precedente", "previous_state": "Stato precedente",
        "movement_id": "Id movimento", "account": "Conto", "booking_date": "Data contabile", "value_date": "Data valuta",
        "amount_cents": "Importo (€)", "reference": "Riferimento banca", "causale": "Causale", "parsed_iuf": "IUF letto",
        "parsed_iuv": "IUV letto", "revision": "Revisione", "rows": "Pagamenti", "declared_total_cents": "Totale dichiarato (€)",
        "computed_total_cents": "Totale calcolato (€)", "credited_cents": "Accreditato (€)", "credit_status": "Stato accredito",
        "previous_credit_status": "Stato accredito precedente",
        "findings": "Rilievi", "credited_on": "Data accredito", "days_late": "Giorni lavorativi di ritardo", "code": "Codice",
        "severity": "Gravità", "status": "Stato", "treasury_reference": "Riferimento tesoreria",
        "expected_cents": "Importo atteso (€)", "actual_cents": "Importo rilevato (€)", "first_seen": "Prima rilevazione",
        "age_days": "Giorni aperta", "message": "Messaggio", "description": "Descrizione", "action": "Azione suggerita",
        "counterpart": "Controparte", "replaced_by": "Sostituita da",
        "taxonomy_description": "Descrizione tassonomia", "transfers": "Trasferimenti", "creditor_name": "Ente",
        "notice_number": "Numero avviso", "evidence": "Evidenza", "missing_since": "Mancante dal",
        "days_missing": "Giorni mancante", "request": "Richiesta", "note": "Note", "note_id": "Id nota", "note_by": "Autore nota",
        "note_written_at": "Nota scritta il", "note_text": "Testo nota", "hidden_until": "Nascosta fino al",
        "previous_status": "Stato precedente", "gpd_status": "Stato GPD", "changed_on": "Data variazione",
        "notice_numbers": "Numeri avviso", "due_cents": "Importo dovuto (€)", "paid_cents": "Importo pagato (€)",
        "reported_cents": "Importo rendicontato (€)", "receipts": "Ricevute", "flows": "Flussi",
        "fiscal_year": "Esercizio", "provvisorio_number": "Numero provvisorio", "provvisorio_date": "Data provvisorio",
        "provvisorio_amount_cents": "Importo provvisorio (€)", "attribution": "Attribuzione", "capitolo": "Capitolo",
        "accertamento": "Accertamento", "ufficio": "Ufficio", "reason": "Motivo", "provvisorio_status": "Stato provvisorio",
        "receipt_number": "Numero bolletta", "management_code": "Codice gestionale", "movement_label": "Esito movimento",
        "regularised_cents": "Regolarizzato (€)", "reversali": "Reversali", "regularised_on": "Data regolarizzazione",
        "working_days": "Giorni lavorativi", "regularisation_status": "Stato regolarizzazione",
        "previous_regularisation_status": "Stato regolarizzazione precedente",
    ]
}
