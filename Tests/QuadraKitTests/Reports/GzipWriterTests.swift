import Foundation
import Testing
@testable import QuadraKit

@Suite struct GzipWriterTests {
    private func gzip(_ text: String, mode: mode_t = 0o600) throws -> URL {
        let folder = try TestSupport.scratchFolder()
        let url = folder.appendingPathComponent("out.csv.gz")
        let writer = try GzipWriter(into: try AtomicFile(path: url.path, mode: mode))
        try writer.write(text)
        _ = try writer.finish()
        return url
    }

    /// zlib refusing to start (here a level it has not) is an error, and the streams are freed once:
    /// freed by the initializer and again by the `deinit`, they crashed the process.
    @Test func zlibRefusingToStartIsAnErrorNotACrash() throws {
        let folder = try TestSupport.scratchFolder()
        #expect(throws: ReportError.self) {
            _ = try GzipWriter(into: try AtomicFile(path: folder.appendingPathComponent("x.gz").path, mode: 0o600), level: 99)
        }
        #expect(InflateStream(windowBits: 99, outputSize: 16) == nil)
    }

    @Test func theHeaderCarriesNoNameAndNoTime() throws {
        let bytes = Array(try Data(contentsOf: try gzip("a,b\r\n")))
        #expect(Array(bytes.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], "deflate, no flags, mtime 0, Unix")
    }

    @Test func largeTextRoundTripsAndGivesTheSameBytesTwice() throws {
        let text = (0..<20_000).map { "row \($0),\"quoted, \($0 * 7)\"\r\n" }.joined()
        let first = try gzip(text), second = try gzip(text)
        #expect(try ReportFiles.text(first) == text)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }

    @Test func theFileLandsWithItsModeAndNoTemporaryNameRemains() throws {
        let url = try gzip("x", mode: 0o640)
        #expect(try ReportFiles.mode(url) == 0o640)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(names == ["out.csv.gz"])
    }

    @Test func anAbandonedFileLeavesNothingBehind() throws {
        let folder = try TestSupport.scratchFolder()
        do {
            let file = try AtomicFile(path: folder.appendingPathComponent("half.csv.gz").path, mode: 0o600)
            try file.write(Array("half".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func reportNamesCannotLeaveTheFolder() throws {
        let folder = try ReportFolder(root: try TestSupport.scratchFolder().path, name: "2026-11-20")
        for name in ["../escape.csv.gz", "a/b.csv.gz", ".hidden", "..", ""] {
            #expect(throws: ReportError.escapes(name: name)) { _ = try folder.create(name) }
        }
        #expect(folder.path.hasSuffix("/2026-11-20"))
        for name in ["../2026-11-20", ".full", ""] {
            #expect(throws: ReportError.escapes(name: name)) { _ = try ReportFolder(root: folder.path, name: name) }
        }
    }
}
