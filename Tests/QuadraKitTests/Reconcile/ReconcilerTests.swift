import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// The reconciliation engine over real SQLite stores and real-format documents.
@Suite struct ReconcilerTests {
    static let comune = Creditor(fiscalCode: "80000000002", name: "Comune di Esempio", ibans: ["IT60X0542811101000000123456"],
                                 expectsPositions: false)
    static let provincia = Creditor(fiscalCode: "80000000010", name: "Provincia di Esempio", expectsPositions: false)

    private func newStore() throws -> (URL, Store) {
        let folder = try TestSupport.scratchFolder()
        return (folder, try Store(path: folder.appendingPathComponent("quadra.sqlite").path))
    }

    private func discrepancies(_ store: Store) throws -> [String] {
        try store.pool.read { try String.fetchAll($0, sql: "SELECT code || ' ' || status FROM discrepancy ORDER BY code, status") }
    }

    @Test func theSampleDayReconcilesAsItsStorySays() throws {
        let (_, store) = try newStore()
        let configuration = try TreasurySamples.configuration
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([SampleDayTests.inbox.path])
        let reconciler = Reconciler(store: store, creditors: configuration.creditors)
        let summary = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        #expect(summary.keys == 10 && summary.keysByState == ["CASHED": 10])
        #expect(summary.keysByLabel == ["IUD_RT_IUF_TES": 8, "RT_TES": 1, "RT_IUF_TES": 1])
        #expect(summary.centsByState["CASHED"] == Int64(93_270), "all money due to the two creditors, MBD excluded")
        let rtTes = try store.pool.read { try String.fetchOne($0, sql: "SELECT iuv FROM key_verdict WHERE label = 'RT_TES'") }
        #expect(rtTes == "01261060000077770", "the unreported traffic fine credited alone by /RFB/")
        #expect(try discrepancies(store) == ["CAUSALE_UNPARSEABLE new", "TES_UNKNOWN_REFERENCE new"])
        let labels = try store.pool.read { try String.fetchAll($0, sql: "SELECT label FROM movement_verdict ORDER BY label") }
        #expect(Set(labels) == ["MATCHED", "TES_NO_IUF_OR_IUV", "TES_NO_MATCH"])

        let before = try store.snapshotDigests()
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        var after = try store.snapshotDigests()
        after["reconciliation_run"] = before["reconciliation_run"]
        #expect(after == before, "the same store and as-of date give the same verdicts and discrepancies")
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-21")!)
        #expect(try discrepancies(store) == ["CAUSALE_UNPARSEABLE open", "TES_UNKNOWN_REFERENCE open"])
    }

    @Test func aLateFlowResolvesTheOverdueItemOnTheNextRun() throws {
        let (folder, store) = try newStore()
        let receipt = try SampleReceipt.replacing("<fiscalCodePA>77777777777</fiscalCodePA>", with: "<fiscalCodePA>80000000002</fiscalCodePA>")
            .replacingOccurrences(of: "<applicationDate>2021-10-01</applicationDate>", with: "<applicationDate>2026-11-16</applicationDate>")
        let ingest = { (name: String, text: String) in
            _ = try Ingestor(store: store).ingest([try TestSupport.write(text, to: folder, as: name).path])
        }
        try ingest("rt.xml", receipt)
        _ = try Ingestor(store: store).ingest([SampleDayTests.inbox.appendingPathComponent("taxonomy/tassonomia.json").path])
        let reconciler = Reconciler(store: store, creditors: [Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false)])
        #expect(try reconciler.run(asOf: CivilDate(iso: "2026-11-18")!).keysByState == ["PAID": 1])
        let pending = try discrepancies(store)
        #expect(pending.isEmpty, "pending up to and including D+2 working days: \(pending)")
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-19")!)
        #expect(try discrepancies(store) == ["FDR_OVERDUE new"])
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        #expect(try discrepancies(store) == ["FDR_OVERDUE open"])
        let age = try store.pool.read { try String.fetchOne($0, sql: "SELECT first_seen FROM discrepancy") }
        #expect(age == "2026-11-19")

        var flow = SampleFlow()
        flow.receiver = "80000000002"
        flow.rows = [SampleFlow.Row(iuv: "11111111112222222", iur: "c110729d258c4ab1b765fe902aae41d6", amount: "20.00")]
        try ingest("flow.xml", flow.xml)
        let summary = try reconciler.run(asOf: CivilDate(iso: "2026-11-21")!)
        #expect(summary.keysByLabel == ["RT_IUF": 1])
        #expect(try discrepancies(store).contains("FDR_OVERDUE resolved"))
        #expect(try discrepancies(store).contains("TES_OVERDUE new"), "the Comune loads its treasury and nothing credited the flow")
    }

    @Test func aCreditorThatLoadsNoTreasuryIsNeverReportedForLackingIt() throws {
        let (folder, store) = try newStore()
        var flow = SampleFlow()
        flow.rows = [SampleFlow.Row(iuv: "11111111112222222", iur: "c110729d258c4ab1b765fe902aae41d6", amount: "20.00")]
        var comune = Self.comune
        comune.expectsTreasury = false
        _ = try Ingestor(store: store, options: .init(configuration: QuadraConfiguration(creditors: [comune])))
            .ingest([try TestSupport.write(flow.xml, to: folder, as: "flow.xml").path])
        _ = try Reconciler(store: store, creditors: [comune]).run(asOf: CivilDate(iso: "2026-12-31")!)
        let found = try discrepancies(store)
        #expect(found == ["REPORTED_WITHOUT_RECEIPT new"], "a configured receiver is known even to an empty store: \(found)")
    }

    /// A store holding a receipt of 20.00 € to the Comune and the flow reporting it (revision 1), with
    /// a way to ingest more; and revision 2 of that flow, dated the next day, for the test to change.
    private func revisionWorld() throws -> (URL, Store, ingest: (String, String) throws -> Void, revised: SampleFlow) {
        let (folder, store) = try newStore()
        let receipt = try SampleReceipt.replacing("<fiscalCodePA>77777777777</fiscalCodePA>", with: "<fiscalCodePA>80000000002</fiscalCodePA>")
            .replacingOccurrences(of: "<applicationDate>2021-10-01</applicationDate>", with: "<applicationDate>2026-11-16</applicationDate>")
        var first = SampleFlow()
        first.rows = [SampleFlow.Row(iuv: "11111111112222222", iur: "c110729d258c4ab1b765fe902aae41d6", amount: "20.00")]
        var revised = first
        revised.dateTime = "2026-11-18T09:00:00"
        let ingest = { (name: String, text: String) in
            _ = try Ingestor(store: store).ingest([try TestSupport.write(text, to: folder, as: name).path])
        }
        try ingest("rt.xml", receipt)
        try ingest("rev1.xml", first.xml)
        return (folder, store, ingest, revised)
    }

    @Test func aRevisionAfterTheKeyWasClosedIsFlagged() throws {
        let (_, store, ingest, revision2) = try revisionWorld()
        var revised = revision2
        revised.rows[0].amount = "19.00"
        let reconciler = Reconciler(store: store, creditors: [Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false, expectsTreasury: false)])
        #expect(try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!).keysByState == ["REPORTED": 1])
        try ingest("rev2.xml", revised.xml)
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-18")!)
        let codes = try discrepancies(store)
        #expect(codes.contains("FDR_REVISED_AFTER_CLOSE new") && codes.contains("RT_IUF_AMOUNT_MISMATCH new"), "\(codes)")
        let message = try store.rows("SELECT message FROM discrepancy WHERE code = 'FDR_REVISED_AFTER_CLOSE'")
        #expect(message == ["a revision of flow 2026-11-17ESMPITMM-S0001726 changed this transfer after it was closed"])

        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-19")!)
        #expect(try discrepancies(store).contains("FDR_REVISED_AFTER_CLOSE open"), "the key is not closed again yet")
        var restored = revised
        restored.dateTime = "2026-11-19T09:00:00"
        restored.rows[0].amount = "20.00"
        try ingest("rev3.xml", restored.xml)
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-20")!)
        #expect(try discrepancies(store).contains("FDR_REVISED_AFTER_CLOSE resolved"), "closed again after the revision")
    }

    /// A revision that changes only a row's outcome code leaves the key closed: the event is still the
    /// night's news, for a full pass of the same day as for the run that saw it, and gone the night after.
    @Test func aRevisionThatLeavesTheKeyClosedIsNewForItsWholeDay() throws {
        let (folder, store, ingest, revision2) = try revisionWorld()
        var revised = revision2
        revised.rows[0].code = "9"
        _ = try Ingestor(store: store).ingest([SampleDayTests.inbox.appendingPathComponent("taxonomy/tassonomia.json").path])
        let creditors = [Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false, expectsTreasury: false)]
        let reconciler = Reconciler(store: store, creditors: creditors)
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!)
        try ingest("rev2.xml", revised.xml)
        let day = CivilDate(iso: "2026-11-18")!
        let tonight = try reconciler.run(asOf: day)
        let raised = try discrepancies(store)
        #expect(raised == ["FDR_REVISED_AFTER_CLOSE new"], "\(raised)")
        let copy = IncrementalReconciliationTests.expectAFullPassAgrees(
            store, tonight, creditors: creditors, asOf: day, copy: folder.appendingPathComponent("copy.sqlite"), "the revision's day")
        let again = try #require(copy)
        #expect(try discrepancies(again) == ["FDR_REVISED_AFTER_CLOSE new"], "a second pass of the same day keeps the night's news")
        _ = try reconciler.run(asOf: CivilDate(iso: "2026-11-19")!)
        let after = try discrepancies(store)
        #expect(after == ["FDR_REVISED_AFTER_CLOSE resolved"], "the key was closed again the night it was revised: \(after)")
    }

    @Test func explainShowsTheWholeTrail() throws {
        let (_, store) = try newStore()
        let configuration = try TreasurySamples.configuration
        _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([SampleDayTests.inbox.path])
        _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: CivilDate(iso: "2026-11-20")!)
        for term in ["01261070000009017", "301261070000009017", "dfdaba17d51862a641dec90c8ec32bcf"] {
            let trail = try store.explain(term)
            #expect(trail.iuvs == ["01261070000009017"], "\(term)")
            let counts = Dictionary(uniqueKeysWithValues: trail.sections.map { ($0.title, $0.rows.count) })
            #expect(counts == ["debt positions": 1, "receipts": 1, "flow rows (every version)": 1, "treasury movements": 2,
                               "verdicts": 1, "discrepancies": 0, "notes": 0], "\(term): \(counts)")
        }
        let flow = try store.explain("2026-11-17ESMPITMM-S0001726")
        #expect(flow.iuvs == ["01261010000041774", "01261070000009017"])
        #expect(try store.explain("nothing-like-this").iuvs.isEmpty)
    }

    /// Edition 31 keeps the code valid to 2080; edition 32 ends it on 2026-11-01. A payment of 16 November
    /// is then on an expired code: the newest edition decides, whatever order the tables arrive in.
    @Test(arguments: [false, true])
    func theNewestTaxonomyEditionDecides(newestFirst: Bool) throws {
        let (folder, store) = try newStore()
        let receipt = try SampleReceipt.replacing("<fiscalCodePA>77777777777</fiscalCodePA>", with: "<fiscalCodePA>80000000002</fiscalCodePA>")
            .replacingOccurrences(of: "<applicationDate>2021-10-01</applicationDate>", with: "<applicationDate>2026-11-16</applicationDate>")
        let header = "CODICE TIPO ENTE CREDITORE;TIPO ENTE CREDITORE;# Progressivo Macro Area per Ente Creditore;NOME MACRO AREA;DESCRIZIONE MACRO AREA;CODICE TIPOLOGIA SERVIZIO;TIPO SERVIZIO;Motivo Giuridico della riscossione;DESCRIZIONE TIPO SERVIZIO;# VERSIONE TASSONOMIA;DATI SPECIFICI DI INCASSO;DATA INIZIO VALIDITA (mm/gg/aaaa);DATA FINE VALIDITA (mm/gg/aaaa);combinazione topic&subtopic;Flag_Nuova_Combinazione\n"
        func edition(_ version: Int, ends: String) -> String {
            header + "1;COMUNE;1;TRIBUTI;Tributi;100;IMU;IM;Imposta municipale;\(version);9/0101100IM/;01/01/2020;\(ends);Casa;0\n"
        }
        let tables = [("v31.csv", edition(31, ends: "01/01/2080")), ("v32.csv", edition(32, ends: "11/01/2026"))]
        for (name, text) in newestFirst ? tables.reversed() : tables {
            _ = try Ingestor(store: store).ingest([try TestSupport.write(text, to: folder, as: name).path])
        }
        _ = try Ingestor(store: store).ingest([try TestSupport.write(receipt, to: folder, as: "rt.xml").path])
        let comune = Creditor(fiscalCode: "80000000002", name: "Comune", expectsPositions: false, expectsTreasury: false)
        _ = try Reconciler(store: store, creditors: [comune]).run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(try discrepancies(store) == ["TAXONOMY_NOT_VALID_ON_DATE new"])
    }

    /// A receipt paid before the look-back is no key of its own, yet it still pays the same IUV and
    /// index: a second payment within the look-back is a double payment, found incrementally (the
    /// IUV touched by the new receipt) and by a full pass alike.
    @Test func aPaymentBeforeTheLookBackStillMakesADoublePayment() throws {
        let (folder, store) = try newStore()
        let transfer = [(id: 1, creditor: Self.comune.fiscalCode, cents: Int64(12_000), stamp: false)]
        let old = RandomReceipt.xml(id: String(repeating: "a", count: 32), iuv: "01000000000000042", transfers: transfer)
            .replacingOccurrences(of: "2026-11-16", with: "2025-01-10")
        let recent = RandomReceipt.xml(id: String(repeating: "b", count: 32), iuv: "01000000000000042", transfers: transfer)
        var reconciler = Reconciler(store: store, creditors: [Self.comune])
        _ = try Ingestor(store: store).ingest([SampleDayTests.inbox.appendingPathComponent("taxonomy/tassonomia.json").path,
                                               try TestSupport.write(old, to: folder, as: "old.xml").path])
        #expect(try reconciler.run(asOf: CivilDate(iso: "2026-11-16")!).keys == 0, "paid 675 days before: outside the 400-day look-back")
        _ = try Ingestor(store: store).ingest([try TestSupport.write(recent, to: folder, as: "recent.xml").path])
        let night = try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(night.incremental && night.keys == 1)
        let anomalies = { try store.pool.read { try String.fetchAll($0, sql: "SELECT iur || ' ' || anomalies FROM key_verdict") } }
        #expect(try anomalies() == [String(repeating: "b", count: 32) + " DOPPI"])
        #expect(try discrepancies(store) == ["DOUBLE_PAYMENT new"])
        reconciler.everything = true
        let full = try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(full.keys == 1 && full.changedKeys == 0)
        #expect(try discrepancies(store) == ["DOUBLE_PAYMENT new"])
    }

    /// Random multi-beneficiary receipts (some transfers to unserved creditors, some digital stamps):
    /// the invariants hold whatever the mix.
    @Test(arguments: [1, 2, 3])
    func invariantsHoldOnRandomReceipts(seed: UInt64) throws {
        let (folder, store) = try newStore()
        var random = SplitMix64(seed: seed)
        let creditors = ["80000000002", "80000000010", "90000000001"]
        var expectedKeys = 0
        var expectedCents: Int64 = 0
        for index in 0..<40 {
            let transfers = (1...Int.random(in: 1...5, using: &random)).map { id in
                (id: id, creditor: creditors.randomElement(using: &random)!, cents: Int64.random(in: 1...500_000, using: &random),
                 stamp: Int.random(in: 0..<8, using: &random) == 0)
            }
            for transfer in transfers where !transfer.stamp && transfer.creditor != "90000000001" {
                expectedKeys += 1
                expectedCents += transfer.cents
            }
            let text = RandomReceipt.xml(id: String(format: "%032x", index + 1), iuv: String(format: "01%015d", index), transfers: transfers)
            _ = try TestSupport.write(text, to: folder, as: "inbox/rt-\(index).xml")
        }
        let ingested = try Ingestor(store: store).ingest([folder.appendingPathComponent("inbox").path])
        #expect(ingested.count(.ingested) == 40)
        let reconciler = Reconciler(store: store, creditors: [Self.comune, Self.provincia])
        let first = try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(first.keys == expectedKeys, "every served non-MBD receipt transfer yields exactly one key")
        #expect(first.centsByState.values.reduce(0, +) == expectedCents)
        let verdicts = { try store.pool.read { try String.fetchAll($0, sql: "SELECT iuv || iur || transfer_index || state FROM key_verdict ORDER BY 1") } }
        let once = try verdicts()
        let again = try reconciler.run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(again.incremental && again.changedKeys == 0, "nothing new: nothing written")
        #expect(try verdicts() == once, "classifying twice gives the same result")
        var scratch = reconciler
        scratch.everything = true
        let full = try scratch.run(asOf: CivilDate(iso: "2026-11-17")!)
        #expect(full.keys == first.keys && full.changedKeys == 0 && full.keysByState == first.keysByState)
    }
}

/// A paSendRTV2 request with the given transfers, in the real element order.
enum RandomReceipt {
    static func xml(id: String, iuv: String, transfers: [(id: Int, creditor: String, cents: Int64, stamp: Bool)]) -> String {
        let total = transfers.reduce(Int64(0)) { $0 + $1.cents }
        let list = transfers.map { transfer in
            """
            <transfer><idTransfer>\(transfer.id)</idTransfer><transferAmount>\(Money.format(transfer.cents))</transferAmount>
            <fiscalCodePA>\(transfer.creditor)</fiscalCodePA>\(transfer.stamp ? "<MBDAttachment>PG1hcmNhRGFCb2xsbz4=</MBDAttachment>" : "<IBAN>IT60X0542811101000000123456</IBAN>")
            <remittanceInformation>/RFB/\(iuv)</remittanceInformation><transferCategory>9/0101100IM/</transferCategory></transfer>
            """
        }.joined()
        return """
            <ns2:paSendRTV2Request xmlns:ns2="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">
            <idPA>80000000002</idPA><idBrokerPA>80000000002</idBrokerPA><idStation>80000000002_01</idStation>
            <receipt><receiptId>\(id)</receiptId><noticeNumber>3\(iuv)</noticeNumber><fiscalCode>80000000002</fiscalCode>
            <outcome>OK</outcome><creditorReferenceId>\(iuv)</creditorReferenceId><paymentAmount>\(Money.format(total))</paymentAmount>
            <description>test</description><companyName>Comune di Esempio</companyName>
            <debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType>
            <entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor>
            <transferList>\(list)</transferList><idPSP>ESMPITMM</idPSP><PSPCompanyName>Banca Esempio</PSPCompanyName>
            <idChannel>07000000005_01</idChannel><channelDescription>app</channelDescription>
            <paymentDateTime>2026-11-16T10:00:00</paymentDateTime><applicationDate>2026-11-16</applicationDate></receipt>
            </ns2:paSendRTV2Request>
            """
    }
}
