import Foundation
import Testing
@testable import QuadraKit

/// The ragioneria's nights on the sample day: the provvisori the treasurer booked, the reversale lines
/// that regularise them, a reversale for the wrong amount, a provvisorio left too long, and the P4PA
/// classification export, all read back from the real report files.
@Suite struct ProvvisoriReportTests {
    private struct Night {
        var folder: URL
        var store: Store
        var reports: URL { folder.appendingPathComponent("reports") }

        /// The sample inbox, with the TARI transfer of the Comune carrying its capitolo and accertamento in GPD.
        init() throws {
            folder = try TestSupport.scratchFolder()
            let inbox = folder.appendingPathComponent("inbox")
            try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
            let gpd = inbox.appendingPathComponent("80000000002/gpd/2026-11-02_bulk-tributi-polizia.json")
            var text = try String(contentsOf: gpd, encoding: .utf8)
            let first = try #require(text.range(of: "\"transferMetadata\": []"), "the TARI transfer comes first")
            text.replaceSubrange(first, with: """
                "transferMetadata": [{"key": "CAPITOLO", "value": "1010"}, {"key": "ACCERTAMENTO", "value": "2026/118"}]
                """)
            try text.write(to: gpd, atomically: true, encoding: .utf8)
            store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
            try run(asOf: "2026-11-20", paths: [inbox.path])
        }

        func run(asOf: String, paths: [String] = [], regulariseWorkingDays: Int = 30, everything: Bool = false) throws {
            let configuration = try TreasurySamples.configuration
            _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(paths)
            var reconciler = Reconciler(store: store, creditors: configuration.creditors)
            reconciler.provvisorioRules.regulariseWorkingDays = regulariseWorkingDays
            _ = try reconciler.run(asOf: CivilDate(iso: asOf)!)
            var options = ReportWriter.Options(everything: everything)
            options.accounting = AccountingConfiguration(capitoloKey: "CAPITOLO", accertamentoKey: "ACCERTAMENTO", ufficioKey: "UFFICIO")
            _ = try ReportWriter(store: store, asOf: CivilDate(iso: asOf)!, options: options).write(to: reports.path)
        }

        /// A report's rows as dictionaries by column, read by python3's csv module.
        func rows(_ day: String, _ name: String) throws -> [[String: String]] {
            let rows = try ReportFiles.csvRows(reports.appendingPathComponent("\(day)/\(name)"))
            return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(rows[0], $0)) }
        }
    }

    @Test func eachMatchedProvvisorioSplitsIntoReversaleLinesThatSumToItsAmount() throws {
        let night = try Night()
        let lines = try night.rows("2026-11-20", "reversali.csv.gz")
        let byNumber = Dictionary(grouping: lines, by: { $0["provvisorio_number"]! })
        #expect(byNumber.keys.sorted() == ["0064501", "0064502", "0064503", "0064511", "0064512", "0064514"],
                "every matched provvisorio but 0064513, which the bank reversed")
        for (number, lines) in byNumber {
            let total = lines.compactMap { Int64($0["amount_cents"]!) }.reduce(0, +)
            #expect(lines.allSatisfy { Int64($0["provvisorio_amount_cents"]!) == total }, "\(number) sums to its amount")
        }
        let tari = try #require(byNumber["0064501"]?.first)
        #expect(tari["attribution"] == "ATTRIBUITO" && tari["taxonomy_code"] == "0101101IM" && tari["capitolo"] == "1010"
                && tari["accertamento"] == "2026/118" && tari["ufficio"] == "" && tari["amount_cents"] == "20400")
        #expect(tari["iuf"] == "2026-11-17ESMPITMM-S0001726" && tari["provvisorio_date"] == "2026-11-17" && tari["fiscal_year"] == "2026")
        #expect(byNumber["0064502"]?.map { "\($0["taxonomy_code"]!) \($0["amount_cents"]!)" } == ["0107101TS 7840", "0107102SP 3500"])
        #expect(byNumber["0064503"]?.first?["iuv"] == "01261060000077770", "an /RFB/ credit pays its IUV's transfers")
        #expect(byNumber["0064511"]?.map { "\($0["taxonomy_code"]!) \($0["amount_cents"]!)" } == ["0104100TS 2221"],
                "the top-up takes the part of the flow the first credit left")

        let provvisori = try night.rows("2026-11-20", "provvisori.csv.gz")
        #expect(provvisori.map { "\($0["provvisorio_number"]!) \($0["regularisation_status"]!) \($0["working_days"]!)" } == [
            "0064501 TO_REGULARISE 3", "0064502 TO_REGULARISE 3", "0064503 TO_REGULARISE 3", "0064511 TO_REGULARISE 2",
            "0064512 TO_REGULARISE 2", "0064513 REVERSED 2", "0064514 TO_REGULARISE 2",
        ])
        #expect(provvisori[0]["receipt_number"] == "0007811" && provvisori[0]["management_code"] == "0000099999"
                && provvisori[0]["movement_label"] == "MATCHED" && provvisori[0]["change"] == "new"
                && provvisori[0]["previous_regularisation_status"] == "", "first judged tonight")
    }

    /// A provvisorio whose credit matches no payment (its causale names none) is still the ragioneria's to
    /// regularise: its whole amount on a `NON_ATTRIBUITO` line with the reason, where it had no line at all.
    @Test func aProvvisorioMatchingNoPaymentStillGetsItsLine() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        let journal = inbox.appendingPathComponent("treasury/GDC_80000000002_2026-11-17.xml")
        let text = try String(contentsOf: journal, encoding: .utf8)
        let number = try #require(text.range(of: "<numero_documento>0064503</numero_documento>"))
        let causale = try #require(text.range(of: #"<causale>[^<]*</causale>"#, options: .regularExpression, range: number.upperBound..<text.endIndex))
        try text.replacingCharacters(in: causale, with: "<causale>ACCREDITO VARIO DA IDENTIFICARE</causale>")
            .write(to: journal, atomically: true, encoding: .utf8)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let reports = folder.appendingPathComponent("reports")
        _ = try NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: inbox.path, out: reports.path)
        let rows = try ReportFiles.csvRows(reports.appendingPathComponent("2026-11-20/reversali.csv.gz"))
        let lines = rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(rows[0], $0)) }.filter { $0["provvisorio_number"] == "0064503" }
        #expect(lines.map { "\($0["attribution"]!) \($0["amount_cents"]!) \($0["reason"]!) \($0["provvisorio_status"]!)" }
                == ["NON_ATTRIBUITO 5960 \(ProvvisorioAttribution.Reason.noPayments.rawValue) TO_REGULARISE"])
    }

    /// A journal of an account no served creditor lists: its provvisori are nobody's here, so the
    /// reversali file has none of them (and the night does not stop on their missing owner).
    @Test func provvisoriOfAnAccountNobodyServesHaveNoLines() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        let journal = inbox.appendingPathComponent("treasury/GDC_80000000002_2026-11-17.xml")
        try String(contentsOf: journal, encoding: .utf8)
            .replacingOccurrences(of: "<conto_evidenza>0000001</conto_evidenza>", with: "<conto_evidenza>0000009</conto_evidenza>")
            .write(to: journal, atomically: true, encoding: .utf8)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let reports = folder.appendingPathComponent("reports")
        _ = try NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: inbox.path, out: reports.path)
        #expect(try store.rows("SELECT count(*) FROM treasury_movement WHERE account = '0000009' AND creditor_fiscal_code IS NULL") != ["0"])
        let rows = try ReportFiles.csvRows(reports.appendingPathComponent("2026-11-20/reversali.csv.gz"))
        #expect(!rows.dropFirst().contains { ["0064501", "0064502", "0064503"].contains($0[2]) }, "nobody's provvisori")
    }

    @Test func aReversaleSettlesOneProvvisorioAndGetsTheOtherWrong() throws {
        let night = try Night()
        let journal = try OPIProvvisorioTests.journalWithReversale(day: "2026-11-23", sospesi: [("64501", "204.00"), ("64503", "50.00")])
        try night.run(asOf: "2026-11-23", paths: [try TestSupport.write(journal, to: night.folder, as: "next/GDC_reversale.xml").path])

        let provvisori = try night.rows("2026-11-23", "provvisori.csv.gz")
        let settled = provvisori.filter { $0["change"] == "changed" }
            .map { "\($0["provvisorio_number"]!) \($0["regularisation_status"]!) \($0["regularised_cents"]!) \($0["reversali"]!) \($0["regularised_on"]!) \($0["working_days"]!) \($0["previous_regularisation_status"]!)" }
        #expect(settled == ["0064501 REGULARISED 20400 2026/0000412 2026-11-23 4 TO_REGULARISE",
                            "0064503 AMOUNT_DIFFERS 5000 2026/0000412 2026-11-23 4 TO_REGULARISE"])
        #expect(!provvisori.contains { $0["provvisorio_number"] == "0064513" }, "reversed before tonight: nothing left to do")
        #expect(provvisori.filter { $0["change"] == "open" }.count == 4)

        let discrepancies = try night.rows("2026-11-23", "discrepancies.csv.gz").filter { $0["code"]!.hasPrefix("PROVVISORIO") }
        #expect(discrepancies.map { "\($0["code"]!) \($0["severity"]!) \($0["status"]!) \($0["treasury_reference"]!) \($0["expected_cents"]!) \($0["actual_cents"]!)" }
                == ["PROVVISORIO_IMPORTO_DIVERSO error new 2026/0064503 5960 5000"])
        #expect(discrepancies.first?["action"] == "Rettificare le reversali del provvisorio 2026/0064503: atteso 59,60 €, rilevato 50,00 €")

        let lines = try night.rows("2026-11-23", "reversali.csv.gz")
        #expect(!lines.contains { $0["provvisorio_number"] == "0064501" }, "regularised, and matched on an earlier night")
        #expect(lines.first { $0["provvisorio_number"] == "0064503" }?["provvisorio_status"] == "AMOUNT_DIFFERS")

        // A later reversale for the 9.60 left makes it whole: the error is resolved, not forgotten.
        let rest = try OPIProvvisorioTests.journalWithReversale(number: "0000415", day: "2026-11-24", sospesi: [("64503", "9.60")])
        try night.run(asOf: "2026-11-24", paths: [try TestSupport.write(rest, to: night.folder, as: "next/GDC_resto.xml").path])
        let fixed = try night.rows("2026-11-24", "discrepancies.csv.gz").filter { $0["code"] == "PROVVISORIO_IMPORTO_DIVERSO" }
        #expect(fixed.map { $0["status"]! } == ["resolved"])
        let whole = try night.rows("2026-11-24", "provvisori.csv.gz").first { $0["provvisorio_number"] == "0064503" }
        #expect(whole?["regularisation_status"] == "REGULARISED" && whole?["reversali"] == "2026/0000412|2026/0000415")
    }

    @Test func aProvvisorioLeftTooLongIsAWarning() throws {
        let night = try Night()
        try night.run(asOf: "2026-11-24", regulariseWorkingDays: 5)
        #expect(try night.store.rows("SELECT treasury_reference FROM discrepancy WHERE code = 'PROVVISORIO_NON_REGOLARIZZATO' ORDER BY 1").isEmpty,
                "0064501 of the 17th is due by the 24th inclusive")
        try night.run(asOf: "2026-11-25", regulariseWorkingDays: 5)
        #expect(try night.store.rows("""
            SELECT treasury_reference || ' ' || severity || ' ' || expected_cents FROM discrepancy WHERE code = 'PROVVISORIO_NON_REGOLARIZZATO' ORDER BY 1
            """) == ["2026/0064501 warning 20400", "2026/0064502 warning 11340", "2026/0064503 warning 5960"])
    }

    @Test func aCreditorNoLongerServedLeavesNoProvvisoriBehind() throws {
        let night = try Night()
        #expect(try night.store.rows("SELECT count(*) FROM provvisorio_verdict") == ["7"])
        let province = try TreasurySamples.configuration.creditors.filter { $0.fiscalCode == "80000000010" }
        _ = try Reconciler(store: night.store, creditors: province).run(asOf: CivilDate(iso: "2026-11-23")!)
        #expect(try night.store.rows("SELECT count(*) FROM provvisorio_verdict") == ["0"])
        #expect(try night.store.rows("SELECT DISTINCT creditor_fiscal_code FROM payment_day_total") == ["80000000010"],
                "the municipality's day sums went with its verdicts")
        #expect(try night.store.pool.read(PaymentDayTotalsTests.agree))
    }

    @Test func theClassificationExportHasP4PAsColumnsAndWhatQuadraKnows() throws {
        let night = try Night()
        let file = night.reports.appendingPathComponent("2026-11-20/classifications-v1.4.csv.gz")
        let header = try ReportFiles.csvRows(file)[0]
        #expect(header == (try Self.specifiedColumns()))
        #expect(header.count == 141)
        let rows = try night.rows("2026-11-20", "classifications-v1.4.csv.gz")
        let classification = try night.rows("2026-11-20", "classification.csv.gz")
        #expect(rows.count == classification.count)
        let tari = try #require(rows.first { $0["cod_iud_e"] == "301261010000041774" && $0["cod_e_ente_benef_id_univ_benef_codice_id_univoco_e"] == "80000000002"
            && $0["num_e_dati_pag_dati_sing_pag_singolo_importo_pagato_e"] == "204.00" })
        let expected: [String: String] = [
            "cod_rp_silinviarp_id_univoco_versamento_e": "01261010000041774", "num_e_dati_pag_importo_totale_pagato_e": "214.20",
            "de_e_dati_pag_dati_sing_pag_dati_specifici_riscossione_e": "9/0101101IM/", "dt_e_dati_pag_dati_sing_pag_data_esito_singolo_pagamento_e": "2026-11-16",
            "cod_identificativo_flusso_r": "2026-11-17ESMPITMM-S0001726", "num_importo_totale_pagamenti_r": "226.21",
            "num_dati_sing_pagam_singolo_importo_pagato_r": "204.00", "cod_dati_sing_pagam_codice_esito_singolo_pagamento_r": "0",
            "cod_conto_tesoreria": "0000001", "num_importo_tesoreria": "204.00", "cod_riferimento_banca_t": "0064501",
            "de_anno_provvisorio_t": "2026", "cod_provvisorio_t": "0064501", "dt_effettiva_sospeso_t": "2026-11-17",
            "codice_gestionale_provvisorio_t": "0000099999", "cod_bolletta_t": "0007811", "cod_documento_t": "",
            "classificazione_completezza": classification.first { $0["iuv"] == "01261010000041774" && $0["creditor_fiscal_code"] == "80000000002" }!["label"]!,
            "dt_data_ultimo_aggiornamento": "2026-11-20", "num_rp_dati_vers_dati_sing_vers_importo_singolo_versamento_i": "204.00",
            "dt_rp_dati_vers_data_esecuzione_pagamento_i": "2026-11-30",
            "cod_fiscale_pa1": "80000000010", "de_nome_pa1": "Provincia di Esempio", "cod_tassonomico_dovuto_pa1": "0201102IM",
            "de_e_istit_att_indirizzo_attestante_e": "", "bilancioE": "", "cod_e_istit_att_id_univ_att_codice_id_univoco_e": "ESMPITMM",
        ]
        #expect(tari.filter { expected[$0.key] != nil } == expected)
        #expect(tari["cod_e_sogg_pag_id_univ_pag_codice_id_univoco_e"]?.hasSuffix("**********") == true, "masked unless --unmask")

        // Regularised on a later night, the full listing names the reversale as the document.
        let journal = try OPIProvvisorioTests.journalWithReversale(day: "2026-11-23", sospesi: [("64501", "204.00")])
        try night.run(asOf: "2026-11-23", paths: [try TestSupport.write(journal, to: night.folder, as: "next/GDC_reversale.xml").path], everything: true)
        let full = try night.rows("2026-11-23-full", "classifications-v1.4.csv.gz")
        let regularised = full.first { $0["cod_provvisorio_t"] == "0064501" }
        #expect(regularised?["de_anno_documento_t"] == "2026" && regularised?["cod_documento_t"] == "0000412")
    }

    /// For an Italian spreadsheet the ragioneria's files speak Italian; the P4PA export stays what importers read.
    @Test func excelItalianSpellsTheReversaliForASpreadsheetAndLeavesTheExportAlone() throws {
        let night = try Night()
        var options = ReportWriter.Options()
        options.dialect = .excelItalian
        let out = night.folder.appendingPathComponent("excel")
        _ = try ReportWriter(store: night.store, asOf: CivilDate(iso: "2026-11-20")!, options: options).write(to: out.path)
        let reversali = try ReportFiles.text(out.appendingPathComponent("2026-11-20/reversali.csv.gz"))
        #expect(reversali.hasPrefix("\u{FEFF}Codice fiscale ente;Esercizio;Numero provvisorio;Data provvisorio;Importo provvisorio (€);"))
        #expect(reversali.contains(";\"=\"\"0064501\"\"\";2026-11-17;204,00;"), "the provvisorio number keeps its zeros")
        let export = try ReportFiles.text(out.appendingPathComponent("2026-11-20/classifications-v1.4.csv.gz"))
        #expect(export.hasPrefix("de_nome_flusso_e,num_riga_flusso_e,cod_iud_e,"))
    }

    /// The column names of `Fixtures/exports/classifications-v1.4.md`, section by section, in order.
    static func specifiedColumns() throws -> [String] {
        let text = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("exports/classifications-v1.4.md"), encoding: .utf8)
        return text.components(separatedBy: "\n## ").dropFirst().filter { !$0.hasPrefix("Meaning") }.flatMap { section in
            section.split(separator: "\n").dropFirst().joined(separator: " ").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    @Test func theAccountingSectionIsChecked() throws {
        let configuration = try QuadraConfiguration.parse("""
            [accounting]
            capitolo_key = "CAPITOLO"
            ufficio_key = "UFFICIO"
            regularise_working_days = 20
            """)
        #expect(configuration.accounting.capitoloKey == "CAPITOLO" && configuration.accounting.accertamentoKey == nil)
        #expect(configuration.accounting.ufficioKey == "UFFICIO" && configuration.accounting.regulariseWorkingDays == 20)
        #expect(throws: QuadraConfiguration.Failure(key: "accounting.regularise_working_days", reason: "0 is not a number of working days from 1 to 366")) {
            try QuadraConfiguration.parse("[accounting]\nregularise_working_days = 0\n")
        }
    }
}
