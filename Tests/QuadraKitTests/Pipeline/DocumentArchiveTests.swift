import Foundation
import Testing
@testable import QuadraKit

@Suite struct DocumentArchiveTests {
    @Test func aZipMovesWholeOnceToRejectedWhenAnEntryWasRefused() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        let receipt = Array(try SampleReceipt.text.utf8)
        try FileManager.default.createDirectory(at: inbox.appendingPathComponent("day"), withIntermediateDirectories: true)
        let clean = inbox.appendingPathComponent("day/clean.zip"), mixed = inbox.appendingPathComponent("mixed.zip")
        try ZipFixtures.write([("a/rt.xml", receipt)], to: clean)
        try ZipFixtures.write([("a/rt.xml", receipt), ("b/junk.txt", Array("not a document".utf8)), ("c/rt-again.xml", receipt)], to: mixed)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([inbox.path])
        #expect(summary.outcomes.map(\.status) == [.ingested, .skipped, .rejected, .skipped])

        let root = folder.appendingPathComponent("archive")
        try DocumentArchive(root: root.path, day: CivilDate(iso: "2026-11-20")!).file(summary.outcomes, archives: summary.archives, from: inbox.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path) == ["day"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("day").path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("2026/11/20/day/clean.zip").path))
        let reason = try String(contentsOf: root.appendingPathComponent("rejected/2026/11/20/mixed.zip.reason"), encoding: .utf8)
        #expect(reason.hasPrefix("b/junk.txt: ") && reason.split(separator: "\n").count == 1, "\(reason)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("rejected/2026/11/20/mixed.zip").path))
    }

    /// Finding 6.4: two runs on the same as-of date whose inboxes hold a file at the same path keep
    /// both originals, accepted and rejected, each rejected copy beside its own reason.
    @Test func aSecondRunOnTheSameDayNeverOverwritesAnOriginal() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox"), root = folder.appendingPathComponent("archive")
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let archive = DocumentArchive(root: root.path, day: CivilDate(iso: "2026-11-20")!)
        let versions = [try SampleReceipt.text,
                        try SampleReceipt.replacing("<receiptId>", with: "<receiptId>X"),
                        "not a receipt", "still not one"]
        for text in versions {
            let name = text.hasPrefix("<") ? "rt.xml" : "junk.xml"
            _ = try TestSupport.write(text, to: inbox, as: name)
            let summary = try Ingestor(store: store).ingest([inbox.path])
            try archive.file(summary.outcomes, archives: summary.archives, from: inbox.path)
        }
        let day = root.appendingPathComponent("2026/11/20"), rejected = root.appendingPathComponent("rejected/2026/11/20")
        #expect(try String(contentsOf: day.appendingPathComponent("rt.xml"), encoding: .utf8) == versions[0])
        #expect(try String(contentsOf: day.appendingPathComponent("rt~2.xml"), encoding: .utf8) == versions[1])
        #expect(try String(contentsOf: rejected.appendingPathComponent("junk.xml"), encoding: .utf8) == versions[2])
        #expect(try String(contentsOf: rejected.appendingPathComponent("junk~2.xml"), encoding: .utf8) == versions[3])
        #expect(FileManager.default.fileExists(atPath: rejected.appendingPathComponent("junk~2.xml.reason").path))
    }
}
