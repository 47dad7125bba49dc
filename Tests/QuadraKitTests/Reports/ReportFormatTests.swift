import Foundation
import Testing
@testable import QuadraKit

@Suite struct ReportFormatTests {
    @Test func fieldsAreQuotedOnlyWhenRFC4180AsksForIt() {
        #expect(CSVWriter.line(["plain", nil, "a,b", "say \"hi\"", "two\nlines"]) == "plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
        // Finding 6.7: formulas are shown, not run; amounts stay numbers.
        #expect(CSVWriter.line(["=HYPERLINK(\"http://x\")", "+39 333", "-1200", "-", "@SUM(A1)", "\tx", "1200", "a=b"])
                == "\"'=HYPERLINK(\"\"http://x\"\")\",'+39 333,-1200,'-,'@SUM(A1),'\tx,1200,a=b\r\n")
    }

    /// `excel-it`: a negative amount in euro stays a number (it was written as the text `'-693,63`,
    /// which sums leave out); codes of digits are text formulas, so an IUV keeps its leading zero and
    /// a notice number its 18 digits; a formula in a causale is still neutralised.
    @Test func excelItalianKeepsNegativeAmountsNumbersAndCodesText() throws {
        let folder = try ReportFolder(root: try TestSupport.scratchFolder().path, name: "out")
        let gzip = try GzipWriter(into: try folder.create("x.csv.gz"))
        var line: [UInt8] = []
        try CSVWriter(into: gzip, header: ["iuv", "notice_number", "actual_cents", "causale", "transfer_index", "iur"], dialect: .excelItalian)
            .encode(["01261010000041774", "301261060000077770", "-69363", "=SOMMA(1;2)", "1", "5b584c948fb4b6476fe6879085600dbf"], into: &line)
        #expect(String(decoding: line, as: UTF8.self)
                == "\"=\"\"01261010000041774\"\"\";\"=\"\"301261060000077770\"\"\";-693,63;\"'=SOMMA(1;2)\";1;5b584c948fb4b6476fe6879085600dbf\r\n")
    }

    @Test func debtorIdsKeepSixCharactersAndTheirLength() {
        #expect(ReportWriter.mask("RSSMRA80A01H501U") == "RSSMRA**********")
        #expect(ReportWriter.mask("ABC") == "ABC")
        // Characters, not bytes: an accent is one, and so is a CRLF pair.
        #expect(ReportWriter.mask("Niccolò Rossi") == "Niccol*******")
        #expect(ReportWriter.mask("Lucà Bianchi") == "Lucà B******")
        #expect(ReportWriter.mask("AB\r\nCDEFG") == "AB\r\nCDE**")
    }

    @Test func listsAreSortedAndPipeJoined() {
        #expect(Store.sortedList("TES_PARTIAL|FDR_LATE") == "FDR_LATE|TES_PARTIAL")
        #expect(Store.sortedList("b,a") == "a|b")
    }

    @Test func jsonLinesEscapeAndKeepNumbersAsNumbers() {
        var line: [UInt8] = []
        JSONLineFormat(columns: ["code", "age_days", "iuv", "message", "days"], numeric: ["age_days"])
            .append(["X", "3", nil, "a \"q\"\n\u{1}", "4"], to: &line)
        #expect(String(decoding: line, as: UTF8.self)
                == "{\"code\":\"X\",\"age_days\":3,\"iuv\":null,\"message\":\"a \\\"q\\\"\\n\\u0001\",\"days\":\"4\"}\n")
    }

    /// A row is written straight from each field's bytes when it needs no quote and no neutralising;
    /// whatever the field, the bytes are those of the header's spelling (`quoted(neutralized(_))`).
    @Test(arguments: ["plain", "", "a,b", "a;b", "say \"hi\"", "two\nlines", "cr\r", "crlf\r\n", "=1+1", "+39", "-1200", "-",
                      "-12a", "@x", "\tx", "città", "a=b"])
    func rowFieldsAreSpelledAsTheHeaderSpellsThem(field: String) throws {
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";")] {
            var bytes: [UInt8] = []
            CSVWriter.append(field, separator: separator, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == CSVWriter.quoted(CSVWriter.neutralized(field), separator: separator))
        }
    }

    /// Settlement 2026-11-17 (a Tuesday): the credit is due by Wednesday 18. A net credit of zero or
    /// less is nothing credited, whatever the flow's total.
    @Test(arguments: [
        ("2026-11-18", Int64(0), FlowCreditStatus.pending), ("2026-11-19", 0, .notCredited), ("2026-11-19", -300, .notCredited),
        ("2026-11-18", -300, .pending), ("2026-11-19", 500, .partial), ("2026-11-19", 1000, .credited),
        ("2026-11-19", 1200, .overCredited),
    ])
    func creditStatusFollowsTheDeadline(asOf: String, credited: Int64, expected: FlowCreditStatus) throws {
        let classifier = Classifier(asOf: CivilDate(iso: asOf)!)
        #expect(classifier.creditStatus(totalCents: 1000, creditedCents: credited, settlementDate: CivilDate(iso: "2026-11-17")) == expected)
    }
}

/// `[reports] csv_dialect = "excel-it"`: the same rows, as an Italian spreadsheet opens them.
@Suite struct ExcelItalianDialectTests {
    @Test func theSampleDayInTheItalianDialect() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let toml = try String(contentsOf: TestSupport.samples.appendingPathComponent("quadra.toml"), encoding: .utf8)
            + "\n[reports]\ncsv_dialect = \"excel-it\"\n"
        let configuration = try QuadraConfiguration.load(path: try TestSupport.write(toml, to: folder, as: "quadra.toml").path)
        #expect(configuration.csvDialect == .excelItalian)
        var run = NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-20")!)
        run.reportOptions.dialect = configuration.csvDialect
        _ = try run.run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        let file = folder.appendingPathComponent("reports/2026-11-20/classification.csv.gz")
        let script = """
            import csv,gzip,json,sys
            raw = gzip.open(sys.argv[1]).read()
            rows = list(csv.reader(raw.decode('utf-8-sig').splitlines(), delimiter=';'))
            print(json.dumps({"bom": raw[:3] == b'\\xef\\xbb\\xbf', "rows": rows}))
            """
        let python = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, file.path])
        let parsed = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any]
        #expect(parsed?["bom"] as? Bool == true)
        let rows = try #require(parsed?["rows"] as? [[String]])
        #expect(rows.first?.prefix(3) == ["Codice fiscale ente", "IUV", "IUR"] && rows.first?[10] == "Importo ricevuta (€)")
        let cie = try #require(rows.first { $0[1] == "=\"01261070000009017\"" }, "an IUV is a text formula, its leading zero kept")
        #expect(cie[10] == "22,21" && cie[3] == "1", "euro with a decimal comma; counts stay integers")
        #expect(rows.count == 11, "the same rows as the machine dialect")

        let bad = try TestSupport.write(toml.replacingOccurrences(of: "excel-it", with: "excel"), to: folder, as: "bad.toml")
        #expect(throws: (any Error).self) { _ = try QuadraConfiguration.load(path: bad.path) }
    }
}

/// Every discrepancy row says what it means, what to do and whom to call: Italian by default.
@Suite struct DiscrepancyGuidanceTests {
    @Test func everyCodeHasItalianAndEnglishGuidance() {
        let facts = DiscrepancyFacts(pspId: "ESMPITMM", flowId: "2026-11-17ESMPITMM-S0001726", iuv: "01261010000041774",
                                     reference: "0064599", expectedCents: 11340, actualCents: 22680, firstSeen: "2026-11-19")
        for code in DiscrepancyCode.allCases {
            #expect(!code.descrizione.isEmpty && code.descrizione != code.meaning, "\(code.rawValue)")
            #expect(!code.action(facts, in: .italian).isEmpty && code.action(facts, in: .italian) != code.action(facts, in: .english))
        }
        #expect(DiscrepancyCode.fdrOverdue.action(facts, in: .italian).hasPrefix("Sollecitare il PSP ESMPITMM"))
        #expect(DiscrepancyCode.tesAmountMismatch.action(facts, in: .italian).hasSuffix("atteso 113,40 €, rilevato 226,80 €"))
        let twice = DiscrepancyFacts(pspId: "ESMPITMM", flowId: nil, iuv: "01261060000077770", reference: nil, expectedCents: 5960,
                                     actualCents: 11920, firstSeen: "2026-11-19")
        #expect(DiscrepancyCode.overpayment.action(twice, in: .italian)
                == "Rimborsare una sola volta l'eccedenza della posizione dello IUV 01261060000077770, importo 59,60 €",
                "what was received less what settles the position, not all that was received")
        let short = DiscrepancyFacts(pspId: "PAGFITM1", flowId: nil, iuv: "01261060000077770", reference: "0064503", expectedCents: 5960,
                                     actualCents: 5000, firstSeen: "2026-11-20")
        #expect(DiscrepancyCode.tesAmountMismatch.action(short, in: .italian)
                == "Chiedere al PSP PAGFITM1 il saldo del pagamento dello IUV 01261060000077770 accreditato per meno: atteso 59,60 €, rilevato 50,00 €")
        // Every code with an amount says it; dates the Italian way; a side of an IUR mismatch has one amount and no flow.
        let flowSide = DiscrepancyFacts(pspId: "ESMPITMM", flowId: nil, iuv: "01261070000009017", reference: nil, expectedCents: nil,
                                        actualCents: 61638, firstSeen: "2026-11-19")
        #expect(DiscrepancyCode.iurMismatch.action(flowSide, in: .italian)
                == "Chiedere al PSP ESMPITMM di rettificare lo IUR con cui rendiconta lo IUV 01261070000009017, importo 616,38 €")
        #expect(DiscrepancyCode.fdrOverdue.action(facts, in: .italian).hasSuffix("(in ritardo dal 19/11/2026): atteso 113,40 €, rilevato 226,80 €"))
        for code in [DiscrepancyCode.positionAmountMismatch, .transferPlanMismatch, .revokedPayment, .tesPartial, .receiptWithoutPosition,
                     .reportedWithoutReceipt, .positionPaidNoReceipt, .positionStatusMismatch, .positionNotPayable] {
            #expect(code.action(facts, in: .italian).contains("113,40 €") && code.action(facts, in: .english).contains("EUR 113.40"), "\(code)")
        }
        #expect(DiscrepancyCode.tesOverdue.counterpart.name(in: .italian) == "PSP")
        #expect(DiscrepancyCode.causaleUnparseable.counterpart.name(in: .italian) == "Tesoriere")
    }

    @Test func theSampleDaysDiscrepanciesInItalianThenEnglish() throws {
        for language in ReportLanguage.allCases {
            let folder = try TestSupport.scratchFolder()
            let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
            var run = NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-20")!)
            run.reportOptions.language = language
            _ = try run.run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
            let rows = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-20/discrepancies.csv.gz"))
            #expect(rows[0].suffix(4) == ["description", "action", "counterpart", "note"])
            let unparseable = try #require(rows.first { $0[0] == "CAUSALE_UNPARSEABLE" })
            if language == .italian {
                #expect(unparseable.dropLast().suffix(2) == ["Chiedere al tesoriere l'origine dell'accredito 261118000421, importo 12,00 €", "Tesoriere"])
            } else {
                #expect(unparseable.dropLast().suffix(2) == ["Ask the treasurer where credit 261118000421 comes from, amount EUR 12.00", "Treasurer"])
            }
        }
    }

    /// A payment no flow reports is overdue for its PSP, which only its receipt names: the action asks
    /// that PSP (the traffic fine, without the journal that credits it alone).
    @Test func anOverduePaymentsActionNamesItsReceiptsPSP() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("treasury/\(TreasurySamples.journal17)"))
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-25")!)
            .run(inbox: inbox.path, out: folder.appendingPathComponent("reports").path)
        let rows = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-25/discrepancies.csv.gz"))
        let overdue = try #require(rows.first { $0[0] == "FDR_OVERDUE" && $0[4] == "01261060000077770" })
        #expect(overdue.dropLast(2).last?.hasPrefix("Sollecitare il PSP 15000000008 per il flusso") == true, "\(overdue)")
    }
}

/// `recovery.csv.gz`: the receipts pagoPA never delivered, with the request that fetches each; a row
/// leaves the list the night its receipt arrives.
@Suite struct RecoveryReportTests {
    @Test func flowRowsWithoutReceiptAreListedUntilTheReceiptArrives() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let comune = Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false, expectsTreasury: false)
        let reconciler = Reconciler(store: store, creditors: [comune])
        func night(_ paths: [String], _ day: String) throws -> [[String]] {
            _ = try Ingestor(store: store).ingest(paths)
            _ = try reconciler.run(asOf: CivilDate(iso: day)!)
            _ = try ReportWriter(store: store, asOf: CivilDate(iso: day)!).write(to: folder.appendingPathComponent("reports").path)
            return try ReportFiles.csvRows(folder.appendingPathComponent("reports/\(day)/recovery.csv.gz"))
        }
        let first = try night([try TestSupport.write(SampleFlow().xml, to: folder, as: "flow.xml").path], "2026-11-18")
        #expect(first[0] == ReportWriter.recoveryColumns)
        // Evidence: the flow and its row; missing since the payment day the row shows, first missed tonight.
        #expect(first.dropFirst().map { [$0[1], $0[4], $0[5], $0[6], $0[7], $0[8], $0[9]] } == [
            ["01261010000041774", "ESMPITMM", "flow 2026-11-17ESMPITMM-S0001726 row 1", "2026-11-16", "2026-11-18", "2",
             "GET /payments/80000000002/receipts/01261010000041774"],
            ["01261070000009017", "ESMPITMM", "flow 2026-11-17ESMPITMM-S0001726 row 2", "2026-11-16", "2026-11-18", "2",
             "GET /payments/80000000002/receipts/01261070000009017"],
        ])
        let cie = SampleDayTests.inbox.appendingPathComponent("receipts/2026-11-16_cie-000090.xml").path
        // Ingested, not yet reconciled: `fetch receipts` does not ask for it again.
        _ = try Ingestor(store: store).ingest([cie])
        #expect(try store.receiptsToRecover(creditors: ["80000000002"], codes: DiscrepancyCode.missingReceipt.map(\.rawValue),
                                            credit: DiscrepancyCode.creditWithoutReceipt.rawValue).map(\.iuv) == ["01261010000041774"])
        let next = try night([cie], "2026-11-20")
        #expect(next.dropFirst().map { [$0[1], $0[8]] } == [["01261010000041774", "4"]], "the CIE receipt arrived; the other is 4 days missing")
    }

    /// A `/RFB/` credit of an IUV the creditor knows nothing of is a payment whose receipt is missing.
    @Test func aCreditOfAnUnknownIUVIsEvidenceUntilItsReceiptArrives() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try TreasurySamples.configuration
        func night(_ paths: [String], _ day: String) throws -> [[String]] {
            _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(paths)
            _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: day)!)
            _ = try ReportWriter(store: store, asOf: CivilDate(iso: day)!).write(to: folder.appendingPathComponent("reports").path)
            return Array(try ReportFiles.csvRows(folder.appendingPathComponent("reports/\(day)/recovery.csv.gz")).dropFirst())
        }
        let csv = try TestSupport.write("""
            Data contabile;Data valuta;Dare;Avere;Descrizione operazione;Riferimento banca
            18/11/2026;18/11/2026;;22,21;/RFB/01261070000009017;BK0001

            """, to: folder, as: "home-banking.csv")
        let first = try night([csv.path], "2026-11-19")
        #expect(first.map { [$0[0], $0[1], $0[2], $0[5], $0[6], $0[7], $0[8], $0[9]] } == [
            ["80000000002", "01261070000009017", "", "credit BK0001", "2026-11-18", "2026-11-19", "1",
             "GET /payments/80000000002/receipts/01261070000009017"],
        ])
        // What `quadra fetch receipts` asks for: the row's request, though no flow row names the IUV.
        #expect(try store.flowRowsWithoutReceipt(creditors: ["80000000002"]).isEmpty)
        #expect(try store.receiptsToRecover(creditors: ["80000000002"], codes: DiscrepancyCode.missingReceipt.map(\.rawValue),
                                            credit: DiscrepancyCode.creditWithoutReceipt.rawValue)
                == [MissingReceipt(creditor: "80000000002", iuv: "01261070000009017", iur: "")])
        #expect(try store.receiptsToRecover(creditors: ["80000000010"], codes: DiscrepancyCode.missingReceipt.map(\.rawValue),
                                            credit: DiscrepancyCode.creditWithoutReceipt.rawValue).isEmpty, "served creditors' only")
        let cie = SampleDayTests.inbox.appendingPathComponent("receipts/2026-11-16_cie-000090.xml").path
        #expect(try night([cie], "2026-11-20").isEmpty, "the receipt arrived")
    }
}
