import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// Debt positions' derived status (`PositionStatus`), `POSITION_STATUS_MISMATCH`, and
/// `positions.csv.gz` over the sample day and two nights of GPD updates.
@Suite struct PositionStatusTests {
    static let classifier = Classifier(asOf: CivilDate(iso: "2026-11-20")!)
    typealias Option = PositionFacts.Option

    static func position(_ options: [Option], gpd: String? = nil, document: Int64 = 1) -> PositionFacts {
        PositionFacts(creditor: "80000000002", iupd: "P-1", gpdStatus: gpd, document: document, options: options)
    }

    static func paid(_ iuv: String, partial: Bool = false, cents: Int64 = 1000, keys: Int = 1, reported: Int = 0, cashed: Int = 0,
                     receipts: [String] = ["R1"], document: Int64 = 5) -> Option {
        Option(iuv: iuv, isPartialPayment: partial, amountCents: cents, receiptIds: receipts, paidCents: cents * Int64(receipts.count),
               lastReceiptDocument: document, keys: keys, reportedKeys: reported, cashedKeys: cashed,
               reportedCents: reported > 0 ? cents : 0, creditedCents: cashed > 0 ? cents : 0)
    }

    static func unpaid(_ iuv: String, partial: Bool = false, cents: Int64 = 1000, gpd: String? = nil) -> Option {
        Option(iuv: iuv, isPartialPayment: partial, amountCents: cents, gpdStatus: gpd)
    }

    @Test func statusesAsGPDDerivesThemThenReportedAndCashed() {
        let c = Self.classifier
        #expect(c.status(of: Self.position([Self.unpaid("A")])) == .valid)
        #expect(c.status(of: Self.position([Self.unpaid("A")], gpd: "INVALID")) == .invalid)
        #expect(c.status(of: Self.position([Self.unpaid("A", gpd: "PO_PAID")], gpd: "PAID")) == .valid, "no receipt, no payment")
        let plan = [Self.unpaid("S", cents: 3000), Self.paid("I1", partial: true), Self.unpaid("I2", partial: true), Self.unpaid("I3", partial: true)]
        #expect(c.status(of: Self.position(plan)) == .partiallyPaid)
        #expect(Self.position(plan).dueCents == 3000, "the plan's instalments once one is paid")
        let whole = [Self.unpaid("S", cents: 3000), Self.paid("I1", partial: true), Self.paid("I2", partial: true), Self.paid("I3", partial: true)]
        #expect(c.status(of: Self.position(whole)) == .paid)
        #expect(c.status(of: Self.position([Self.paid("A", keys: 2, reported: 2)])) == .reported)
        #expect(c.status(of: Self.position([Self.paid("A", keys: 2, reported: 1)])) == .paid)
        #expect(c.status(of: Self.position([Self.paid("A", keys: 2, reported: 2, cashed: 2)])) == .cashed)
        #expect(c.status(of: Self.position([Self.paid("A", receipts: ["R1", "R2"])])) == .overpaid)
        #expect(c.status(of: Self.position([Self.paid("S"), Self.paid("I1", partial: true)])) == .overpaid)
        #expect(Self.position([Self.unpaid("S", cents: 3000), Self.unpaid("I1", partial: true)]).dueCents == 3000)
    }

    @Test func gpdSaysPaidWithoutReceiptOrUnpaidAfterTheReceipt() throws {
        let c = Self.classifier
        let claimed = try #require(c.classify(status: Self.position([Self.unpaid("A"), Self.unpaid("B", gpd: "PO_PAID")], gpd: "PAID")))
        #expect(claimed.code == "POSITION_STATUS_MISMATCH" && claimed.key?.iuv == "B" && claimed.item == "option:80000000002/B")
        #expect(c.classify(status: Self.position([Self.unpaid("A")], gpd: "VALID")) == nil)
        let late = try #require(c.classify(status: Self.position([Self.paid("A", document: 5)], gpd: "VALID", document: 9)))
        #expect(late.key?.iuv == "A" && late.message.contains("after receipt R1"))
        #expect(c.classify(status: Self.position([Self.paid("A", document: 5)], gpd: "VALID", document: 3)) == nil, "sent before the payment")
        #expect(c.classify(status: Self.position([Self.paid("A", document: 5)], gpd: nil, document: 9)) == nil, "no status sent")
        #expect(c.classify(status: Self.position([Self.paid("A")], gpd: "PAID", document: 9)) == nil)
        var unjudged = Self.position([Self.unpaid("A", gpd: "PO_PAID")], gpd: "PAID")
        unjudged.judged = false
        #expect(c.classify(status: unjudged) == nil)
    }

    /// The sample day, then a night that re-sends two positions from GPD: CUP cancelled (`INVALID`),
    /// TARI still `VALID` after its receipt; then a night where GPD marks CUP paid with no receipt.
    @Test func theNightlyFileListsChangesTheFullOneAllAndMismatchesAreRaised() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let out = folder.appendingPathComponent("out")
        func night(_ day: String, inbox: URL) throws -> (rows: [[String]], mismatched: [String]) {
            let run = NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: day)!)
            _ = try run.run(inbox: inbox.path, out: out.path)
            let csv = try ReportFiles.csvRows(out.appendingPathComponent("\(day)/positions.csv.gz"))
            #expect(csv.first == ReportWriter.positionColumns)
            let lines = try ReportFiles.text(out.appendingPathComponent("\(day)/positions.jsonl.gz")).split(separator: "\n")
            #expect(lines.count == csv.count - 1)
            let mismatches = try store.rows("""
                SELECT iuv FROM discrepancy WHERE code = 'POSITION_STATUS_MISMATCH' AND status IN ('new', 'open') ORDER BY iuv
                """)
            return (Array(csv.dropFirst()), mismatches)
        }
        let first = try night("2026-11-20", inbox: SampleDayTests.inbox)
        let places = { try store.rows("SELECT iupd || ' ' || rowid FROM position_verdict ORDER BY rowid") }
        let firstPlaces = try places()
        let byIUPD = Dictionary(uniqueKeysWithValues: first.rows.map { ($0[1], $0) })
        #expect(first.rows.count == 9 && first.mismatched.isEmpty)
        #expect(byIUPD["80000000002-ACCIMU2024-000101"]?[2] == "PARTIALLY_PAID")
        #expect(byIUPD["80000000002-CUP2026-000019"].map { [$0[2], $0[3], $0[5], $0[7], $0[8]] } == ["VALID", "", "2026-11-20", "12000", "0"])
        #expect(byIUPD["80000000002-TARI2026-004417"].map { [$0[2], $0[6], $0[7], $0[8], $0[9], $0[10], $0[11], $0[12]] }
                == ["CASHED", "301261010000041774", "21420", "21420", "20400", "20400", "a2ac77fd36c68c2af238f89b35daa570",
                    "2026-11-17ESMPITMM-S0001726"], "paid: the receipt; reported and credited: the creditor's own transfer")
        #expect(byIUPD.values.first { $0[1].contains("CDS2026") }?[6] == "301261060000077770",
                "GPD sent no notice number: the one the receipt was paid with")
        let json = try JSONSerialization.jsonObject(with: Data(try ReportFiles.text(
            out.appendingPathComponent("2026-11-20/positions.jsonl.gz")).split(separator: "\n")[0].utf8)) as? [String: Any]
        #expect(json?["due_cents"] as? Int == 45237 && json?["previous_status"] is NSNull)

        let second = try night("2026-11-21", inbox: try Self.gpdUpdate(in: folder, night: "n2", [
            "80000000002-CUP2026-000019": { $0["status"] = "INVALID" },
            "80000000002-TARI2026-004417": { $0["status"] = "VALID" },
        ]))
        #expect(second.rows.map { [$0[1], $0[2], $0[3], $0[4], $0[5]] }
                == [["80000000002-CUP2026-000019", "INVALID", "VALID", "INVALID", "2026-11-21"]], "only the change")
        #expect(second.mismatched == ["01261010000041774"], "TARI sent unpaid after its receipt")

        let third = try night("2026-11-22", inbox: try Self.gpdUpdate(in: folder, night: "n3", [
            "80000000002-CUP2026-000019": { position in
                position["status"] = "PAID"
                var options = position["paymentOption"] as! [[String: Any]]
                options[0]["status"] = "PO_PAID"
                position["paymentOption"] = options
            },
        ]))
        #expect(third.rows.map { [$0[1], $0[2], $0[3], $0[4]] } == [["80000000002-CUP2026-000019", "VALID", "INVALID", "PAID"]])
        #expect(third.mismatched == ["01261010000041774", "01261050000001973"], "and CUP marked paid with no receipt")
        #expect(try places() == firstPlaces, "a verdict that changes keeps its place (v17)")

        let full = try ReportWriter(store: store, asOf: CivilDate(iso: "2026-11-22")!, options: .init(everything: true)).write(to: out.path)
        #expect(full.files.contains { $0.name == "positions.csv.gz" })
        #expect(try ReportFiles.csvRows(out.appendingPathComponent("2026-11-22-full/positions.csv.gz")).count == 10, "header and all nine")
    }

    /// A store from before v17 keeps every position verdict, now by the day its status changed (what a
    /// night changes sits together), still one row per position.
    @Test func aStoreFromBeforeKeepsItsPositionVerdictsInDayOrder() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v16: documents found by a prefix of their hash")
        let columns = "creditor_fiscal_code, iupd, status, changed_on, due_cents, paid_cents, reported_cents, credited_cents"
        try queue.write { db in
            for (iupd, status, day) in [("A", "CASHED", "2026-11-21"), ("B", "VALID", "2026-11-19"), ("C", "PAID", "2026-11-20")] {
                try db.execute(sql: "INSERT INTO position_verdict (\(columns)) VALUES ('80000000002', ?, ?, ?, 100, 100, 0, 0)",
                               arguments: [iupd, status, day])
            }
        }
        let before = try queue.read { try String.fetchAll($0, sql: "SELECT \(columns.replacingOccurrences(of: ", ", with: " || ' ' || ")) FROM position_verdict ORDER BY 1") }
        try queue.close()
        let store = try Store(path: path, opening: .existing)
        #expect(store.upgrades == ["v17: position verdicts in arrival order", "v18: receipts found by IUV, then creditor"])
        #expect(try store.rows("SELECT \(columns.replacingOccurrences(of: ", ", with: " || ' ' || ")) FROM position_verdict ORDER BY 1") == before)
        #expect(try store.rows("SELECT iupd FROM position_verdict ORDER BY rowid") == ["B", "C", "A"])
        #expect(throws: DatabaseError.self, "one verdict per position") {
            try store.pool.write { try $0.execute(sql: "INSERT INTO position_verdict (\(columns)) VALUES ('80000000002', 'A', 'VALID', '2026-11-22', 1, 0, 0, 0)") }
        }
    }

    /// A GPD bulk file re-sending sample positions with `change` applied, alone in a night's inbox.
    static func gpdUpdate(in folder: URL, night: String, _ changes: [String: (inout [String: Any]) -> Void]) throws -> URL {
        let sample = TestSupport.samples.appendingPathComponent("inbox/80000000002/gpd/2026-11-02_bulk-tributi-polizia.json")
        let bulk = try JSONSerialization.jsonObject(with: Data(contentsOf: sample)) as! [String: Any]
        let positions = (bulk["paymentPositions"] as! [[String: Any]]).compactMap { position -> [String: Any]? in
            guard let change = changes[position["iupd"] as! String] else { return nil }
            var changed = position
            change(&changed)
            return changed
        }
        #expect(positions.count == changes.count)
        let inbox = folder.appendingPathComponent(night)
        let file = inbox.appendingPathComponent("80000000002/gpd/update.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: ["paymentPositions": positions], options: [.sortedKeys]).write(to: file)
        return inbox
    }
}
