import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// A run killed with SIGKILL in the middle of a large ingest, then run again, must leave exactly the
/// store an uninterrupted run leaves: nothing half-written, nothing lost.
@Suite struct CrashRecoveryTests {
    /// Five batches of the ingest's 4,096 documents, each committed alone (`--commit-every 4096`):
    /// the second kill comes once the resumed ingest has committed a batch of new receipts, and must
    /// still find one to write. With two batches (8,000 receipts) the resumed ingest's only new batch
    /// was its last, and it sometimes exited before the kill.
    static let receipts = 20_000

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
        process.arguments = ["ingest", "--db", db.path, "--log-level", "error", "--commit-every", "4096", inbox.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls the store read-only until it holds more than `floor` receipts or the process ends.
    static func waitForReceipts(in db: URL, above floor: Int, while process: Process) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        while process.isRunning {
            if FileManager.default.fileExists(atPath: db.path),
               let count = try? DatabaseQueue(path: db.path, configuration: configuration).read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM receipt") ?? 0 }),
               count > floor {
                return count
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return -1
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: quadra.path),
                   "needs the built quadra binary beside the tests or in .build/debug (swift build first)"))
    func aKilledIngestResumesToTheSameStore() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try Self.makeInbox(inbox, receipts: Self.receipts)

        let reference = folder.appendingPathComponent("reference.sqlite")
        let uninterrupted = try Self.ingest(inbox: inbox, db: reference)
        uninterrupted.waitUntilExit()
        #expect(uninterrupted.terminationStatus == 0)

        // Each kill waits on what the store shows, never on the clock: the first once some receipts
        // are committed, the second once the resumed ingest has committed more.
        let crashed = folder.appendingPathComponent("crashed.sqlite")
        var partials: [Int] = []
        for _ in 0..<2 {
            let victim = try Self.ingest(inbox: inbox, db: crashed)
            let floor = partials.last ?? 0
            let seen = try Self.waitForReceipts(in: crashed, above: floor, while: victim)
            if victim.isRunning { kill(victim.processIdentifier, SIGKILL) }
            victim.waitUntilExit()
            #expect(victim.terminationReason == .uncaughtSignal, "the ingest finished (\(seen) receipts seen) before it could be killed: make the inbox larger")
            partials.append(try Store(path: crashed.path).count("SELECT count(*) FROM receipt"))
        }
        let resumed = try Self.ingest(inbox: inbox, db: crashed)
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect(partials[0] < Self.receipts && partials[0] < partials[1], "each kill must land mid-ingest: \(partials)")

        let expected = try Store(path: reference.path).snapshotDigests()
        let actual = try Store(path: crashed.path).snapshotDigests()
        #expect(actual["receipt"]?.hasPrefix("\(Self.receipts) rows") == true)
        #expect(actual == expected)
    }
}
