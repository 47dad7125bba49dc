import Foundation
import Testing
@testable import QuadraKit

@Suite struct ZipWriterTests {
    private static let entries: [(name: String, bytes: [UInt8])] = [
        ("2026-11-17/rt-000123.xml", Array(String(repeating: "<receipt>ok</receipt>\n", count: 200).utf8)),
        ("empty.txt", []),
        ("à-accentata.json", Array("{\"a\": 1}".utf8)),
    ]

    @Test func theSameEntriesGiveAByteIdenticalArchive() throws {
        let folder = try TestSupport.scratchFolder()
        let first = folder.appendingPathComponent("a.zip"), second = folder.appendingPathComponent("b.zip")
        try ZipFixtures.write(Self.entries, to: first)
        Thread.sleep(forTimeInterval: 1.1)
        try ZipFixtures.write(Self.entries, to: second)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second), "no clock, no file system time in the bytes")
    }

    @Test func entriesReadBackAsWrittenDeflated() throws {
        let archive = try TestSupport.scratchFolder().appendingPathComponent("a.zip")
        try ZipFixtures.write(Self.entries, to: archive)
        let entries = try ZipDirectory.entries(of: archive.path)
        #expect(entries.map(\.name) == Self.entries.map(\.name))
        #expect(entries.allSatisfy { $0.method == 8 && $0.kind == .file })
        #expect(entries[0].compressedSize < entries[0].uncompressedSize)
        for (entry, expected) in zip(entries, Self.entries) {
            #expect(try InputFile(entry: entry, in: archive.path).readAll(limit: .max) == expected.bytes)
        }
    }

    @Test func nothingLandsBeforeClose() throws {
        let archive = try TestSupport.scratchFolder().appendingPathComponent("a.zip")
        let writer = try ZipWriter(path: archive.path)
        try writer.append([1, 2, 3], as: "x")
        #expect(!FileManager.default.fileExists(atPath: archive.path))
        try writer.close()
        #expect(try ZipDirectory.entries(of: archive.path).map(\.name) == ["x"])
    }
}
