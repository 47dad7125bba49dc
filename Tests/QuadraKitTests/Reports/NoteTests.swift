import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// `quadra note`: notes on the sample day's discrepancies, hiding one from the night's lists, over a
/// real store and the real reports.
@Suite struct NoteTests {
    static let day = CivilDate(iso: "2026-11-20")!
    static let creditor = "80000000010"
    /// The sample day's two treasury discrepancies, both on creditor 80000000010.
    static let unparseable = DiscrepancyNote.Subject(creditor: creditor, code: "CAUSALE_UNPARSEABLE", treasuryReference: "261118000421")
    static let unknownReference = DiscrepancyNote.Subject(creditor: creditor, treasuryReference: "261118000403")

    private struct Night {
        var folder: URL
        var store: Store
        var out: URL { folder.appendingPathComponent("out") }

        /// The reports as of `day` into `OUT/<day>/`: discrepancy codes, hidden rows, manifest and page.
        func report(asOf day: CivilDate = NoteTests.day) throws -> (codes: [String], rows: [[String]], hidden: [[String]],
                                                                     manifest: ReportManifest, page: String) {
            let manifest = try ReportWriter(store: store, asOf: day).write(to: out.path)
            let folder = out.appendingPathComponent(day.description)
            let rows = Array(try ReportFiles.csvRows(folder.appendingPathComponent("discrepancies.csv.gz")).dropFirst())
            let hidden = try ReportFiles.csvRows(folder.appendingPathComponent(ReportWriter.hiddenFile))
            #expect(hidden.first == ReportWriter.hiddenColumns)
            #expect(try ReportFiles.mode(folder.appendingPathComponent(ReportWriter.hiddenFile)) == 0o600)
            return (rows.map { $0[0] }, rows, Array(hidden.dropFirst()), manifest,
                    try String(contentsOf: folder.appendingPathComponent("summary.html"), encoding: .utf8))
        }
    }

    private func sampleNight() throws -> Night {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: Self.day)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("first").path)
        return Night(folder: folder, store: store)
    }

    @Test func aHiddenDiscrepancyLeavesTheListsThePageAndTheManifestForHiddenCSV() throws {
        let night = try sampleNight()
        let before = try night.report()
        #expect(before.codes == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"] && before.hidden.isEmpty)
        #expect(before.page.contains("Anomalie nuove: 2;"))

        let note = try night.store.addNote(Self.unparseable, text: "Accredito manuale, verificato col tesoriere", author: "mrossi",
                                           writtenAt: "2026-11-21T08:15:00Z", hide: true, until: nil)
        #expect(note.hiddenAt.count == 1 && note.hiddenAt[0].actualCents == "1200")
        let after = try night.report()
        #expect(after.codes == ["TES_UNKNOWN_REFERENCE"])
        #expect(after.manifest.discrepanciesByCode == ["TES_UNKNOWN_REFERENCE": 1] && after.manifest.discrepanciesByStatus == ["new": 1])
        #expect(after.page.contains("Anomalie nuove: 1;") && !after.page.contains("CAUSALE_UNPARSEABLE"))
        #expect(after.manifest.files.contains { $0.name == ReportWriter.hiddenFile })
        let hidden = try #require(after.hidden.first)
        #expect(after.hidden.count == 1)
        #expect(Array(hidden[0...3]) == ["CAUSALE_UNPARSEABLE", "warning", "new", Self.creditor] && hidden[8] == "261118000421")
        #expect(Array(hidden.suffix(5)) == ["\(note.id)", "mrossi", "2026-11-21T08:15:00Z", "Accredito manuale, verificato col tesoriere", ""])
        let lines = try ReportFiles.text(night.out.appendingPathComponent("2026-11-20/discrepancies.jsonl.gz")).split(separator: "\n")
        #expect(lines.count == 1 && !lines[0].contains("CAUSALE_UNPARSEABLE"))
    }

    @Test func aNoteThatDoesNotHideIsShownBesideItsDiscrepancy() throws {
        let night = try sampleNight()
        let note = try night.store.addNote(Self.unknownReference, text: "chiesto al tesoriere", author: "lbianchi",
                                           writtenAt: "2026-11-21T09:00:00Z", hide: false, until: nil)
        let report = try night.report()
        #expect(report.codes == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"] && report.hidden.isEmpty)
        #expect(report.rows.map { $0.last! } == ["", "#\(note.id) lbianchi 2026-11-21: chiesto al tesoriere"])
    }

    @Test func theSilenceEndsOnItsUntilDate() throws {
        let night = try sampleNight()
        _ = try night.store.addNote(Self.unparseable, text: "in attesa del tesoriere", author: "mrossi", writtenAt: "2026-11-21T08:15:00Z",
                                    hide: true, until: CivilDate(iso: "2026-11-25"))
        #expect(try night.report(asOf: CivilDate(iso: "2026-11-24")!).codes == ["TES_UNKNOWN_REFERENCE"])
        let back = try night.report(asOf: CivilDate(iso: "2026-11-25")!)
        #expect(back.codes == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"] && back.hidden.isEmpty)
        #expect(back.rows[0].last?.hasSuffix("in attesa del tesoriere") == true, "it comes back with its note")
    }

    @Test func aHiddenDiscrepancyWhoseAmountsChangeComesBackWithItsNote() throws {
        let night = try sampleNight()
        _ = try night.store.addNote(Self.unparseable, text: "noto", author: "mrossi", writtenAt: "2026-11-21T08:15:00Z", hide: true, until: nil)
        #expect(try night.report().codes == ["TES_UNKNOWN_REFERENCE"])
        // What a later night's reconciliation stores when the bank corrects the credit's amount.
        try night.store.pool.write { try $0.execute(sql: "UPDATE discrepancy SET actual_cents = 1300 WHERE code = 'CAUSALE_UNPARSEABLE'") }
        let back = try night.report()
        #expect(back.codes == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"] && back.hidden.isEmpty)
        #expect(back.rows[0][10] == "1300" && back.rows[0].last == "#1 mrossi 2026-11-21: noto")
    }

    @Test func aCodeLessNoteCoversOnlyItsItemAndANewCodeOnTheItemComesBack() {
        let seen = DiscrepancyNote.Seen(code: "TES_UNKNOWN_REFERENCE", creditor: Self.creditor, iuv: nil, iur: nil, transferIndex: nil,
                                        flowId: nil, treasuryReference: "261118000403", expectedCents: nil, actualCents: "8400")
        var other = seen
        other.treasuryReference = "261118000421"
        var escalated = seen
        escalated.code = "CAUSALE_UNPARSEABLE"
        let note = DiscrepancyNote(id: 1, writtenAt: "2026-11-21T08:15:00Z", author: "mrossi", text: "noto",
                                   subject: Self.unknownReference, hide: true, until: nil, hiddenAt: [seen])
        let book = NoteBook([note])
        #expect(book.hiding(seen, status: "open", on: Self.day) == note)
        #expect(book.hiding(seen, status: "resolved", on: Self.day) == nil, "a resolution is news")
        #expect(book.hiding(other, status: "open", on: Self.day) == nil && book.lines(for: other) == nil)
        #expect(book.hiding(escalated, status: "new", on: Self.day) == nil && book.lines(for: escalated) != nil)
        let key = DiscrepancyNote.Subject(creditor: Self.creditor, iuv: "01261010000041774", transferIndex: 1)
        var onKey = seen
        (onKey.treasuryReference, onKey.iuv, onKey.iur, onKey.transferIndex) = (nil, "01261010000041774", "a2ac", "1")
        #expect(key.covers(onKey))
        onKey.transferIndex = "2"
        #expect(!key.covers(onKey))
    }

    @Test func notesAreAnAuditTrailThatSurvivesAFullReconciliation() throws {
        let night = try sampleNight()
        let note = try night.store.addNote(Self.unparseable, text: "noto", author: "mrossi", writtenAt: "2026-11-21T08:15:00Z",
                                           hide: true, until: nil)
        #expect(throws: DatabaseError.self) { try night.store.pool.write { try $0.execute(sql: "UPDATE note SET text = 'x'") } }
        #expect(throws: DatabaseError.self) { try night.store.pool.write { try $0.execute(sql: "DELETE FROM note") } }
        #expect(throws: DatabaseError.self) { try night.store.pool.write { try $0.execute(sql: "DELETE FROM note_hidden") } }

        var full = Reconciler(store: night.store, creditors: try TreasurySamples.configuration.creditors)
        full.everything = true
        _ = try full.run(asOf: Self.day)
        #expect(try night.store.notes() == [note])
        #expect(try night.report().codes == ["TES_UNKNOWN_REFERENCE"], "still hidden after the rebuild")

        let removal = try night.store.removeNote(note.id, text: "il tesoriere non risponde", author: "lbianchi",
                                                 writtenAt: "2026-11-22T10:00:00Z")
        #expect(throws: NoteFailure.alreadyRemoved(id: note.id, by: removal.id)) {
            try night.store.removeNote(note.id, text: "di nuovo", author: "lbianchi", writtenAt: "2026-11-22T10:01:00Z")
        }
        #expect(throws: NoteFailure.unknown(id: 99)) { try night.store.removeNote(99, text: "?", author: "x", writtenAt: "2026-11-22T10:01:00Z") }
        #expect(throws: NoteFailure.removalOfRemoval(id: removal.id)) {
            try night.store.removeNote(removal.id, text: "?", author: "x", writtenAt: "2026-11-22T10:01:00Z")
        }
        let history = try night.store.notes()
        #expect(history.count == 1 && history[0].text == "noto" && history[0].removal == removal, "the note stays, removed")
        #expect(!history[0].isOpen(on: Self.day))
        #expect(try night.report().codes == ["CAUSALE_UNPARSEABLE", "TES_UNKNOWN_REFERENCE"], "a removed note hides nothing")
    }

    @Test func explainShowsTheNotesOfItsItems() throws {
        let night = try sampleNight()
        let subject = DiscrepancyNote.Subject(creditor: "80000000002", iuv: "01261010000041774")
        _ = try night.store.addNote(subject, text: "pagamento allo sportello", author: "mrossi", writtenAt: "2026-11-21T08:15:00Z",
                                    hide: false, until: nil)
        let notes = try #require(try night.store.explain("01261010000041774").sections.first { $0.title == "notes" })
        #expect(notes.rows.map { $0["text"] } == ["pagamento allo sportello"])
        #expect(try night.store.explain("01261040000023325").sections.first { $0.title == "notes" }?.rows.isEmpty == true)
    }
}

/// `quadra note` as a clerk types it: the built binary, exit codes.
extension CommandLineReportTests {
    @Test func addListRemoveWithTheirExitCodes() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let add = ["note", "add", "--db", db, "--creditor", NoteTests.creditor, "--movement", "261118000421", "--text", "noto"]
        let missing = try quadra(add)
        #expect(missing.status == 74 && !FileManager.default.fileExists(atPath: db), "\(missing.stderr)")
        #expect(try quadra(["note", "list", "--db", db]).status == 74)

        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        let run = try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--config", config, "--db", db, "--settle", "0",
                              "--out", folder.appendingPathComponent("out").path, "--as-of", "2026-11-20"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try quadra(add + ["--flow", "X"]).status == 64, "one item only")
        #expect(try quadra(add + ["--code", "NO_SUCH_CODE"]).status == 64)
        #expect(try quadra(add + ["--until", "2026-12-01"]).status == 64, "--until goes with --hide")
        #expect(try quadra(add + ["--index", "1"]).status == 64, "--index goes with --iuv")

        let hide = try quadra(add + ["--code", "CAUSALE_UNPARSEABLE", "--hide", "--until", "2099-01-01", "--by", "mrossi"])
        #expect(hide.status == 0 && hide.stdout == "note #1: hides 1 open discrepancies\n", "\(hide.stderr)")
        let plain = try quadra(add)
        #expect(plain.status == 0 && plain.stdout == "note #2\n")
        #expect(try quadra(["note", "remove", "2", "--db", db, "--by", "lbianchi", "--text", "doppia"]).status == 0)
        #expect(try quadra(["note", "remove", "2", "--db", db, "--text", "ancora"]).status == 65)

        let history = try quadra(["note", "list", "--db", db])
        let lines = history.stdout.split(separator: "\n")
        #expect(history.status == 0 && lines.count == 3, "\(history.stdout)")
        #expect(lines[0].contains("mrossi on CAUSALE_UNPARSEABLE 80000000010 movement 261118000421 hides 1 until 2099-01-01: noto"))
        #expect(lines[2].contains("lbianchi removes #2: doppia"))
        let open = try quadra(["note", "list", "--db", db, "--open", "--json"])
        let notes = try JSONDecoder().decode([DiscrepancyNote].self, from: Data(open.stdout.utf8))
        #expect(open.status == 0 && notes.map(\.id) == [1] && notes[0].author == "mrossi")
    }
}
