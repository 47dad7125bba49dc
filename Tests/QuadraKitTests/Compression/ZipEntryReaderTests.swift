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

    @Test func aTruncatedArchiveHasNoDirectory() throws {
        let url = try archive()
        let whole = try Data(contentsOf: url)
        try whole.prefix(whole.count - 30).write(to: url)
        #expect(throws: InputError.self) { try ZipDirectory.entries(of: url.path) }
        try Data("PK\u{3}\u{4} but nothing more".utf8).write(to: url)
        #expect(throws: InputError.self) { try ZipDirectory.entries(of: url.path) }
    }

    @Test func anArchiveOfHundredsOfEntriesIsListedInOrder() throws {
        let names = (0..<300).map { String(format: "2026-11-17/rt-%06d.xml", $0) }
        let url = try archive(names)
        #expect(try ZipDirectory.entries(of: url.path).map(\.name) == names)
    }
}
