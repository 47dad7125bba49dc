import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// What real PSPs and treasurers do to a credit, night after night, on the sample day's documents:
/// credit a flow twice, credit it late, credit it in part and then not the rest.
@Suite struct TreasuryLifecycleTests {
    static let header = "Data contabile;Data valuta;Dare;Avere;Descrizione operazione;Riferimento banca\n"

    /// The sample inbox, without the Comune's journal of 18 November when `withoutJournal18`.
    private func inbox(_ folder: URL, withoutJournal18: Bool) throws -> URL {
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        if withoutJournal18 { try FileManager.default.removeItem(at: inbox.appendingPathComponent("treasury/GDC_80000000002_2026-11-18.xml")) }
        return inbox
    }

    /// The sample day with the traffic fine paid a second time (receipt 7c68…, after 5b58… in IUR
    /// order) on `day` at `time`, through one night as of the 20th: its folder and store.
    private func fineTwice(paidOn day: String, at time: String) throws -> (folder: URL, store: Store) {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let inbox = try inbox(folder, withoutJournal18: false)
        let twin = try String(contentsOf: inbox.appendingPathComponent("receipts/2026-11-16_cds-000777.xml"), encoding: .utf8)
            .replacingOccurrences(of: "5b584c948fb4b6476fe6879085600dbf", with: "7c684d058fb4b6476fe6879085600e01")
            .replacingOccurrences(of: "2026-11-16T16:20:05", with: "\(day)T\(time)")
            .replacingOccurrences(of: "<applicationDate>2026-11-16</applicationDate>", with: "<applicationDate>\(day)</applicationDate>")
        try twin.write(to: inbox.appendingPathComponent("receipts/\(day)_cds-000777-bis.xml"), atomically: true, encoding: .utf8)
        _ = try night(store, [inbox.path], asOf: "2026-11-20")
        return (folder, store)
    }

    /// A new store that went through the sample day (as of the 20th), its folder and its inbox.
    private func sampleNight() throws -> (folder: URL, store: Store, inbox: URL) {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let inbox = try inbox(folder, withoutJournal18: false)
        _ = try night(store, [inbox.path], asOf: "2026-11-20")
        return (folder, store, inbox)
    }

    private func night(_ store: Store, _ paths: [String], asOf: String) throws -> ReconciliationSummary {
        let configuration = try TreasurySamples.configuration
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(paths)
        return try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: asOf)!)
    }

    private func discrepancies(_ store: Store, flow: String) throws -> [String] {
        try store.rows("""
            SELECT code || ' ' || status || coalesce(' ' || replaced_by, '') FROM discrepancy WHERE flow_id = '\(flow)' AND iuv IS NULL
            ORDER BY 1
            """)
    }

    /// A PSP credits flow 2026-11-17ABI08999-00123 (113.40) a second time: the money is there, so its two
    /// payments stay cashed; the flow is over-credited and its discrepancy names the excess to claim
    /// back; the first credit matches and only the second, later one is the excess.
    @Test func aFlowCreditedTwiceStaysCashedAndNamesTheExcess() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try night(store, [try inbox(folder, withoutJournal18: false).path], asOf: "2026-11-20")
        let summary = try creditAgain(store, folder, "19/11/2026;19/11/2026;;113,40;BONIFICO /PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI08999-00123;0064599")
        #expect(summary.incremental && summary.keys < 10, "the flow's keys, not the whole day")
        let states = try store.rows("SELECT state FROM key_verdict WHERE iuf = '2026-11-17ABI08999-00123'")
        #expect(states == ["CASHED", "CASHED"])
        let flow = try store.rows("SELECT credit_status || ' ' || credited_cents FROM flow_verdict WHERE flow_id = '2026-11-17ABI08999-00123'")
        #expect(flow == ["OVER_CREDITED 22680"])
        let mismatch = try store.rows("""
            SELECT expected_cents || ' ' || actual_cents || ' ' || message FROM discrepancy WHERE code = 'TES_AMOUNT_MISMATCH'
            """)
        #expect(mismatch.count == 1 && mismatch[0].hasPrefix("11340 22680") && mismatch[0].contains("claim 113.40 back"))
        let labels = try store.rows("""
            SELECT m.reference || ' ' || v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE m.flow_id = '2026-11-17ABI08999-00123' ORDER BY m.booking_date
            """)
        #expect(labels == ["0064502 MATCHED", "0064599 IUF_TES_DIV_IMP"])
    }

    /// The traffic fine the Comune's journal credits alone (`/RFB/`, 59.60 on the 17th) is credited a
    /// second time: as with a flow credited twice, the payment stays cashed, the first credit by booking
    /// date matches and only the other is the excess, with a discrepancy naming what to claim back, also
    /// when the second credit arrives later but was booked earlier. A full pass agrees.
    @Test(arguments: [("19/11/2026", ["0064503 MATCHED", "0064598 IUF_TES_DIV_IMP"]),
                      ("16/11/2026", ["0064598 MATCHED", "0064503 IUF_TES_DIV_IMP"])])
    func aPaymentCreditedTwiceStaysCashedAndNamesTheExcess(booked: String, labels: [String]) throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try night(store, [try inbox(folder, withoutJournal18: false).path], asOf: "2026-11-20")
        #expect(try creditFineAgain(store, folder, booked: booked).incremental)
        let keys = try store.rows("SELECT label || ' ' || state FROM key_verdict WHERE iuv = '01261060000077770'")
        #expect(keys == ["RT_TES CASHED"])
        let excess = labels[1].prefix(7)
        let mismatch = try store.rows("""
            SELECT treasury_reference || ' ' || expected_cents || ' ' || actual_cents || ' ' || message FROM discrepancy
            WHERE code = 'TES_AMOUNT_MISMATCH' AND status = 'new' AND iuv = '01261060000077770'
            """)
        #expect(mismatch.count == 1 && mismatch.first?.hasPrefix("\(excess) 0 5960 ") == true
                && mismatch.first?.contains("claim 59.60 back") == true, "\(mismatch)")
        #expect(try fineCredits(store) == labels)
    }

    /// A citizen pays the traffic fine twice (two receipts, two IURs) and the PSP credits it once, alone
    /// (`/RFB/`, 59.60 on the 17th): one payment is cashed and the other is paid, waiting for its money,
    /// with the double payment raised; what the Comune received is counted once. A second credit of the
    /// fine cashes the other payment, and is no excess. A full pass agrees.
    @Test func aDoublePaymentCreditedOnceCashesOnePayment() throws {
        let (folder, store) = try fineTwice(paidOn: "2026-11-16", at: "17:02:41")
        let keys = { try store.rows("""
            SELECT iur || ' ' || coalesce(label, '-') || ' ' || state FROM key_verdict WHERE iuv = '01261060000077770' ORDER BY iur
            """) }
        #expect(try keys() == ["5b584c948fb4b6476fe6879085600dbf RT_TES CASHED", "7c684d058fb4b6476fe6879085600e01 - PAID"])
        #expect(try store.rows("SELECT code FROM discrepancy WHERE iuv = '01261060000077770' AND code = 'DOUBLE_PAYMENT'").count == 2)
        let cashed = try store.rows("""
            SELECT sum(cents) FROM payment_day_total WHERE creditor_fiscal_code = '80000000002' AND state = 'CASHED'
                AND payment_day = '2026-11-16'
            """)
        #expect(try fineCredits(store) == ["0064503 MATCHED"])

        _ = try creditFineAgain(store, folder, booked: "19/11/2026")
        #expect(try keys() == ["5b584c948fb4b6476fe6879085600dbf RT_TES CASHED", "7c684d058fb4b6476fe6879085600e01 RT_TES CASHED"])
        #expect(try fineCredits(store) == ["0064503 MATCHED", "0064598 MATCHED"])
        #expect(try store.rows("""
            SELECT sum(cents) FROM payment_day_total WHERE creditor_fiscal_code = '80000000002' AND state = 'CASHED'
                AND payment_day = '2026-11-16'
            """) == cashed.map { String(Int64($0)! + 5960) }, "the second payment's 59.60 is cashed only now")
    }

    /// The fine paid twice (the second payment on the 19th) and credited once: once the first payment
    /// is older than the look-back, its stored verdict keeps the credit it took, and the second, still
    /// open, does not take it again (both were cashed on 59.60 received).
    @Test func aPaymentBeforeTheLookBackKeepsTheCreditItTook() throws {
        let (_, store) = try fineTwice(paidOn: "2026-11-19", at: "09:10:00")
        let keys = { try store.rows("""
            SELECT iur || ' ' || state FROM key_verdict WHERE iuv = '01261060000077770' ORDER BY iur
            """) }
        #expect(try keys() == ["5b584c948fb4b6476fe6879085600dbf CASHED", "7c684d058fb4b6476fe6879085600e01 PAID"])
        var reconciler = Reconciler(store: store, creditors: try TreasurySamples.configuration.creditors)
        reconciler.lookBackDays = 3
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-21")!)
        #expect(try keys() == ["5b584c948fb4b6476fe6879085600dbf CASHED", "7c684d058fb4b6476fe6879085600e01 PAID"],
                "the first payment, before the look-back, keeps the credit")
    }

    /// A credit the bank took back counts for nothing, before the credits after it or in the sum: the
    /// fine credited on the 16th and reversed the same day (the reversal naming only the bank's
    /// transaction), then by the journal on the 17th and again on the 19th, has the 17th's credit
    /// matched, only the 19th's the excess, and 119.20 credited.
    @Test func aReversedCreditCountsForNothingBeforeTheNext() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        func entry(_ reference: String, _ sign: String) -> String {
            """
                  <Ntry><NtryRef>\(reference)</NtryRef><Amt Ccy="EUR">59.60</Amt><CdtDbtInd>\(sign)</CdtDbtInd>
                    \(sign == "DBIT" ? "<RvslInd>true</RvslInd>" : "")<Sts>BOOK</Sts><BookgDt><Dt>2026-11-16</Dt></BookgDt>
                    <AcctSvcrRef>\(reference)</AcctSvcrRef>
                    <NtryDtls><TxDtls><Refs><TxId>TX261116000777</TxId></Refs>
                      <RmtInf><Ustrd>\(sign == "DBIT" ? "STORNO" : "/RFB/01261060000077770/59.60")</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
            """
        }
        let statement = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
              <GrpHdr><MsgId>CAMT-80000000002-20261116</MsgId><CreDtTm>2026-11-17T05:00:00</CreDtTm></GrpHdr>
              <Stmt><Id>80000000002-20261116</Id><CreDtTm>2026-11-16T23:59:00</CreDtTm>
                <Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id><Ccy>EUR</Ccy></Acct>
            \(entry("261116000777", "CRDT"))
            \(entry("261116000778", "DBIT"))
              </Stmt>
            </BkToCstmrStmt></Document>
            """
        let inbox = try inbox(folder, withoutJournal18: false)
        _ = try TestSupport.write(statement, to: inbox, as: "treasury/camt053_80000000002_2026-11-16.xml")
        _ = try night(store, [inbox.path], asOf: "2026-11-20")
        _ = try creditFineAgain(store, folder)
        #expect(try fineCredits(store) == ["261116000777 MATCHED", "0064503 MATCHED", "0064598 IUF_TES_DIV_IMP"])
        #expect(try store.rows("SELECT state || ' ' || tes_amount_cents FROM key_verdict WHERE iuv = '01261060000077770'")
                == ["CASHED 11920"])
        #expect(try store.rows("SELECT treasury_reference FROM discrepancy WHERE code = 'TES_AMOUNT_MISMATCH' AND status = 'new'")
                == ["0064598"])
    }

    /// A payment its flow reports and credits, credited again by `/RFB/`: the flow's credit paid it, so
    /// the second credit is the excess, claimed back; the payment stays as its flow left it.
    @Test func aPaymentItsFlowCreditedCreditedAgainIsTheExcess() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try night(store, [try inbox(folder, withoutJournal18: false).path], asOf: "2026-11-20")
        _ = try creditAgain(store, folder, "19/11/2026;19/11/2026;;50,00;BONIFICO /RFB/01261030000005853/50.00;0064597")
        #expect(try store.rows("SELECT label || ' ' || state FROM key_verdict WHERE iuv = '01261030000005853'") == ["IUD_RT_IUF_TES CASHED"])
        #expect(try store.rows("""
            SELECT v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id WHERE m.reference = '0064597'
            """) == ["IUF_TES_DIV_IMP"])
        let claim = try store.rows("SELECT message FROM discrepancy WHERE code = 'TES_AMOUNT_MISMATCH' AND iuv = '01261030000005853'")
        #expect(claim.count == 1 && claim.first?.contains("claim 50.00 back") == true, "\(claim)")
    }

    /// A flow's credit the treasurer reversed (STORNATO on the 19th) and the PSP sent again the same
    /// day: the flow was credited on the 19th, a working day late, not on the 17th.
    @Test func aReversedCreditDoesNotCreditItsFlow() throws {
        let (folder, store, inbox) = try sampleNight()
        let journal = try JournalMovement(inbox.appendingPathComponent("treasury/\(TreasurySamples.journal18)"),
                                          "<tipo_operazione>STORNATO</tipo_operazione>")
        let block = journal.movement.replacingOccurrences(of: "0064513", with: "0064502")
            .replacingOccurrences(of: "150.79", with: "113.40").replacingOccurrences(of: "2026-11-18ABI08999-00124", with: "2026-11-17ABI08999-00123")
        let reversal = journal.alone(block, from: "2026-11-18", to: "2026-11-19")
        let night2 = folder.appendingPathComponent("night2")
        _ = try TestSupport.write(reversal, to: night2, as: "treasury/GDC_80000000002_2026-11-19.xml")
        _ = try TestSupport.write(Self.header + "19/11/2026;19/11/2026;;113,40;BONIFICO /PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI08999-00123;0064599\n",
                                  to: night2, as: "bank/home-banking_2026-11-19.csv")
        _ = try night(store, [night2.path], asOf: "2026-11-21")
        #expect(try store.rows("""
            SELECT c.reference FROM treasury_movement r JOIN treasury_movement c ON c.movement_id = r.reverses_movement_id
            WHERE r.booking_date = '2026-11-19'
            """) == ["0064502"], "the STORNATO is linked to the credit it takes back")
        let flow = try store.rows("""
            SELECT credit_status || ' ' || credited_cents || ' ' || credited_on || ' ' || days_late FROM flow_verdict
            WHERE flow_id = '2026-11-17ABI08999-00123'
            """)
        #expect(flow == ["CREDITED 11340 2026-11-19 1"])
        #expect(try discrepancies(store, flow: "2026-11-17ABI08999-00123") == ["TES_LATE new"])
    }

    /// The PSP credits the traffic fine a second time (OPI 0070001, booked on the 23rd, with the same
    /// end-to-end id as every `/RFB/` credit of that IUV) and the treasurer reverses it (STORNATO on
    /// the 24th); the storno's journal arrives a night before the credit's. Until its credit comes the
    /// storno takes nothing away (the fine stays cashed on 0064503, no overdue flow is chased), then
    /// it is linked to 0070001, never to the credit that stands.
    @Test func aStornoBeforeItsCreditTakesNothingFromAnother() throws {
        let (folder, store, inbox) = try sampleNight()
        let journal = try JournalMovement(inbox.appendingPathComponent("treasury/GDC_80000000002_2026-11-17.xml"),
                                          "<numero_documento>0064503</numero_documento>")
        let credit = journal.movement.replacingOccurrences(of: "0064503", with: "0070001")
            .replacingOccurrences(of: "3699926111700000077701IT", with: "3699926112300000077702IT")
        let day = { (day: String, block: String) in journal.alone(block, from: "2026-11-17", to: day) }
        let storno = day("2026-11-24", credit.replacingOccurrences(of: "<tipo_operazione>ESEGUITO</tipo_operazione>",
                                                                   with: "<tipo_operazione>STORNATO</tipo_operazione>"))
        _ = try night(store, [try TestSupport.write(storno, to: folder, as: "night2/GDC_80000000002_2026-11-24.xml").path], asOf: "2026-11-24")
        let linked = { try store.rows("""
            SELECT r.booking_date || ' ' || coalesce(c.reference, '-') FROM treasury_movement r
            LEFT JOIN treasury_movement c ON c.movement_id = r.reverses_movement_id WHERE r.sign = 'reversal' AND r.reference = '0070001'
            """) }
        #expect(try linked() == ["2026-11-24 -"], "its credit is not in the store yet")
        let fine = { try store.rows("SELECT label || ' ' || state FROM key_verdict WHERE iuv = '01261060000077770'") }
        #expect(try fine() == ["RT_TES CASHED"])
        #expect(try store.rows("SELECT code FROM discrepancy WHERE iuv = '01261060000077770' AND status IN ('new', 'open')").isEmpty)

        _ = try night(store, [try TestSupport.write(day("2026-11-23", credit), to: folder, as: "night3/GDC_80000000002_2026-11-23.xml").path],
                      asOf: "2026-11-25")
        #expect(try linked() == ["2026-11-24 0070001"])
        let movements = try #require(try store.explain("01261060000077770").sections.first { $0.title == "treasury movements" })
        #expect(movements.rows.filter { $0["sign"] == "reversal" }.map { $0["reverses"] } == ["0070001"], "explain names the credit a storno takes back")
        #expect(try fine() == ["RT_TES CASHED"])
        #expect(try fineCredits(store).first == "0064503 MATCHED")
    }

    /// The Comune's 17th read twice, from its OPI journal and from its home-banking export (the same
    /// credits, same day, same bank references): one of each pair matches and the other is the
    /// excess, named, for a flow as for the traffic fine's `/RFB/` credit; both matched before,
    /// each counting the other after it, and the fine's excess went unnamed.
    @Test func theSameCreditReadTwiceOnOneDayIsOnceTheExcess() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let homeBanking = SampleDayTests.inbox.deletingLastPathComponent().appendingPathComponent("bank-csv/home-banking_80000000002_2026-11-17.csv")
        _ = try night(store, [try inbox(folder, withoutJournal18: false).path, homeBanking.path], asOf: "2026-11-20")
        let labels = { (condition: String) in try store.rows("""
            SELECT m.reference || ' ' || v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE \(condition) AND m.sign = 'credit' ORDER BY 1
            """) }
        #expect(try labels("m.flow_id = '2026-11-17ABI08999-00123'") == ["0064502 IUF_TES_DIV_IMP", "0064502 MATCHED"])
        #expect(try labels("m.iuv = '01261060000077770'") == ["0064503 IUF_TES_DIV_IMP", "0064503 MATCHED"])
        let claims = try store.rows("""
            SELECT coalesce(iuv, flow_id) || ' ' || expected_cents || ' ' || actual_cents FROM discrepancy
            WHERE code = 'TES_AMOUNT_MISMATCH' AND status = 'new' AND (iuv = '01261060000077770' OR flow_id = '2026-11-17ABI08999-00123')
            ORDER BY 1
            """)
        #expect(claims == ["01261060000077770 0 5960", "2026-11-17ABI08999-00123 11340 22680"])
        #expect(try store.rows("SELECT state FROM key_verdict WHERE iuv = '01261060000077770'") == ["CASHED"])
    }

    /// The PSP credits the traffic fine alone for 50.00 of its 59.60: the credit falls short of the
    /// payment (`IUF_TES_DIV_IMP`) and the payment carries the shortfall to claim (`TES_AMOUNT_MISMATCH`,
    /// 59.60 expected, 50.00 found), not an overdue flow nobody owes; the 9.60 sent later cashes it and
    /// resolves the claim. A full pass agrees.
    @Test func aPaymentCreditedAloneShortNamesWhatIsMissing() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let inbox = try inbox(folder, withoutJournal18: false)
        let path = inbox.appendingPathComponent("treasury/GDC_80000000002_2026-11-17.xml")
        var journal = try String(contentsOf: path, encoding: .utf8)
        let number = try #require(journal.range(of: "<numero_documento>0064503</numero_documento>"))
        let amount = try #require(journal.range(of: "<importo>59.60</importo>", range: number.upperBound..<journal.endIndex))
        journal.replaceSubrange(amount, with: "<importo>50.00</importo>")
        try journal.write(to: path, atomically: true, encoding: .utf8)
        _ = try night(store, [inbox.path], asOf: "2026-11-20")
        let fine = { try store.rows("""
            SELECT coalesce(label, '-') || ' ' || state || ' ' || anomalies FROM key_verdict WHERE iuv = '01261060000077770'
            """) }
        #expect(try fine() == ["- PAID IUF_TES_DIV_IMP"])
        let open = { try store.rows("""
            SELECT code || ' ' || status || ' ' || coalesce(expected_cents, '') || ' ' || coalesce(actual_cents, '') FROM discrepancy
            WHERE iuv = '01261060000077770' ORDER BY code
            """) }
        #expect(try open() == ["TES_AMOUNT_MISMATCH new 5960 5000"], "no FDR_OVERDUE: the PSP credited it alone, short")
        #expect(try fineCredits(store) == ["0064503 IUF_TES_DIV_IMP"])

        _ = try creditAgain(store, folder, "19/11/2026;19/11/2026;;9,60;BONIFICO /RFB/01261060000077770/9.60;0064597")
        #expect(try fine() == ["RT_TES CASHED "])
        #expect(try open() == ["TES_AMOUNT_MISMATCH resolved 5960 5000"])
        #expect(try fineCredits(store) == ["0064503 MATCHED", "0064597 MATCHED"])
    }

    /// The night of the 21st: the traffic fine's `/RFB/` credit once more, booked on `booked`.
    private func creditFineAgain(_ store: Store, _ folder: URL, booked: String = "19/11/2026") throws -> ReconciliationSummary {
        try creditAgain(store, folder, "\(booked);\(booked);;59,60;BONIFICO /RFB/01261060000077770/59.60;0064598")
    }

    /// The night of the 21st: one more credit, a line of the Comune's home banking; a full pass on a
    /// copy must agree.
    private func creditAgain(_ store: Store, _ folder: URL, _ line: String) throws -> ReconciliationSummary {
        let again = try TestSupport.write(Self.header + line + "\n", to: folder, as: "bank/home-banking_2026-11-19.csv")
        let summary = try night(store, [again.path], asOf: "2026-11-21")
        IncrementalReconciliationTests.expectAFullPassAgrees(
            store, summary, creditors: try TreasurySamples.configuration.creditors, asOf: try #require(CivilDate(iso: "2026-11-21")),
            copy: folder.appendingPathComponent("copy.sqlite"), "the night of the second credit")
        return summary
    }

    /// The traffic fine's credits with their labels, by booking date.
    private func fineCredits(_ store: Store) throws -> [String] {
        try store.rows("""
            SELECT m.reference || ' ' || v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE m.iuv = '01261060000077770' AND m.sign = 'credit' ORDER BY m.booking_date
            """)
    }

    /// Without the Comune's journal of the 18th, flow 2026-11-17ESMPITMM-S0001726 is credited 204.00 of
    /// 226.21: partial while due (by the 18th), then a mismatch, and the partial item is escalated, not
    /// resolved. Flow 2026-11-1815000000008-R2611180001 (due by the 19th) is overdue on the 20th; its
    /// credit booked on the 20th resolves that into TES_LATE, one working day late, which flows.csv keeps.
    @Test func aPartialCreditEscalatesAndALateCreditIsRemembered() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let partial = "2026-11-17ESMPITMM-S0001726", late = "2026-11-1815000000008-R2611180001"
        _ = try night(store, [try inbox(folder, withoutJournal18: true).path], asOf: "2026-11-18")
        #expect(try discrepancies(store, flow: partial) == ["TES_PARTIAL new"])
        _ = try night(store, [], asOf: "2026-11-19")
        #expect(try discrepancies(store, flow: partial) == ["TES_AMOUNT_MISMATCH new", "TES_PARTIAL escalated TES_AMOUNT_MISMATCH"])
        #expect(try discrepancies(store, flow: late).isEmpty, "due by the 19th inclusive")
        let nineteenth = folder.appendingPathComponent("reports-19")
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-19")!).write(to: nineteenth.path)
        let page = try String(contentsOf: nineteenth.appendingPathComponent("2026-11-19/summary.html"), encoding: .utf8)
        #expect(page.contains("aggravate (sostituite da una più grave): 1;"), "the summary counts the escalated item too")
        _ = try night(store, [], asOf: "2026-11-20")
        #expect(try discrepancies(store, flow: late) == ["TES_OVERDUE new"])

        let credit = try TestSupport.write(Self.header + "20/11/2026;20/11/2026;;50,00;/PUR/LGPE-RIVERSAMENTO/URI/\(late);0064620\n",
                                           to: folder, as: "bank/home-banking_2026-11-20.csv")
        _ = try night(store, [credit.path], asOf: "2026-11-21")
        #expect(try discrepancies(store, flow: late) == ["TES_LATE new", "TES_OVERDUE resolved"], "late is not graver than overdue")
        let row = try store.rows("SELECT credit_status || ' ' || credited_on || ' ' || days_late FROM flow_verdict WHERE flow_id = '\(late)'")
        #expect(row == ["CREDITED 2026-11-20 1"])
        let reports = folder.appendingPathComponent("reports")
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-21")!).write(to: reports.path)
        let flows = try ReportFiles.csvRows(reports.appendingPathComponent("2026-11-21/flows.csv.gz"))
        #expect(flows[0].suffix(4) == ["credited_on", "days_late", "change", "previous_credit_status"])
        #expect(flows.contains { $0[2] == late && $0[10] == "CREDITED" && $0[12] == "2026-11-20" && $0[13] == "1" })
        let listed = try ReportFiles.csvRows(reports.appendingPathComponent("2026-11-21/discrepancies.csv.gz"))
        #expect(listed.contains { $0[0] == "TES_OVERDUE" && $0[2] == "resolved" } && listed.contains { $0[0] == "TES_LATE" && $0[1] == "info" })

        // What happened to each flow and credit tonight: the late flow changed from not credited, its
        // credit is new, the partial flow is still open as it was. A second run of the same day that
        // changes the late flow again still says what it was before the day; the files of the first
        // night list every flow and credit as new.
        let nightly: (String) throws -> (flows: [String], credits: [String]) = { day in
            let flows = try ReportFiles.csvRows(reports.appendingPathComponent("\(day)/flows.csv.gz")).dropFirst()
            let credits = try ReportFiles.csvRows(reports.appendingPathComponent("\(day)/treasury.csv.gz")).dropFirst()
            return (flows.map { "\($0[2]) \($0[10]) \($0[14]) \($0[15])" }, credits.map { "\($0[6]) \($0[10]) \($0[11]) \($0[12])" })
        }
        let twentyFirst = try nightly("2026-11-21")
        #expect(twentyFirst.flows == ["\(late) CREDITED changed NOT_CREDITED", "2026-11-18ABI08999-00124 NOT_CREDITED open NOT_CREDITED",
                                      "\(partial) PARTIAL open PARTIAL"])
        #expect(twentyFirst.credits.contains("0064620 MATCHED new "))
        let twice = try TestSupport.write(Self.header + "21/11/2026;21/11/2026;;50,00;/PUR/LGPE-RIVERSAMENTO/URI/\(late);0064621\n",
                                          to: folder, as: "bank/home-banking_2026-11-21.csv")
        _ = try night(store, [twice.path], asOf: "2026-11-21")
        let again = folder.appendingPathComponent("again")
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-21")!).write(to: again.path)
        let secondRun = try ReportFiles.csvRows(again.appendingPathComponent("2026-11-21/flows.csv.gz"))
        #expect(secondRun.contains { $0[2] == late && $0[10] == "OVER_CREDITED" && $0[14] == "changed" && $0[15] == "NOT_CREDITED" },
                "the day's change is from what the flow was before the day")
        let credits = try ReportFiles.csvRows(again.appendingPathComponent("2026-11-21/treasury.csv.gz")).map { "\($0[6]) \($0[11])" }
        #expect(credits.contains("0064620 new") && credits.contains("0064621 new"))
        let elsewhere = try TestSupport.scratchFolder()
        let first = try Store(path: elsewhere.appendingPathComponent("quadra.sqlite").path)
        _ = try night(first, [try inbox(elsewhere, withoutJournal18: true).path], asOf: "2026-11-18")
        _ = try ReportWriter(store: first, asOf: CivilDate(iso: "2026-11-18")!).write(to: reports.path)
        let eighteenth = try nightly("2026-11-18")
        #expect(!eighteenth.flows.isEmpty && eighteenth.flows.allSatisfy { $0.hasSuffix(" new ") })
        #expect(!eighteenth.credits.isEmpty && eighteenth.credits.allSatisfy { $0.contains(" new ") })
    }

    /// A payment reported late and for the wrong amount: the overdue item is escalated to the mismatch.
    @Test func anOverdueFlowThatArrivesWrongEscalates() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let receipt = try SampleReceipt.replacing("<fiscalCodePA>77777777777</fiscalCodePA>", with: "<fiscalCodePA>80000000002</fiscalCodePA>")
            .replacingOccurrences(of: "<applicationDate>2021-10-01</applicationDate>", with: "<applicationDate>2026-11-16</applicationDate>")
        var flow = SampleFlow()
        flow.rows = [SampleFlow.Row(iuv: "11111111112222222", iur: "c110729d258c4ab1b765fe902aae41d6", amount: "19.00")]
        let reconciler = Reconciler(store: store, creditors: [Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false,
                                                                       expectsTreasury: false)])
        _ = try Ingestor(store: store).ingest([try TestSupport.write(receipt, to: folder, as: "rt.xml").path])
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-19")!)
        _ = try Ingestor(store: store).ingest([try TestSupport.write(flow.xml, to: folder, as: "flow.xml").path])
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        let codes = try store.rows("SELECT code || ' ' || status || coalesce(' ' || replaced_by, '') FROM discrepancy ORDER BY 1")
        #expect(codes.contains("FDR_OVERDUE escalated RT_IUF_AMOUNT_MISMATCH") && codes.contains("RT_IUF_AMOUNT_MISMATCH new"), "\(codes)")
    }

    /// A flow for a creditor not served is an error of its own, with the flow and its total.
    @Test func aFlowForACreditorNotServedIsADiscrepancy() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var flow = SampleFlow()
        flow.receiver = "90000000001"
        _ = try night(store, [try TestSupport.write(flow.xml, to: folder, as: "flow.xml").path], asOf: "2026-11-18")
        let row = try store.rows("""
            SELECT code || ' ' || severity || ' ' || creditor_fiscal_code || ' ' || expected_cents FROM discrepancy WHERE flow_id = '\(flow.flowId)'
            """)
        #expect(row == ["FDR_UNKNOWN_RECEIVER error 90000000001 22621"])
    }

    /// The receiver is judged on the creditors served now: a flow that came before its creditor was
    /// configured is that creditor's once it is (no FDR_UNKNOWN_RECEIVER), and the flows of a creditor
    /// removed from the configuration since they arrived are nobody's to chase (no error for each).
    @Test func aCreditorAddedLaterOwnsItsEarlierFlowsAndARemovedOneLeavesNoErrors() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var configuration = try TreasurySamples.configuration
        var early = SampleFlow(), late = SampleFlow()
        early.receiver = "90000000001"
        late.flowId = "2026-11-18ESMPITMM-S0001800"
        let newcomer = Creditor(fiscalCode: "90000000001", name: "Comune nuovo", expectsPositions: false, expectsTreasury: false)
        func night(_ flow: SampleFlow, _ asOf: String) throws -> [String] {
            let path = try TestSupport.write(flow.xml, to: folder, as: "\(flow.flowId).xml").path
            _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([path])
            _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: asOf)!)
            return try store.rows("SELECT code || ' ' || status || ' ' || flow_id FROM discrepancy WHERE code = 'FDR_UNKNOWN_RECEIVER' ORDER BY 1")
        }
        #expect(try night(early, "2026-11-18") == ["FDR_UNKNOWN_RECEIVER new \(early.flowId)"])
        configuration.creditors.append(newcomer)
        #expect(try night(late, "2026-11-19") == ["FDR_UNKNOWN_RECEIVER resolved \(early.flowId)"], "now served, it is the newcomer's")

        configuration.creditors.removeAll { $0.fiscalCode == late.receiver }
        let third = { var flow = SampleFlow(); flow.receiver = newcomer.fiscalCode; flow.flowId = "2026-11-19ESMPITMM-S0001900"; return flow }()
        #expect(try night(third, "2026-11-20") == ["FDR_UNKNOWN_RECEIVER resolved \(early.flowId)"],
                "the removed creditor's flow \(late.flowId), served when it came, raises nothing")
    }
}

/// Revocations are negative (the FdR annotation of `singoloImportoPagato` for outcome 3): the flow's
/// total is the signed sum, its credit is checked against it, the revoked payment is not cashed and
/// the other one is.
@Suite struct RevocationTests {
    @Test func aNegativeRevocationLeavesTheOtherPaymentCashed() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let revoked = ("0000000000000000000000000000000a", "01000000000000101"), kept = ("0000000000000000000000000000000b", "01000000000000102")
        var flow = SampleFlow()
        flow.rows = [SampleFlow.Row(iuv: revoked.1, iur: revoked.0, amount: "-50.00", code: "3"),
                     SampleFlow.Row(iuv: kept.1, iur: kept.0, amount: "80.00")]
        flow.declaredTotal = "30.00"
        let credit = TreasuryLifecycleTests.header + "17/11/2026;17/11/2026;;30,00;/PUR/LGPE-RIVERSAMENTO/URI/\(flow.flowId);0064700\n"
        let paths = [
            try TestSupport.write(RandomReceipt.xml(id: revoked.0, iuv: revoked.1, transfers: [(1, "80000000002", 5000, false)]), to: folder, as: "a.xml"),
            try TestSupport.write(RandomReceipt.xml(id: kept.0, iuv: kept.1, transfers: [(1, "80000000002", 8000, false)]), to: folder, as: "b.xml"),
            try TestSupport.write(flow.xml, to: folder, as: "flow.xml"),
            try TestSupport.write(credit, to: folder, as: "bank/home-banking.csv"),
        ].map(\.path)
        let configuration = try TreasurySamples.configuration
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(paths)
        _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: "2026-11-18")!)
        #expect(try store.rows("SELECT computed_total_cents || ' ' || declared_total_cents FROM flow_version") == ["3000 3000"])
        #expect(try store.rows("SELECT code FROM flow_finding").isEmpty, "a negative revocation is a valid row")
        #expect(try store.rows("SELECT iuv || ' ' || state FROM key_verdict ORDER BY iuv") == ["\(revoked.1) PAID", "\(kept.1) CASHED"])
        #expect(try store.rows("SELECT credit_status FROM flow_verdict") == ["CREDITED"])
        let codes = try store.rows("SELECT code || ' ' || iuv FROM discrepancy WHERE code NOT IN ('RECEIPT_WITHOUT_POSITION', 'TAXONOMY_UNKNOWN') ORDER BY 1")
        #expect(codes == ["REVOKED_PAYMENT \(revoked.1)"], "\(codes)")

        // The revoked payment's position is paid, not reported: nothing of it was reported but its revocation.
        let position = """
            {"paymentPositions": [{"iupd": "REV-1", "organizationFiscalCode": "80000000002", "type": "F", "fiscalCode": "RSSMRA80A01H501U",
              "fullName": "Mario Rossi", "paymentOption": [{"iuv": "\(revoked.1)", "amount": 5000, "isPartialPayment": false,
              "dueDate": "2026-12-31", "transfer": [{"idTransfer": "1", "amount": 5000, "organizationFiscalCode": "80000000002",
              "remittanceInformation": "TARI", "category": "9/0101101IM/", "iban": "IT60X0542811101000000123456"}]}]}]}
            """
        _ = try Ingestor(store: store, options: .init(configuration: configuration))
            .ingest([try TestSupport.write(position, to: folder, as: "80000000002/gpd/rev.json").path])
        _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: "2026-11-19")!)
        #expect(try store.rows("SELECT status || ' ' || paid_cents || ' ' || reported_cents FROM position_verdict WHERE iupd = 'REV-1'")
                == ["PAID 5000 0"], "it was REPORTED with -50.00 reported")
    }

    @Test func aNegativeAmountOnAnotherOutcomeIsABadRow() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var flow = SampleFlow()
        flow.rows[1].amount = "-22.21"
        _ = try Ingestor(store: store).ingest([try TestSupport.write(flow.xml, to: folder, as: "flow.xml").path])
        let findings = try store.rows("SELECT code || ': ' || detail FROM flow_finding WHERE code LIKE 'FDR_BAD_ROW%'")
        #expect(findings.count == 1 && findings[0].contains("'-22.21' is negative but codiceEsitoSingoloPagamento is '0'"), "\(findings)")
        #expect(try store.rows("SELECT count(*) FROM flow_row WHERE amount_cents IS NULL") == ["1"], "the row is kept without its amount")
    }
}

/// One movement of a sample OPI journal, to build a journal of another day around it.
private struct JournalMovement {
    /// The journal up to its account's description, where movements begin.
    let header: String
    /// The `movimento_conto_evidenza` holding the marker.
    let movement: String

    init(_ file: URL, _ marker: String) throws {
        let journal = try String(contentsOf: file, encoding: .utf8)
        let head = try #require(journal.range(of: "</descrizione_conto_evidenza>"))
        let found = try #require(journal.range(of: marker))
        let start = try #require(journal.range(of: "<movimento_conto_evidenza>", options: .backwards, range: journal.startIndex..<found.lowerBound))
        let end = try #require(journal.range(of: "</movimento_conto_evidenza>", range: found.upperBound..<journal.endIndex))
        header = String(journal[..<head.upperBound])
        movement = String(journal[start.lowerBound..<end.upperBound])
    }

    /// A journal holding `block` alone, its dates and the header's moved from one day to another.
    func alone(_ block: String, from: String, to day: String) -> String {
        header.replacingOccurrences(of: from, with: day) + "\n" + block.replacingOccurrences(of: from, with: day)
            + "\n    </informazioni_conto_evidenza>\n</flusso_giornale_di_cassa>\n"
    }
}
