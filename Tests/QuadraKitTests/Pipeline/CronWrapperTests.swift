import Foundation
import Testing
@testable import QuadraKit

/// `cron/quadra-nightly.sh` as cron runs it (issue 16, item 3): the built binary, a scratch home,
/// the sample day; exit codes, the stderr line cron mails, backups, log lines.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
struct CronWrapperTests {
    private static let wrapper = TestSupport.repositoryRoot.appendingPathComponent("cron/quadra-nightly.sh").path

    private func nightly(_ environment: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        try ReportFiles.execute(URL(fileURLWithPath: "/bin/sh"), [Self.wrapper, environment.path])
    }

    private func setUp(backups: Int = 2) throws -> (home: URL, environment: URL) {
        let home = try TestSupport.scratchFolder()
        try FileManager.default.copyItem(at: SampleDayTests.inbox, to: home.appendingPathComponent("inbox"))
        let environment = try TestSupport.write("""
            QUADRA_BIN=\(CrashRecoveryTests.quadra.path)
            QUADRA_HOME=\(home.path)
            QUADRA_CONFIG=\(TestSupport.samples.appendingPathComponent("quadra.toml").path)
            QUADRA_LOG=\(home.path)/log/nightly.log
            QUADRA_BACKUPS=\(backups)
            QUADRA_EXTRA="--settle 0 --as-of 2026-11-20"
            """, to: home, as: "quadra.env")
        return (home, environment)
    }

    @Test func anUnreadableEnvironmentFileExits78Loudly() throws {
        let result = try nightly(URL(fileURLWithPath: "/nonexistent/quadra.env"))
        #expect(result.status == 78 && result.stderr.contains("cannot read /nonexistent/quadra.env"), "\(result.stderr)")
    }

    @Test func nightsAreBackedUpLoggedOnceAndALockedStartIsMailed() throws {
        let (home, environment) = try setUp()
        for _ in 0..<4 {
            let night = try nightly(environment)
            #expect(night.status == 0 && night.stderr.isEmpty, "\(night.stderr)")
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("backup").path)
        #expect(backups.count == 2 && backups.allSatisfy { $0.hasPrefix("quadra-") && $0.hasSuffix(".sqlite") }, "\(backups)")
        let copy = try Store(path: home.appendingPathComponent("backup/\(backups.sorted()[0])").path, opening: .existing)
        try copy.checkIntegrity()
        #expect(try copy.lastReconciliationDay() == NightlyRunTests.day)
        #expect(try ReportFiles.mode(home.appendingPathComponent("backup/\(backups[0])")) == 0o600)

        let log = try String(contentsOf: home.appendingPathComponent("log/nightly.log"), encoding: .utf8)
        let stamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (quadra [a-z]+|quadra-nightly): /#
        for line in log.split(separator: "\n") {
            #expect(line.prefixMatch(of: stamp) != nil && line.matches(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#).count == 1, "\(line)")
        }

        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [home.appendingPathComponent("quadra.sqlite.nightly.lock").path, "sleep", "30"]
        try holder.run()
        defer { holder.terminate() }
        var locked = try nightly(environment)
        for _ in 0..<50 where locked.status == 0 {  // until flock has taken the lock
            Thread.sleep(forTimeInterval: 0.1)
            locked = try nightly(environment)
        }
        #expect(locked.status == 75 && locked.stderr.split(separator: "\n").count == 1 && locked.stderr.contains("exit 75"),
                "\(locked.stderr)")
    }

    /// Retention goes by the night a file was archived in, not by its own date, which a move keeps: a
    /// receipt sent with a date 500 days old stays archived; a night folder older than the period goes.
    @Test func archivedOriginalsAreKeptByTheNightThatReadThem() throws {
        let (home, environment) = try setUp()
        let env = try String(contentsOf: environment, encoding: .utf8) + "\nQUADRA_ARCHIVE=\(home.path)/archive\nQUADRA_RETAIN_DAYS=400\n"
        try env.write(to: environment, atomically: true, encoding: .utf8)
        let receipt = home.appendingPathComponent("inbox/receipts/2026-11-16_cds-000777.xml")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -500 * 86_400)], ofItemAtPath: receipt.path)
        let stale = try TestSupport.write("old", to: home.appendingPathComponent("archive/2020/01/02"), as: "old.xml")
        let night = try nightly(environment)
        #expect(night.status == 0, "\(night.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("archive/2026/11/20/receipts/2026-11-16_cds-000777.xml").path),
                "archived tonight, kept whatever its own date")
        #expect(!FileManager.default.fileExists(atPath: stale.path) && !FileManager.default.fileExists(atPath: home.appendingPathComponent("archive/2020").path))
    }

    /// A night stopped by its time limit logs no error of its own: its summary quotes none, not the
    /// last error of an earlier night, which would point the operator at the wrong cause.
    @Test func aNightsSummaryQuotesOnlyThatNight() throws {
        let (home, environment) = try setUp()
        _ = try TestSupport.write("2026-11-19T01:00:00Z quadra error: an earlier night's failure\n", to: home.appendingPathComponent("log"),
                                  as: "nightly.log")
        try (try String(contentsOf: environment, encoding: .utf8) + "\nQUADRA_TIMEOUT=0.05\n").write(to: environment, atomically: true, encoding: .utf8)
        let result = try nightly(environment)
        #expect(result.status == 124 && result.stderr.contains("QUADRA_TIMEOUT") && !result.stderr.contains("earlier night"), "\(result.stderr)")
    }

    /// A store's folder that is not there made `exec 9>` end the shell: exit 2, a shell error and no
    /// line naming the store. Now it is exit 74 with one line for cron, and nothing is created.
    @Test func aStoreFolderThatIsNotThereExits74WithOneLine() throws {
        let (home, environment) = try setUp()
        let missing = home.appendingPathComponent("not-mounted/quadra.sqlite").path
        try (String(contentsOf: environment, encoding: .utf8) + "\nQUADRA_DB=\(missing)\n").write(to: environment, atomically: true, encoding: .utf8)
        let result = try nightly(environment)
        #expect(result.status == 74, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("exit 74") && lines[0].contains("\(missing).nightly.lock"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("not-mounted").path))
    }

    @Test func aFailedRunWritesOneLineForCronToMail() throws {
        let (home, environment) = try setUp()
        try FileManager.default.removeItem(at: home.appendingPathComponent("inbox"))
        let result = try nightly(environment)
        #expect(result.status == 74, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("exit 74") && lines[0].contains("inbox"), "\(result.stderr)")
        let log = try String(contentsOf: home.appendingPathComponent("log/nightly.log"), encoding: .utf8)
        #expect(log.split(separator: "\n").allSatisfy { $0.matches(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#).count == 1 }, "\(log)")
    }
}
