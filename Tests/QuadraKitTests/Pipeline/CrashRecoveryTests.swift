import Foundation
import Testing
@testable import QuadraKit

/// A run killed with SIGKILL in the middle of a large ingest, then run again, must leave exactly the
/// store an uninterrupted run leaves: nothing half-written, nothing lost.
@Suite struct CrashRecoveryTests {
    /// Large enough that a debug build is still ingesting when the first kill comes.
    static let receipts = 8_000

    static var quadra: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("quadra")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestSupport.repositoryRoot.appendingPathComponent(".build/debug/quadra")
    }

    /// Many distinct receipts made from the real sample (new receiptId, IUV and notice number each).
    static func makeInbox(_ folder: URL, receipts: Int) throws {
        let template = try SampleReceipt.text
        for index in 0..<receipts {
            let iuv = String(format: "31%015d", index)
            let text = template
                .replacingOccurrences(of: "c110729d258c4ab1b765fe902aae41d6", with: String(format: "%032x", index + 1))
                .replacingOccurrences(of: "311111111112222222", with: "3" + iuv)
                .replacingOccurrences(of: "11111111112222222", with: iuv)
            let sub = folder.appendingPathComponent(String(format: "%03d", index / 1000))
            if index % 1000 == 0 { try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true) }
            try Data(text.utf8).write(to: sub.appendingPathComponent("rt-\(index).xml"))
        }
    }

    static func ingest(inbox: URL, db: URL) throws -> Process {
        let process = Process()
        process.executableURL = quadra
        process.arguments = ["ingest", "--db", db.path, "--log-level", "error", inbox.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: quadra.path)))
    func aKilledIngestResumesToTheSameStore() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try Self.makeInbox(inbox, receipts: Self.receipts)

        let reference = folder.appendingPathComponent("reference.sqlite")
        let uninterrupted = try Self.ingest(inbox: inbox, db: reference)
        uninterrupted.waitUntilExit()
        #expect(uninterrupted.terminationStatus == 0)

        let crashed = folder.appendingPathComponent("crashed.sqlite")
        var kills = 0
        var partials: [Int] = []
        for delay in [0.5, 1.0] {
            let victim = try Self.ingest(inbox: inbox, db: crashed)
            Thread.sleep(forTimeInterval: delay)
            if victim.isRunning {
                kill(victim.processIdentifier, SIGKILL)
                kills += 1
            }
            victim.waitUntilExit()
            partials.append(try Store(path: crashed.path).count("SELECT count(*) FROM receipt"))
        }
        let resumed = try Self.ingest(inbox: inbox, db: crashed)
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect(kills > 0, "the ingest finished before it could be killed: make the inbox larger")
        #expect(partials[0] < Self.receipts, "the first kill must leave the ingest unfinished")

        let expected = try Store(path: reference.path).snapshotDigests()
        let actual = try Store(path: crashed.path).snapshotDigests()
        #expect(actual["receipt"]?.hasPrefix("\(Self.receipts) rows") == true)
        #expect(actual == expected)
    }
}
