import Foundation
import Testing
@testable import QuadraKit

/// The sample day packed into ZIP archives: each entry is a document, read as its loose file is.
@Suite struct ZipIngestTests {
    private func ingest(_ paths: [URL], into store: Store, streamingThreshold: Int? = nil) throws -> IngestSummary {
        var options = Ingestor.Options(configuration: try TreasurySamples.configuration)
        if let streamingThreshold { options.streamingThreshold = streamingThreshold }
        return try Ingestor(store: store, options: options).ingest(paths.map(\.path))
    }

    private func newStore(in folder: URL, _ name: String = "quadra.sqlite") throws -> Store {
        try Store(path: folder.appendingPathComponent(name).path)
    }

    /// The store's content without what names the documents' paths (which differ between loose
    /// files and entries): every data table, and the ledger's hashes, kinds and outcomes.
    private func content(of store: Store) throws -> [String: [String]] {
        var tables = try store.snapshot()
        tables["document"] = try store.rows("SELECT sha256 || ' ' || kind || ' ' || outcome || ' ' || records FROM document ORDER BY id")
        return tables
    }

    @Test func aZipOfTheSampleDayStoresWhatTheLooseFilesStore() throws {
        let folder = try TestSupport.scratchFolder()
        let archive = folder.appendingPathComponent("inbox/sample-day.zip")
        try FileManager.default.createDirectory(at: archive.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ZipFixtures.pack(SampleDayTests.inbox, into: archive)
        let loose = try newStore(in: folder, "loose.sqlite")
        let looseSummary = try ingest([SampleDayTests.inbox], into: loose)
        let zipped = try newStore(in: folder, "zipped.sqlite")
        let summary = try ingest([archive.deletingLastPathComponent()], into: zipped, streamingThreshold: 1024)
        #expect(summary.outcomes.map(\.status) == looseSummary.outcomes.map(\.status))
        #expect(summary.outcomes.map(\.sha256) == looseSummary.outcomes.map(\.sha256))
        #expect(summary.outcomes.first { $0.path.hasSuffix("canone-unico-edilprova.json") }?.path
                == archive.path + "/80000000010/gpd/2026-11-17_canone-unico-edilprova.json",
                "the path names archive and entry; the creditor comes from the 11-digit folder inside the archive")
        #expect(summary.archives == [archive.path])
        #expect(try content(of: zipped) == content(of: loose))

        let again = try ingest([archive], into: zipped)
        #expect(again.outcomes.allSatisfy { $0.status == .skipped }, "the same archive twice adds nothing")
        #expect(try content(of: zipped) == content(of: loose))
        #expect(try ingest([archive], into: loose).outcomes.allSatisfy { $0.status == .skipped },
                "an entry with the bytes of a loose file already read is the same document")
    }

    @Test func aBrokenEntryIsRefusedNamingArchiveAndEntryWhileTheRestLands() throws {
        let folder = try TestSupport.scratchFolder()
        let receipt = Array(try SampleReceipt.text.utf8)
        let other = Array(try SampleReceipt.replacing("c110729d258c4ab1b765fe902aae41d6", with: "c110729d258c4ab1b765fe902aae41d7").utf8)
        let archive = folder.appendingPathComponent("receipts.zip")
        try ZipFixtures.write([("bad/rt-1.xml", receipt), ("good/rt-2.xml", other)], to: archive)
        try ZipFixtures.patchDirectory(of: archive, entry: "bad/rt-1.xml", field: 16, with: ZipFixtures.littleEndian(0))
        let truncated = folder.appendingPathComponent("truncated.zip")
        try ZipFixtures.write([("rt.xml", receipt)], to: truncated)
        let whole = try Data(contentsOf: truncated)
        try whole.prefix(whole.count / 2).write(to: truncated)
        let loose = try TestSupport.write(try SampleReceipt.text, to: folder, as: "loose.xml")

        let store = try newStore(in: folder)
        let summary = try ingest([archive, truncated, loose], into: store)
        #expect(summary.outcomes.map(\.path) == [archive.path + "/bad/rt-1.xml", archive.path + "/good/rt-2.xml", truncated.path, loose.path])
        #expect(summary.outcomes.map(\.status) == [.rejected, .ingested, .rejected, .ingested])
        #expect(summary.outcomes[0].reason?.contains("CRC-32") == true)
        #expect(summary.outcomes[2].reason?.contains("not a readable ZIP archive") == true)
        #expect(summary.exitCode == .dataError)
        #expect(try store.status().rejected.map(\.path).sorted() == [archive.path + "/bad/rt-1.xml", truncated.path])
        #expect(try store.count("SELECT count(*) FROM receipt") == 2)
    }

    @Test func entryNamesAreLabelsNeverPathsOnDisk() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let archive = inbox.appendingPathComponent("climb.zip")
        try ZipFixtures.write([("../../escaped/rt.xml", Array(try SampleReceipt.text.utf8))], to: archive)
        let store = try newStore(in: folder)
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let summary = try ingest([inbox], into: store)
        #expect(summary.outcomes.map(\.path) == [archive.path + "/../../escaped/rt.xml"])
        #expect(summary.outcomes.map(\.status) == [.rejected] && summary.outcomes.first?.reason?.contains("leaves the archive") == true,
                "a member named to climb out is an attack, refused with its reason")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before.sorted())
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escaped").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path) == ["climb.zip"])
    }

    @Test func whatIsNotADocumentInsideAnArchiveIsPassedOverAndNamed() throws {
        let folder = try TestSupport.scratchFolder()
        let inner = folder.appendingPathComponent("inner.zip")
        try ZipFixtures.write([("rt.xml", Array(try SampleReceipt.text.utf8))], to: inner)
        let archive = folder.appendingPathComponent("outer.zip")
        try ZipFixtures.write([("inner.zip", Array(try Data(contentsOf: inner))),
                               ("__MACOSX/._rt.xml", [0]), (".DS_Store", [0]), ("sub/.swap/rt.xml", [0]),
                               ("rt.xml", Array(try SampleReceipt.text.utf8))], to: archive)
        let summary = try ingest([archive], into: try newStore(in: folder))
        #expect(summary.outcomes.map(\.path) == [archive.path + "/rt.xml"])
        #expect(summary.passedOver == [
            "\(archive.path)/inner.zip: ZIP inside a ZIP (not opened: extract it to read it)",
            "\(archive.path)/__MACOSX/._rt.xml: macOS metadata",
            "\(archive.path)/.DS_Store: hidden",
            "\(archive.path)/sub/.swap/rt.xml: hidden",
        ])
    }

    /// Issue 16 item 5: an archive is told by its first bytes, not its name.
    @Test func aZipIsToldByItsContentNotItsName() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try ZipFixtures.write([("rt.xml", Array(try SampleReceipt.text.utf8))], to: inbox.appendingPathComponent("delivery.dat"))
        _ = try TestSupport.write(try SampleReceipt.replacing("<receiptId>c110729d", with: "<receiptId>d110729d"), to: inbox, as: "named.zip")
        let summary = try ingest([inbox], into: try newStore(in: folder))
        #expect(summary.archives == [inbox.appendingPathComponent("delivery.dat").path])
        #expect(summary.outcomes.map(\.path) == [inbox.appendingPathComponent("delivery.dat/rt.xml").path, inbox.appendingPathComponent("named.zip").path])
        #expect(summary.outcomes.allSatisfy { $0.status == .ingested }, "\(summary.outcomes)")
    }
}
