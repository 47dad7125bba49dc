import Foundation
import GRDB
import Testing
@testable import QuadraKit

/// Failures that used to pass as a quiet night (issue 16, item 2) and a store that keeps its
/// contents private (item 4): real stores, the sample day's real documents.
@Suite struct LoudFailureTests {
    static let configurationPath = TestSupport.samples.appendingPathComponent("quadra.toml").path

    @Test func aStoreThatMustExistIsNeverCreated() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("sub/quadra.sqlite").path
        #expect(throws: Store.Unopenable.self) { try Store(path: db, opening: .existing) }
        #expect(throws: Store.Unopenable.self) { try Store.openLocked(path: db, opening: .existing) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func theStoreItsJournalAndItsFolderArePrivate() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("private/quadra.sqlite")
        let store = try Store(path: db.path)
        _ = try Ingestor(store: store).ingest([SampleDayTests.inbox.path])
        #expect(try ReportFiles.mode(db.deletingLastPathComponent()) == 0o700)
        for suffix in ["", "-wal", "-shm"] {
            #expect(try ReportFiles.mode(URL(fileURLWithPath: db.path + suffix)) == 0o600, "quadra.sqlite\(suffix)")
        }
        let shared = folder.appendingPathComponent("shared/quadra.sqlite").path
        _ = try Store.openLocked(path: shared, opening: .create(groupReadable: true))
        #expect(try ReportFiles.mode(URL(fileURLWithPath: shared).deletingLastPathComponent()) == 0o750)
        #expect(try ReportFiles.mode(URL(fileURLWithPath: shared)) == 0o600)
        // A store others may read (an earlier build's, a copy) is the owner's alone once a writer opens it.
        let copied = folder.appendingPathComponent("copied.sqlite").path
        _ = try Store(path: copied)
        _ = chmod(copied, 0o644)
        let (reopened, lock) = try Store.openLocked(path: copied, opening: .existing)
        #expect(try ReportFiles.mode(URL(fileURLWithPath: copied)) == 0o600)
        withExtendedLifetime((reopened, lock)) {}
    }

    @Test func aSymbolicLinkToTheStoreTakesTheSameLock() throws {
        let folder = try TestSupport.scratchFolder()
        let real = folder.appendingPathComponent("quadra.sqlite").path
        let link = folder.appendingPathComponent("link.sqlite").path
        let (_, lock) = try Store.openLocked(path: real, opening: .create(groupReadable: false))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect {
            _ = try Store.openLocked(path: link, opening: .existing)
        } throws: { error in
            guard case .held = error as? StoreLock.Failure else { return false }
            return true
        }
        withExtendedLifetime(lock) {}
    }

    @Test func aDamagedStoreIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        do {
            let store = try Store(path: db)
            _ = try Ingestor(store: store).ingest([SampleDayTests.inbox.path])
            try store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        try handle.seek(toOffset: 4096 * 3)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096 * 4))
        try handle.close()
        #expect(throws: Store.Unopenable.self) { try Store.openLocked(path: db, opening: .existing) }
    }

    /// `require_mount` compared the inbox's device with its parent's, so a share bound into place (a
    /// bind mount: same device as the folder above) was refused every night as "not a mount point".
    /// The kernel's mount table names it: read as proc(5) writes it, escapes undone.
    @Test func aBindMountedInboxIsAMountPoint() throws {
        let table = """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
            97 22 254:0 /srv/pagopa-share /var/lib/quadra/inbox rw,relatime shared:1 - ext4 /dev/vda rw,discard
            98 22 0:52 / /mnt/share\\040pagoPA\\134ec rw,nosuid - cifs //nas/pagopa rw,vers=3.0
            """
        #expect(InboxCheck.mountPoints(inMountInfo: table) == ["/", "/var/lib/quadra/inbox", "/mnt/share pagoPA\\ec"])
        // A folder on its parent's device is a mount point when, and only when, the table lists it.
        let inbox = try TestSupport.scratchFolder().appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: false)
        let real = try #require(realpath(inbox.path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        #expect(!InboxCheck.isMountPoint(inbox.path, mountInfo: table))
        #expect(InboxCheck.isMountPoint(inbox.path, mountInfo: table + "\n99 22 254:0 /srv/share \(real) rw - ext4 /dev/vda rw"))
        // Read as `verify` reads it (the file's size is 0 to stat), the table names `/`; and every
        // folder this machine mounts, bind mounts included, passes the check.
        let mounted = try #require(FileManager.default.contents(atPath: "/proc/self/mountinfo").map { String(decoding: $0, as: UTF8.self) })
        #expect(InboxCheck.mountPoints(inMountInfo: mounted).contains("/"))
        for point in InboxCheck.mountPoints(inMountInfo: mounted) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: point, isDirectory: &isFolder), isFolder.boolValue,
                  FileManager.default.isReadableFile(atPath: point) else { continue }
            #expect(throws: Never.self, "\(point)") { try InboxCheck(requireMount: true).verify(point) }
        }
    }

    @Test func anInboxThatIsNotTheShareIsRefused() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: inbox)
        #expect(throws: InboxCheck.Problem.self) { try InboxCheck(sentinel: ".quadra-inbox").verify(inbox.path) }
        #expect(throws: InboxCheck.Problem.self) { try InboxCheck(requireMount: true).verify(inbox.path) }
        #expect(throws: InboxCheck.Problem.self) { try InboxCheck().verify(folder.appendingPathComponent("missing").path) }
        _ = try TestSupport.write("", to: inbox, as: ".quadra-inbox")
        try InboxCheck(sentinel: ".quadra-inbox").verify(inbox.path)
        try InboxCheck(requireMount: true).verify("/proc")

        let configuration = try QuadraConfiguration.parse("""
            [inbox]
            require_mount = true
            sentinel = ".quadra-inbox"
            [monitoring]
            silent_days = 3
            """)
        #expect(configuration.inbox == InboxCheck(requireMount: true, sentinel: ".quadra-inbox") && configuration.silentDays == 3)
        #expect(throws: QuadraConfiguration.Failure(key: "inbox.sentinel", reason: "'../x' is not a plain file name")) {
            try QuadraConfiguration.parse("[inbox]\nsentinel = \"../x\"")
        }
    }

    @Test func anEmptyInboxFailsTheNightAndLeavesTheStoreAlone() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        _ = try TestSupport.write("", to: inbox, as: ".quadra-inbox")
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let nightly = NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: NightlyRunTests.day)
        #expect(throws: NightlyRun.EmptyInbox.self) { try nightly.run(inbox: inbox.path, out: folder.appendingPathComponent("out").path) }
        #expect(try store.lastReconciliationDay() == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func filesStillArrivingWaitForTheNextRun() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        let receipt = try TestSupport.write(try SampleReceipt.text, to: inbox, as: "rt-new.xml")
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        var options = Ingestor.Options()
        options.settleSeconds = 60
        let early = try Ingestor(store: store, options: options).ingest([inbox.path])
        #expect(early.outcomes.isEmpty && early.waiting == [receipt.path] && early.exitCode == .success)
        #expect(early.line.contains("waiting 1"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -120)], ofItemAtPath: receipt.path)
        let settled = try Ingestor(store: store, options: options).ingest([inbox.path])
        #expect(settled.waiting.isEmpty && settled.count(.ingested) == 1)
        // Dated a year ahead: no copy in progress, a clock's mistake; read, not left waiting for ever.
        let ahead = try TestSupport.write(try SampleReceipt.replacing("<receiptId>", with: "<receiptId>F"), to: inbox, as: "rt-ahead.xml")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 400 * 86_400)], ofItemAtPath: ahead.path)
        let future = try Ingestor(store: store, options: options).ingest([ahead.path])
        #expect(future.waiting.isEmpty && future.outcomes.count == 1, "\(future.line)")
    }

    @Test func aLogLineIsOneLineWithOneStamp() {
        let line = LogLine.format(level: .warning, message: "rejected in\nbox/a\rb.xml: bad\\thing\u{1}", epochSeconds: 1_795_000_000)
        #expect(line == #"2026-11-18T11:06:40Z quadra warning: rejected in\nbox/a\rb.xml: bad\\thing\u0001"#)
    }
}

/// The same failures as cron sees them: the built binary, exit codes, nothing created.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
struct LoudCommandLineTests {
    /// Runs the binary in `folder`, where no `quadra.toml` and no `Reports/` exist.
    private func quadra(_ arguments: [String], in folder: URL) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CrashRecoveryTests.quadra
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    /// A store the binary must upgrade while a run holds it: `status` exits 75 and leaves it as it
    /// was; `backup` copies it as it is.
    @Test func aStoreWaitingForItsUpgradeBesideARunIsExit75() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v13: the journal holder of each movement")
        try queue.close()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let held = try StoreLock(databasePath: path)
        let status = try quadra(["status", "--db", path], in: folder)
        #expect(status.status == 75 && status.stderr.contains("must first upgrade the store"), "\(status)")
        let backup = try quadra(["backup", "--db", path, "--to", folder.appendingPathComponent("copy.sqlite").path], in: folder)
        #expect(backup.status == 0, "\(backup)")
        #expect(try TestSupport.migrations(of: path).last == "v13: the journal holder of each movement")
        withExtendedLifetime(held) {}
    }

    @Test func readingCommandsOnAMissingStoreExit74AndCreateNothing() throws {
        let folder = try TestSupport.scratchFolder()
        for command in [["status"], ["explain", "01234567890123456"], ["report"], ["status", "--db", "elsewhere/q.sqlite"]] {
            let result = try quadra(command, in: folder)
            #expect(result.status == 74 && result.stderr.contains("does not exist"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // A store truncated to nothing is refused as such, and left as it is.
        let empty = try TestSupport.write("", to: folder, as: "zero.sqlite")
        for command in [["status", "--db", empty.path], ["report", "--db", empty.path]] {
            let result = try quadra(command, in: folder)
            #expect(result.status == 74 && result.stderr.contains("is an empty file"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["zero.sqlite"])
        #expect(try Data(contentsOf: empty).isEmpty)
    }

    @Test func aRunWithoutConfigurationExits78AndTheDefaultStoreFolderIsMade() throws {
        let folder = try TestSupport.scratchFolder()
        let bare = try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--as-of", "2026-11-20"], in: folder)
        #expect(bare.status == 78 && bare.stderr.contains("no configuration") && bare.stderr.contains("quadra.toml"), "\(bare.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // An empty configuration file serves nobody: a green night would resolve every open item.
        let empty = try TestSupport.write("", to: try TestSupport.scratchFolder(), as: "empty.toml")
        let none = try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--config", empty.path, "--as-of", "2026-11-20"], in: folder)
        #expect(none.status == 78 && none.stderr.contains("names no [[creditor]]"), "\(none.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let night = try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--config", LoudFailureTests.configurationPath,
                                "--as-of", "2026-11-20", "--settle", "0"], in: folder)
        #expect(night.status == 0, "\(night.stderr)")
        let lines = night.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.split(separator: " ")[1] == "quadra" && !$0.contains("[quadra]") })
        #expect(try quadra(["explain", "no-such-thing"], in: folder).status == 65)
        #expect(try quadra(["status"], in: folder).status == 0)
    }

    @Test func statusOnADamagedStoreExits74() throws {
        let folder = try TestSupport.scratchFolder()
        try Data(repeating: 0x41, count: 8192).write(to: folder.appendingPathComponent("bad.sqlite"))
        let result = try quadra(["status", "--db", "bad.sqlite"], in: folder)
        #expect(result.status == 74, "\(result.stderr)")
    }
}
