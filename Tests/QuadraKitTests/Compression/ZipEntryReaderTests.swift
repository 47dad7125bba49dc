import Foundation
import Testing
@testable import QuadraKit

/// Each way an archive or an entry can be broken, and the reason the reader gives.
@Suite struct ZipEntryReaderTests {
    private static let text = Array(String(repeating: "<receipt>ok</receipt>\n", count: 500).utf8)

    private func archive(_ names: [String] = ["a.xml", "b.xml"]) throws -> URL {
        let url = try TestSupport.scratchFolder().appendingPathComponent("a.zip")
        try ZipFixtures.write(names.map { ($0, Self.text) }, to: url)
        return url
    }

    private func reason(reading name: String, of archive: URL) throws -> String? {
        let entry = try #require(try ZipDirectory.entries(of: archive.path).first { $0.name == name })
        do {
            _ = try InputFile(entry: entry, in: archive.path).readAll(limit: .max)
            return nil
        } catch let error as InputError {
            return error.description
        }
    }

    @Test func aWrongCRCIsRefusedAndTheOtherEntryStillReads() throws {
        let url = try archive()
        try ZipFixtures.patchDirectory(of: url, entry: "a.xml", field: 16, with: ZipFixtures.littleEndian(0xDEAD_BEEF))
        #expect(try reason(reading: "a.xml", of: url)?.contains("fails its CRC-32 check (stored deadbeef") == true)
        #expect(try reason(reading: "b.xml", of: url) == nil)
    }

    @Test func corruptDeflateDataIsRefused() throws {
        let url = try archive()
        try ZipFixtures.corruptData(of: url, entry: "a.xml")
        let reason = try #require(try reason(reading: "a.xml", of: url))
        #expect(reason.contains("corrupt") || reason.contains("CRC-32") || reason.contains("truncated"), "\(reason)")
    }

    @Test func anEntryInflatingPastItsDeclaredSizeIsStoppedThere() throws {
        let url = try archive()
        try ZipFixtures.patchDirectory(of: url, entry: "a.xml", field: 24, with: ZipFixtures.littleEndian(100))
        #expect(try reason(reading: "a.xml", of: url)?.contains("inflates past its declared 100 bytes") == true)
    }

    @Test func anEntryDeclaringMoreThanTheLimitIsRefusedUnread() throws {
        let url = try archive()
        try ZipFixtures.patchDirectory(of: url, entry: "a.xml", field: 24, with: ZipFixtures.littleEndian(0xC000_0000))
        #expect(try reason(reading: "a.xml", of: url)?.contains("over the limit") == true)
    }

    @Test func anEncryptedEntryIsRefused() throws {
        let url = try archive()
        try ZipFixtures.patchDirectory(of: url, entry: "a.xml", field: 8, with: [0x01, 0x08])
        #expect(try reason(reading: "a.xml", of: url)?.contains("encrypted") == true)
    }

    /// A member named to climb out of the archive is an attack, refused with its reason; the others read.
    @Test func anEntryNamedOutOfTheArchiveIsRefused() throws {
        let url = try archive(["../../etc/cron.d/evil.xml", "/abs/evil.xml", "a/../../x.xml", "ok/b.xml", "a..b.xml"])
        for name in ["../../etc/cron.d/evil.xml", "/abs/evil.xml", "a/../../x.xml"] {
            #expect(try reason(reading: name, of: url)?.contains("leaves the archive") == true, "\(name)")
        }
        #expect(try reason(reading: "ok/b.xml", of: url) == nil && reason(reading: "a..b.xml", of: url) == nil)
    }

    @Test func aTruncatedArchiveHasNoDirectory() throws {
        let url = try archive()
        let whole = try Data(contentsOf: url)
        try whole.prefix(whole.count - 30).write(to: url)
        #expect(throws: InputError.self) { try ZipDirectory.entries(of: url.path) }
        try Data("PK\u{3}\u{4} but nothing more".utf8).write(to: url)
        #expect(throws: InputError.self) { try ZipDirectory.entries(of: url.path) }
    }

    /// Offsets and sizes an archive declares are the archiver's word: one pointing past any file, or
    /// sizes whose sum overflows, trapped converting to `off_t` or adding, and the whole night died.
    @Test func offsetsAndSizesPastAnyFileAreRefusedAndTheNightGoesOn() throws {
        let folder = try TestSupport.scratchFolder()
        let locator = folder.appendingPathComponent("locator.zip")
        let end: [UInt8] = [0x50, 0x4b, 5, 6, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 10)
        let zip64Locator: [UInt8] = [0x50, 0x4b, 6, 7, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + [1, 0, 0, 0]
        try Data(Array("PK\u{3}\u{4}".utf8) + [UInt8](repeating: 0, count: 26) + zip64Locator + end).write(to: locator)
        #expect(throws: InputError.self) { try ZipDirectory.entries(of: locator.path) }

        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data(ZipFixtures.stored([("huge.xml", Self.text, UInt64.max, nil), ("far.xml", Self.text, nil, UInt64.max)]))
            .write(to: inbox.appendingPathComponent("hostile.zip"))
        try FileManager.default.copyItem(at: locator, to: inbox.appendingPathComponent("locator.zip"))
        _ = try TestSupport.write(try SampleReceipt.text, to: inbox, as: "rt.xml")
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([inbox.path])
        let reasons = Dictionary(uniqueKeysWithValues: summary.outcomes.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.reason ?? "") })
        #expect(summary.outcomes.filter { $0.status == .ingested }.map(\.path) == [inbox.appendingPathComponent("rt.xml").path])
        #expect(reasons["huge.xml"]?.contains("over the limit") == true, "\(reasons)")
        #expect(reasons["far.xml"]?.contains("local header is missing") == true, "\(reasons)")
        #expect(reasons["locator.zip"]?.contains("ZIP64 end record is damaged") == true, "\(reasons)")
        #expect(try store.count("SELECT count(*) FROM receipt") == 1)
    }

    @Test func anArchiveOfHundredsOfEntriesIsListedInOrder() throws {
        let names = (0..<300).map { String(format: "2026-11-17/rt-%06d.xml", $0) }
        let url = try archive(names)
        #expect(try ZipDirectory.entries(of: url.path).map(\.name) == names)
    }
}
