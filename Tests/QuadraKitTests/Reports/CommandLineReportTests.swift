import Foundation
import Testing
@testable import QuadraKit

/// `quadra run` and `quadra report` as cron calls them: the built binary, real files, exit codes.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
struct CommandLineReportTests {
    func quadra(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ReportFiles.execute(CrashRecoveryTests.quadra, arguments)
    }

    @Test func theNightlyRunThenReportAloneWriteTheSameReports() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        let nightly = try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--config", config, "--db", db, "--settle", "0",
                                  "--out", folder.appendingPathComponent("night").path, "--as-of", "2026-11-20"])
        #expect(nightly.status == 0, "\(nightly.stderr)")
        #expect(nightly.stderr.contains("run 2026-11-20: 26 documents") && nightly.stderr.contains("10 keys classified (all; cashed 10, reported 0, paid 0, anomaly 0), 10 changed;"))
        let night = folder.appendingPathComponent("night/2026-11-20")
        for name in NightlyRunTests.reportNames where name.hasSuffix(".gz") {
            let zcat = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["zcat", night.appendingPathComponent(name).path])
            #expect(zcat.status == 0 && !zcat.stdout.isEmpty, "zcat \(name)")
        }

        let alone = try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("again").path])
        #expect(alone.status == 0, "\(alone.stderr)")
        var first = try ReportFiles.sha256s(in: night), second = try ReportFiles.sha256s(in: folder.appendingPathComponent("again/2026-11-20"))
        first["manifest.json"] = nil
        second["manifest.json"] = nil
        #expect(first == second, "the report of the last reconciliation, as of its date")

        // The store holds the last day's verdicts: another day's nightly reports are refused; its full
        // listing comes from a copy reconciled from scratch as of that day, the store left as it was.
        let earlier = try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("again").path,
                                  "--as-of", "2026-11-18"])
        #expect(earlier.status == 64 && earlier.stderr.contains("add --full"), "\(earlier.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("again/2026-11-18").path))
        let past = try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("past").path,
                               "--full", "--as-of", "2026-11-18"])
        #expect(past.status == 0, "\(past.stderr)")
        #expect(try Store(path: db, opening: .existing).lastReconciliationDay() == CivilDate(iso: "2026-11-20"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".as-of-") }.isEmpty)
        // A copy a killed report left (its writer gone) holds what the store holds: the next one removes it.
        let left = folder.appendingPathComponent("quadra.sqlite.as-of-2026-11-17.tmp-\(Int32.max)")
        try FileManager.default.createDirectory(at: left, withIntermediateDirectories: false)
        #expect(try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("past").path,
                            "--full", "--as-of", "2026-11-19"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: left.path))
        // Its creditor is one the configuration serves (the copy is reconciled for those).
        let stranger = try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("stranger").path,
                                   "--full", "--as-of", "2026-11-19", "--creditor", "90000000001"])
        #expect(stranger.status == 64 && stranger.stderr.contains("90000000001 is not a creditor"), "\(stranger.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("stranger").path))

        let period = try quadra(["report", "--db", db, "--out", folder.appendingPathComponent("period").path,
                                 "--from", "2026-11-01", "--to", "2026-11-30"])
        #expect(period.status == 0)
        let rows = try ReportFiles.csvRows(folder.appendingPathComponent("period/period-2026-11-01_2026-11-30/accounting.csv.gz")).dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0[4] == "2026-11-01/2026-11-30" })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("period").path)
                == ["period-2026-11-01_2026-11-30"], "a period export never touches a night's folder")
        let sameRoot = try quadra(["report", "--db", db, "--out", folder.appendingPathComponent("night").path,
                                   "--from", "2026-11-01", "--to", "2026-11-30"])
        #expect(sameRoot.status == 0)
        var after = try ReportFiles.sha256s(in: night)
        after["manifest.json"] = nil
        #expect(after == first, "the night's files are as the night wrote them")

        #expect(try quadra(["reconcile", "--config", config, "--db", db, "--full", "--as-of", "2026-11-18"]).status == 0)
        let reconciled = try quadra(["report", "--config", config, "--db", db, "--out", folder.appendingPathComponent("again").path, "--full"])
        #expect(reconciled.status == 0, "\(reconciled.stderr)")
        var fromCopy = try ReportFiles.sha256s(in: folder.appendingPathComponent("past/2026-11-18-full"))
        var fromStore = try ReportFiles.sha256s(in: folder.appendingPathComponent("again/2026-11-18-full"))
        fromCopy["manifest.json"] = nil
        fromStore["manifest.json"] = nil
        #expect(!fromCopy.isEmpty && fromCopy == fromStore, "the same bytes as reconciling the store itself as of that day")
    }

    @Test func badReportUsageExits64AMissingStore74AndAnEmptyStoreHasNothingToReport() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        #expect(try quadra(["report", "--db", db, "--from", "2026-11-01"]).status == 64)
        #expect(try quadra(["report", "--db", db, "--as-of", "20-11-2026"]).status == 64)
        let missing = try quadra(["report", "--db", db, "--out", folder.path])
        #expect(missing.status == 74 && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db) && !FileManager.default.fileExists(atPath: db + ".lock"))
        _ = try Store(path: db)
        let empty = try quadra(["report", "--db", db, "--out", folder.path])
        #expect(empty.status == 65 && empty.stderr.contains("no reconciliation"))
    }
}
