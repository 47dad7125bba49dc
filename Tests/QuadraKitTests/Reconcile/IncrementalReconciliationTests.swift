import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// The incremental engine must never differ from a from-scratch pass: after every night, a copy of
/// the store reconciled with `--full` (every key of the look-back) holds the same verdicts, the same
/// discrepancies (statuses, first-seen dates) and writes the same reports.
@Suite struct IncrementalReconciliationTests {
    static let verdictTables = ["key_verdict", "flow_verdict", "movement_verdict", "discrepancy"]

    /// A generated world with planted defects, its documents dealt at random over five nights: receipts
    /// after their flows, credits before their flows, positions late, revisions and reversals any night.
    @Test func nightsReconciledIncrementallyEqualAFullPassOnACopy() throws {
        let folder = try TestSupport.scratchFolder()
        let out = folder.appendingPathComponent("dataset").path
        let summary = try DatasetGenerator(options: DatasetGeneratorTests.options(seed: 11, receipts: 900, rate: 80_000)).write(to: out)
        let configuration = try QuadraConfiguration.load(path: out + "/quadra.toml")
        let files = try Self.files(under: URL(fileURLWithPath: out + "/inbox"))
        var random = SplitMix64(seed: 5)
        var nights = [[String]](repeating: [], count: 5)
        for file in files { nights[random.below(nights.count)].append(file) }

        let last = try #require(CivilDate(iso: summary.asOf))
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        for (index, night) in nights.enumerated() {
            let day = last.adding(days: index - nights.count + 1)
            _ = try Ingestor(store: store, options: .init(configuration: configuration)).ingest(night)
            let tonight = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: day)
            #expect(tonight.incremental == (index > 0))
            #expect(try store.pool.read(PaymentDayTotalsTests.agree), "night \(index + 1): the month chart's sums")

            let copy = try #require(Self.expectAFullPassAgrees(store, tonight, creditors: configuration.creditors, asOf: day,
                                                               copy: folder.appendingPathComponent("copy-\(index).sqlite"), "night \(index + 1)"))
            for everything in [false, true] {
                let options = ReportWriter.Options(everything: everything)
                let mine = folder.appendingPathComponent("reports-\(index)")
                let theirs = folder.appendingPathComponent("scratch-\(index)")
                let name = try ReportWriter(store: store, asOf: day, options: options).write(to: mine.path).asOf
                _ = try ReportWriter(store: copy, asOf: day, options: options).write(to: theirs.path)
                let folderName = everything ? "\(name)-full" : name
                #expect(try DatasetGeneratorTests.digests(mine.appendingPathComponent(folderName))
                        == (try DatasetGeneratorTests.digests(theirs.appendingPathComponent(folderName))), "night \(index + 1) reports")
            }
        }
        let keys = try store.count("SELECT count(*) FROM key_verdict")
        let open = try store.count("SELECT count(*) FROM key_verdict WHERE open = 1")
        #expect(keys > 900 && open < keys, "every key of the world was classified by the end, most are closed")
        let quiet = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: last.adding(days: 1))
        #expect(quiet.incremental && quiet.keys >= open && quiet.keys < keys,
                "a night that brings nothing looks at the open keys (and their IUVs' siblings), not the history")
    }

    /// A nightly report holds what the night changed and what is still open; the full listing holds
    /// every key. A key cashed on an earlier night is in the second only.
    @Test func aNightlyReportCarriesTheNightAndTheFullOneEveryKey() throws {
        let (folder, store, configuration) = try Self.sampleDayRun()
        let inbox = SampleDayTests.inbox.path, out = folder.appendingPathComponent("reports").path
        let first = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-20/classification.csv.gz"))
        #expect(first.count == 11 && first.dropFirst().allSatisfy { $0[24] == "new" && $0[25].isEmpty })

        let next = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-21")!).run(inbox: inbox, out: out)
        #expect(next.reconciliation.keys == 0 && next.reconciliation.incremental, "all ten keys were cashed: nothing to look at")
        let night = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/classification.csv.gz"))
        #expect(night.count == 1, "only the header: nothing changed, nothing open")
        #expect(try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/accounting.csv.gz")).count == 1)
        let open = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21/treasury.csv.gz")).dropFirst()
        #expect(open.map { $0[10] }.sorted() == ["TES_NO_IUF_OR_IUV", "TES_NO_MATCH"], "unmatched credits stay on the list")

        var options = ReportWriter.Options()
        options.everything = true
        _ = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-21")!, options: options).write(to: out)
        let full = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21-full/classification.csv.gz"))
        #expect(full.count == 11 && full.dropFirst().allSatisfy { $0[6] == "CASHED" && $0[24].isEmpty })
        let accounting = try ReportFiles.csvRows(folder.appendingPathComponent("reports/2026-11-21-full/accounting.csv.gz"))
        #expect(accounting.count > 1)
    }

    /// A creditor whose configuration changes has its keys classified again that night, by itself.
    @Test func aConfigurationChangeReclassifiesThatCreditor() throws {
        var (folder, store, configuration) = try Self.sampleDayRun()
        let inbox = SampleDayTests.inbox.path, out = folder.appendingPathComponent("reports").path
        let index = try #require(configuration.creditors.firstIndex { $0.fiscalCode == "80000000002" })
        configuration.creditors[index].ibans = ["IT60X0542811101000000999999"]
        let next = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-21")!).run(inbox: inbox, out: out)
        let keys = try store.count("SELECT count(*) FROM key_verdict WHERE creditor_fiscal_code = '80000000002'")
        let all = try store.count("SELECT count(*) FROM key_verdict")
        #expect(keys > 0 && next.reconciliation.keys >= keys && next.reconciliation.keys < all, "\(next.reconciliation.keys) of \(all)")
        let codes = try store.rows("SELECT code FROM discrepancy WHERE status = 'new' AND creditor_fiscal_code = '80000000002'")
        #expect(codes.contains("IBAN_NOT_CREDITOR_ACCOUNT"), "its receipts now credit an account it no longer declares")
    }

    /// Whether a payment had to match a published position is its notice's creditor's to say, also for
    /// the transfers it pays to another body. A creditor added to the configuration that publishes
    /// positions has the other body's keys of its receipts classified again that night, by itself:
    /// here a receipt of 90000000001 (not served, no position) paying a transfer to 80000000010.
    @Test func aCreditorAddedReachesTheTransfersItsNoticesPayOthers() throws {
        var (folder, store, configuration) = try Self.sampleDayRun()
        let notice = "90000000001"
        let shared = """
            SELECT k.label || ' ' || k.anomalies || ' ' || k.changed_on FROM key_verdict k JOIN receipt r ON r.receipt_id = k.receipt_id
            WHERE r.fiscal_code = '\(notice)' AND k.creditor_fiscal_code = '80000000010'
            """
        #expect(try store.rows(shared) == ["RT_IUF_TES  2026-11-20"])
        configuration.creditors.append(Creditor(fiscalCode: notice, name: "Comune nuovo", expectsPositions: true, expectsTreasury: false))
        let day = try #require(CivilDate(iso: "2026-11-21"))
        let tonight = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: day)
        #expect(tonight.incremental)
        #expect(try store.rows(shared) == ["RT_IUF_TES RT_NO_IUD 2026-11-21"], "paid without a position of its notice's creditor")
        Self.expectAFullPassAgrees(store, tonight, creditors: configuration.creditors, asOf: day,
                                   copy: folder.appendingPathComponent("copy.sqlite"), "after the change")
    }

    /// The keys' evidence is read through a scratch file beside the store: one left by a killed run
    /// (here, not even a database) is replaced, and none is left once the pass ends.
    @Test func theScratchFileOfAKilledPassIsReplacedAndNoneIsLeft() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let scratch = ReconciliationScope.scratchPath(forStore: Store.resolvedPath(store.path))
        try Data("left by a killed run".utf8).write(to: URL(fileURLWithPath: scratch))
        let configuration = try TreasurySamples.configuration
        let night = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        #expect(night.reconciliation.keys == 10)
        #expect(try store.count("SELECT count(*) FROM key_verdict") == 10)
        #expect(!FileManager.default.fileExists(atPath: scratch))
    }

    /// Evidence that changes the verdict of something closed reaches it, as a full pass would see it:
    /// a credit booked before a flow's matched one (the flow is over-credited, and the matched credit
    /// becomes the excess), a position GPD sends as unpaid after its receipt (its discrepancy renewed
    /// each night, though every key of it is cashed), an edition of the taxonomy corrected under the
    /// same version (a code of another payment no longer valid on its day), and a creditor dropped
    /// from the configuration (its credits match no served account, its flow waiting for a credit is
    /// watched only until due, and a flow for it arriving that night is unknown), then served again. Each night equals a full pass on a copy of the store.
    @Test func evidenceThatChangesClosedItemsReachesThem() throws {
        var (folder, store, configuration) = try Self.sampleDayRun()
        let night = folder.appendingPathComponent("night-2")
        let journal = try TreasurySamples.text(TreasurySamples.journal17)
        let blocks = journal.components(separatedBy: "<movimento_conto_evidenza>")
        let credit = try #require(blocks.first { $0.contains("<importo>113.40</importo>") })
        let earlier = (blocks[0] + "<movimento_conto_evidenza>" + credit.components(separatedBy: "</movimento_conto_evidenza>")[0]
                       + "</movimento_conto_evidenza>\n    </informazioni_conto_evidenza>\n</flusso_giornale_di_cassa>\n")
            .replacingOccurrences(of: ">2026-11-17<", with: ">2026-11-16<").replacingOccurrences(of: "26111700000", with: "26111600000")
            .replacingOccurrences(of: "0001203", with: "0000903").replacingOccurrences(of: "0007812", with: "0006012")
            .replacingOccurrences(of: "GDC-202611180542826111710000001", with: "GDC-202611170542826111610000001")
        _ = try TestSupport.write(earlier, to: night, as: "treasury/GDC_80000000002_2026-11-16.xml")
        let position = try String(contentsOf: SampleDayTests.inbox.appendingPathComponent("80000000002/gpd/2026-11-10_cdu-2026-058.json"),
                                  encoding: .utf8)
        _ = try TestSupport.write(position.replacingOccurrences(of: "\"type\": \"F\",", with: "\"type\": \"F\",\n  \"status\": \"VALID\","),
                                  to: night, as: "80000000002/gpd/2026-11-21_cdu-2026-058.json")
        let taxonomy = try String(contentsOf: SampleDayTests.inbox.appendingPathComponent("taxonomy/taxonomy.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let corrected = try #require(taxonomy.first { $0.contains("9/0104100TS/") })
            .replacingOccurrences(of: "01/01/1900;01/01/2080", with: "01/01/1900;06/30/2026")
        _ = try TestSupport.write(taxonomy[0] + "\n" + corrected + "\n", to: night, as: "taxonomy/taxonomy-corrected.csv")
        let flow = try String(contentsOf: SampleDayTests.inbox.appendingPathComponent("flows/2026-11-18ESMPITMM-S0001801.fdr3.json"),
                              encoding: .utf8)
        let pending = flow.replacingOccurrences(of: "2026-11-18ESMPITMM-S0001801", with: "2026-11-21ESMPITMM-S0001899")
            .replacingOccurrences(of: "419025IT", with: "419099IT").replacingOccurrences(of: "2026-11-18T07:41:12Z", with: "2026-11-21T07:41:12Z")
        _ = try TestSupport.write(pending, to: night, as: "flows/2026-11-21ESMPITMM-S0001899.fdr3.json")

        let second = try #require(CivilDate(iso: "2026-11-21")), third = try #require(CivilDate(iso: "2026-11-22"))
        let ingested = try Ingestor(store: store, options: .init(configuration: configuration)).ingest([night.path])
        #expect(ingested.outcomes.map(\.status) == [.ingested, .ingested, .ingested, .ingested], "\(ingested.outcomes.map(\.reason))")
        let tonight = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: second)
        #expect(tonight.incremental)
        let credits = try store.rows("""
            SELECT m.booking_date || ' ' || v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE m.flow_id = '2026-11-17ABI08999-00123' ORDER BY 1
            """)
        #expect(credits == ["2026-11-16 MATCHED", "2026-11-17 IUF_TES_DIV_IMP"], "\(credits)")
        #expect(try store.rows("SELECT code || ' ' || status || ' ' || iuv FROM discrepancy WHERE status <> 'resolved' AND iuv <> '' ORDER BY 1")
                == ["POSITION_STATUS_MISMATCH new 01261030000005853", "TAXONOMY_NOT_VALID_ON_DATE new 01261070000009017"])
        Self.expectAFullPassAgrees(store, tonight, creditors: configuration.creditors, asOf: second,
                                   copy: folder.appendingPathComponent("copy-2.sqlite"), "night 2")

        let dropped = try #require(configuration.creditors.first { $0.fiscalCode == "80000000010" })
        configuration.creditors.removeAll { $0.fiscalCode == "80000000010" }
        // A flow for it arrives the night it is dropped: unknown to the intermediary, raised and kept open.
        let stray = flow.replacingOccurrences(of: "2026-11-18ESMPITMM-S0001801", with: "2026-11-22ESMPITMM-S0001900")
            .replacingOccurrences(of: "419025IT", with: "419100IT").replacingOccurrences(of: "2026-11-18T07:41:12Z", with: "2026-11-22T07:41:12Z")
        let strayNight = folder.appendingPathComponent("night-3")
        _ = try TestSupport.write(stray, to: strayNight, as: "flows/2026-11-22ESMPITMM-S0001900.fdr3.json")
        #expect(try Ingestor(store: store, options: .init(configuration: configuration)).ingest([strayNight.path]).outcomes.map(\.status)
                == [.ingested])
        let quiet = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: third)
        #expect(quiet.incremental)
        let unknown = """
            SELECT d.status || ' ' || coalesce(v.findings, '') FROM discrepancy d JOIN flow_verdict v ON v.flow_id = d.flow_id
            WHERE d.code = 'FDR_UNKNOWN_RECEIVER' AND d.flow_id = '2026-11-22ESMPITMM-S0001900'
            """
        #expect(try store.rows(unknown) == ["new FDR_UNKNOWN_RECEIVER"], "not resolved with the dropped creditor's others")
        #expect(try store.rows("SELECT code || ' ' || status || ' ' || iuv FROM discrepancy WHERE status <> 'resolved' AND iuv <> '' ORDER BY 1")
                == ["POSITION_STATUS_MISMATCH open 01261030000005853", "TAXONOMY_NOT_VALID_ON_DATE open 01261070000009017"])
        #expect(try store.rows("""
            SELECT DISTINCT coalesce(m.creditor_fiscal_code, '-') || ' ' || v.label FROM movement_verdict v
            JOIN treasury_movement m ON m.movement_id = v.movement_id WHERE m.format = 'camt053'
            """) == ["- TES_NO_MATCH"], "its credits are nobody's")
        let uncredited = "SELECT credit_status || ' ' || open FROM flow_verdict WHERE flow_id = '2026-11-21ESMPITMM-S0001899'"
        #expect(try store.rows(uncredited) == ["PENDING 1"], "pending moves with the as-of date: watched until due")
        Self.expectAFullPassAgrees(store, quiet, creditors: configuration.creditors, asOf: third,
                                   copy: folder.appendingPathComponent("copy-3.sqlite"), "night 3")

        let fourth = try #require(CivilDate(iso: "2026-11-24"))
        let due = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: fourth)
        #expect(try store.rows(uncredited) == ["NOT_CREDITED 0"], "then nobody's to wait for, not in every night's list")
        Self.expectAFullPassAgrees(store, due, creditors: configuration.creditors, asOf: fourth,
                                   copy: folder.appendingPathComponent("copy-4.sqlite"), "night 4")

        // Served again: its keys come back by themselves that night, the others are not read.
        configuration.creditors.append(dropped)
        let fifth = try #require(CivilDate(iso: "2026-11-25"))
        let back = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: fifth)
        let its = try store.count("SELECT count(*) FROM key_verdict WHERE creditor_fiscal_code = '80000000010'")
        let all = try store.count("SELECT count(*) FROM key_verdict")
        #expect(back.incremental && its > 0 && back.keys >= its && back.keys < all,
                "\(back.keys) keys classified, \(its) of the creditor served again")
        #expect(try store.rows(unknown) == ["escalated "], "its flow is the creditor's again, in the flows' list too (and overdue)")
        Self.expectAFullPassAgrees(store, back, creditors: configuration.creditors, asOf: fifth,
                                   copy: folder.appendingPathComponent("copy-5.sqlite"), "night 5")
    }

    /// A creditor configured late owns the credits booked to its account before: its camt.053 credits,
    /// stored while no served creditor listed the IBAN, are its own once it is served, and its keys,
    /// flows and credits come out as in a store that served it from the start, with no source silent.
    /// Its account changed, the credits on the old one are nobody's, and what they raised as its own
    /// is resolved. Dropped, in a run killed between the owners' commit and the verdicts', its credits
    /// are nobody's and its credited flow is judged again all the same. Each night equals a full pass.
    @Test func aCreditorConfiguredLateOwnsTheCreditsBookedBefore() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var configuration = try TreasurySamples.configuration
        let late = try #require(configuration.creditors.first { $0.fiscalCode == "80000000010" })
        configuration.creditors.removeAll { $0.fiscalCode == "80000000010" }
        let first = try #require(CivilDate(iso: "2026-11-20")), second = try #require(CivilDate(iso: "2026-11-21"))
        _ = try NightlyRun(store: store, configuration: configuration, asOf: first)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        let owners = "SELECT DISTINCT coalesce(creditor_fiscal_code, '-') FROM treasury_movement WHERE format = 'camt053'"
        #expect(try store.rows(owners) == ["-"])
        #expect(try store.rows("SELECT DISTINCT holder_fiscal_code FROM treasury_movement WHERE format = 'opi-journal'") == ["80000000002"],
                "a journal's holder is kept, to ask again whose its accounts are")

        configuration.creditors.append(late)
        var reconciler = Reconciler(store: store, creditors: configuration.creditors)
        reconciler.silentDays = 10
        let served = try reconciler.run(asOf: second)
        #expect(served.incremental)
        #expect(try store.rows(owners) == ["80000000010"])
        #expect(try store.count("SELECT count(*) FROM discrepancy WHERE code = 'SOURCE_SILENT'") == 0,
                "its treasury is read once its credits are its own")
        let (_, always, _) = try Self.sampleDayRun()
        _ = try Reconciler(store: always, creditors: configuration.creditors).run(asOf: second)
        for query in ["""
            SELECT v.movement_id || ' ' || v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE m.format = 'camt053' ORDER BY 1
            """, "SELECT flow_id || ' ' || credit_status || ' ' || credited_cents FROM flow_verdict WHERE receiver_fiscal_code = '80000000010' ORDER BY 1",
            "SELECT iuv || ' ' || label || ' ' || state FROM key_verdict WHERE creditor_fiscal_code = '80000000010' ORDER BY 1"] {
            let rows = try store.rows(query), theirs = try always.rows(query)
            #expect(!rows.isEmpty && rows == theirs, "\(query)")
        }
        let labels = try store.rows("SELECT DISTINCT label FROM key_verdict WHERE creditor_fiscal_code = '80000000010'")
        #expect(labels.contains { $0.hasSuffix("_TES") }, "some of its keys are credited: \(labels)")
        Self.expectAFullPassAgrees(store, served, creditors: configuration.creditors, asOf: second,
                                   copy: folder.appendingPathComponent("copy-2.sqlite"), "night 2")

        let index = try #require(configuration.creditors.firstIndex { $0.fiscalCode == "80000000010" })
        let own = "SELECT DISTINCT code || ' ' || status FROM discrepancy WHERE item LIKE 'movement:80000000010/%' ORDER BY 1"
        #expect(try store.rows(own) == ["CAUSALE_UNPARSEABLE new", "TES_UNKNOWN_REFERENCE new"])
        configuration.creditors[index].ibans = ["IT60X0542811101000000999999"]
        let third = try #require(CivilDate(iso: "2026-11-22"))
        let moved = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: third)
        #expect(try store.rows(owners) == ["-"])
        #expect(try store.rows(own) == ["CAUSALE_UNPARSEABLE resolved", "TES_UNKNOWN_REFERENCE resolved"])
        Self.expectAFullPassAgrees(store, moved, creditors: configuration.creditors, asOf: third,
                                   copy: folder.appendingPathComponent("copy-3.sqlite"), "night 3")
        configuration.creditors[index] = late
        let fourth = try #require(CivilDate(iso: "2026-11-23")), fifth = try #require(CivilDate(iso: "2026-11-24"))
        _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: fourth)
        let credited = """
            SELECT flow_id || ' ' || credit_status FROM flow_verdict WHERE receiver_fiscal_code = '80000000010' AND credited_cents > 0
            """
        #expect(try !store.rows(credited).isEmpty)

        // Killed with it dropped, then run again with it served after all: its credits are its own.
        var without = configuration
        without.creditors.removeAll { $0.fiscalCode == "80000000010" }
        struct Killed: Error {}
        func kill(_ creditors: [Creditor], _ day: CivilDate) {
            #expect(throws: Killed.self) {
                try store.reconcile(creditors, since: day.adding(days: -400), everything: false) { _ in throw Killed() }
            }
        }
        kill(without.creditors, fourth)
        let kept = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: fourth)
        #expect(try store.rows(owners) == ["80000000010"])
        Self.expectAFullPassAgrees(store, kept, creditors: configuration.creditors, asOf: fourth,
                                   copy: folder.appendingPathComponent("copy-4.sqlite"), "night 4")

        configuration = without
        kill(configuration.creditors, fifth)
        let dropped = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: fifth)
        #expect(try store.rows(owners) == ["-"])
        #expect(try store.rows(credited).isEmpty, "no credit of its own is left")
        #expect(try store.rows("""
            SELECT DISTINCT v.label FROM movement_verdict v JOIN treasury_movement m ON m.movement_id = v.movement_id
            WHERE m.format = 'camt053'
            """) == ["TES_NO_MATCH"])
        Self.expectAFullPassAgrees(store, dropped, creditors: configuration.creditors, asOf: fifth,
                                   copy: folder.appendingPathComponent("copy-5.sqlite"), "night 5")
    }

    /// A credit stored before journal holders were kept, which no creditor owned, has an unknown holder
    /// (`''`): its journal may be another body's with an account code of the same spelling, so it stays
    /// nobody's when the configuration changes, where one of a known holder is asked again.
    @Test func aCreditOfAnUnknownJournalHolderStaysNobodys() throws {
        var (_, store, configuration) = try Self.sampleDayRun()
        try store.pool.write { db in
            try db.execute(sql: """
                UPDATE treasury_movement SET creditor_fiscal_code = NULL,
                    holder_fiscal_code = CASE WHEN rowid % 2 = 0 THEN '' ELSE holder_fiscal_code END
                WHERE format = 'opi-journal'
                """)
        }
        let index = try #require(configuration.creditors.firstIndex { $0.fiscalCode == "80000000002" })
        #expect(configuration.creditors[index].opiAccounts == ["0000001"], "the only creditor listing the account")
        configuration.creditors[index].expectsPositions.toggle()
        _ = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: try #require(CivilDate(iso: "2026-11-21")))
        #expect(try store.rows("""
            SELECT DISTINCT coalesce(holder_fiscal_code, 'NULL') || ' ' || coalesce(creditor_fiscal_code, '-') FROM treasury_movement
            WHERE format = 'opi-journal' ORDER BY 1
            """) == [" -", "80000000002 80000000002"])
    }

    /// An ingest may run with another configuration than the reconciliation (`quadra ingest --config`):
    /// the owner it gave new credits is asked again by the next pass, as a full pass asks every row.
    @Test func theOwnerAnIngestGaveIsAskedAgain() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let everyone = try TreasurySamples.configuration
        var configuration = everyone
        configuration.creditors.removeAll { $0.fiscalCode == "80000000010" }
        _ = try NightlyRun(store: store, configuration: configuration, asOf: try #require(CivilDate(iso: "2026-11-20")))
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        var camt = try String(contentsOf: SampleDayTests.inbox.appendingPathComponent("treasury/camt053_80000000010_2026-11-17_18.xml"),
                              encoding: .utf8)
        for (day, later) in [("17", "21"), ("18", "22"), ("19", "23")] {
            camt = camt.replacingOccurrences(of: "2026-11-\(day)", with: "2026-11-\(later)")
                .replacingOccurrences(of: "202611\(day)", with: "202611\(later)").replacingOccurrences(of: "2611\(day)", with: "2611\(later)")
        }
        let night = folder.appendingPathComponent("night-2")
        _ = try TestSupport.write(camt, to: night, as: "treasury/camt053_80000000010_2026-11-21_22.xml")
        #expect(try Ingestor(store: store, options: .init(configuration: everyone)).ingest([night.path]).outcomes.map(\.status) == [.ingested])
        let owners = "SELECT DISTINCT coalesce(creditor_fiscal_code, '-') FROM treasury_movement WHERE booking_date >= '2026-11-21'"
        #expect(try store.rows(owners) == ["80000000010"], "the ingest's configuration serves it")

        let day = try #require(CivilDate(iso: "2026-11-23"))
        let tonight = try Reconciler(store: store, creditors: configuration.creditors).run(asOf: day)
        #expect(tonight.incremental)
        #expect(try store.rows(owners) == ["-"], "the reconciliation's does not")
        Self.expectAFullPassAgrees(store, tonight, creditors: configuration.creditors, asOf: day,
                                   copy: folder.appendingPathComponent("copy.sqlite"), "night 2")
    }

    /// A provvisorio whose credit is no longer its creditor's (the OPI account dropped from its
    /// configuration) takes along what it raised for that creditor: left open, nothing would ever
    /// judge it again, since only a served creditor's provvisori are judged.
    @Test func aProvvisorioThatChangesOwnerLeavesNothingOpenBehind() throws {
        var (_, store, configuration) = try Self.sampleDayRun()
        func night(_ day: String) throws {
            var reconciler = Reconciler(store: store, creditors: configuration.creditors)
            reconciler.provvisorioRules.regulariseWorkingDays = 1
            _ = try reconciler.run(asOf: try #require(CivilDate(iso: day)))
        }
        let raised = "SELECT DISTINCT status FROM discrepancy WHERE code = 'PROVVISORIO_NON_REGOLARIZZATO'"
        try night("2026-11-23")
        #expect(try store.rows(raised) == ["new"])
        let index = try #require(configuration.creditors.firstIndex { $0.fiscalCode == "80000000002" })
        configuration.creditors[index].opiAccounts = ["0000009"]
        try night("2026-11-24")
        #expect(try store.rows("SELECT DISTINCT coalesce(creditor_fiscal_code, '-') FROM treasury_movement WHERE format = 'opi-journal'") == ["-"])
        #expect(try store.rows(raised) == ["resolved"])
    }

    /// A pass whose look-back reaches further back than the previous one's (an earlier as-of date, a
    /// longer look-back) holds keys the passes before left outside their window, which evidence may
    /// have touched unseen: it classifies everything. One reaching less far back stays incremental.
    @Test func aWindowReachingFurtherBackIsAFullPass() throws {
        let (_, store, configuration) = try Self.sampleDayRun()
        func pass(_ day: String, lookBack: Int = 400) throws -> ReconciliationSummary {
            var reconciler = Reconciler(store: store, creditors: configuration.creditors)
            reconciler.lookBackDays = lookBack
            return try reconciler.run(asOf: try #require(CivilDate(iso: day)))
        }
        #expect(try pass("2026-11-22").incremental)
        #expect(try !pass("2026-11-21").incremental, "an earlier as-of date")
        #expect(try pass("2026-11-23").incremental)
        #expect(try !pass("2026-11-24", lookBack: 800).incremental, "a longer look-back")
        #expect(try pass("2026-11-25", lookBack: 800).incremental)
        #expect(try pass("2026-11-26").incremental, "a shorter one")
        try store.pool.write { try $0.execute(sql: "UPDATE reconciliation_run SET engine = 2") }
        #expect(try !pass("2026-11-27").incremental, "a store last reconciled by an earlier engine")
        #expect(try pass("2026-11-28").incremental)
    }

    /// A key whose payment day is before the look-back and whose flow's settlement within it is found
    /// from its flow row alone: its receipt is looked up by the IUR and counts as before (its verdict,
    /// removed first so that the pass must write it again, comes back column for column).
    @Test func aKeyFoundFromItsFlowRowStillReadsItsReceipt() throws {
        let (_, store, configuration) = try Self.sampleDayRun()
        let day = try #require(CivilDate(iso: "2026-11-20"))
        let key = "creditor_fiscal_code, iuv, iur, transfer_index"
        let picked = try store.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(key), settlement_date FROM key_verdict WHERE receipt_id IS NOT NULL AND settlement_date > payment_day
                ORDER BY 1, 2, 3, 4 LIMIT 1
                """)
        }
        let found = try #require(picked, "the sample day holds a key settled after its payment day")
        let arguments: StatementArguments = [found[0], found[1], found[2], found[3]]
        let verdict = { try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM key_verdict WHERE (\(key)) = (?, ?, ?, ?)", arguments: arguments)
        } }
        let before = try #require(try verdict())
        try store.pool.write { try $0.execute(sql: "DELETE FROM key_verdict WHERE (\(key)) = (?, ?, ?, ?)", arguments: arguments) }
        var reconciler = Reconciler(store: store, creditors: configuration.creditors)
        reconciler.everything = true
        reconciler.lookBackDays = CivilDate.daysBetween(try #require(CivilDate(iso: found["settlement_date"])), day)
        _ = try reconciler.run(asOf: day)
        #expect(try verdict() == before)
    }

    /// Reconciles a copy of the store from scratch as of the same day and expects every verdict and
    /// discrepancy the incremental pass left; returns the copy (nil when it could not be made).
    @discardableResult
    static func expectAFullPassAgrees(_ store: Store, _ tonight: ReconciliationSummary, creditors: [Creditor], asOf day: CivilDate,
                                      copy url: URL, _ night: String) -> Store? {
        do {
            let copy = try Store(path: url.path)
            try store.pool.backup(to: copy.pool)
            var scratch = Reconciler(store: copy, creditors: creditors)
            scratch.everything = true
            let full = try scratch.run(asOf: day)
            #expect(full.changedKeys == 0, "\(night): the full pass changed verdicts the incremental one had left")
            #expect(full.discrepancies == tonight.discrepancies, "\(night)")
            for table in verdictTables {
                #expect(try rows(table, store) == (try rows(table, copy)), "\(night): \(table)")
            }
            return copy
        } catch {
            Issue.record(error, "\(night)")
            return nil
        }
    }

    /// A new store after the sample day's nightly run as of 2026-11-20, reports under `folder/reports`.
    static func sampleDayRun() throws -> (URL, Store, QuadraConfiguration) {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let configuration = try TreasurySamples.configuration
        _ = try NightlyRun(store: store, configuration: configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("reports").path)
        return (folder, store, configuration)
    }

    static func files(under root: URL) throws -> [String] {
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        var files: [String] = []
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files.append(url.path)
        }
        return files.sorted()
    }

    static func rows(_ table: String, _ store: Store) throws -> [String] {
        try store.pool.read { db in
            let columns = try db.columns(in: table).map(\.name).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY \(columns)").map(\.description)
        }
    }
}
