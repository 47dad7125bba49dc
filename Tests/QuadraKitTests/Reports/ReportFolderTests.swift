import Foundation
import Testing
@testable import QuadraKit

@Suite struct ReportFolderTests {
    /// Finding 6.7: a report half-written by a killed run is removed by the next run; a live
    /// process's temporary file and other files stay.
    @Test func temporaryFilesOfDeadRunsAreRemoved() throws {
        let root = try TestSupport.scratchFolder()
        let night = root.appendingPathComponent("2026-11-20")
        let orphan = try TestSupport.write("half", to: night, as: "flows.csv.gz.tmp-2147483000")
        let live = try TestSupport.write("busy", to: night, as: "flows.csv.gz.tmp-1")
        let kept = try TestSupport.write("whole", to: night, as: "flows.csv.gz")
        _ = try ReportFolder(root: root.path, name: "2026-11-20")
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(FileManager.default.fileExists(atPath: live.path) && FileManager.default.fileExists(atPath: kept.path))
    }

    /// Under a setgid reports root (the install's, owned by the readers' group), a group-readable
    /// night's folder keeps the setgid bit, so its files and creditor folders belong to that group.
    @Test func aGroupReadableFolderUnderASetgidRootKeepsItsGroup() throws {
        let root = try TestSupport.scratchFolder().appendingPathComponent("Reports")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: false)
        try #require(chmod(root.path, 0o2750) == 0)
        let night = try ReportFolder(root: root.path, name: "2026-11-20", groupReadable: true)
        let creditor = try ReportFolder(root: night.path, name: "80000000002", groupReadable: true)
        for folder in [night.path, creditor.path] {
            var info = stat()
            try #require(stat(folder, &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o2750, "\(folder): \(String(info.st_mode & 0o7777, radix: 8))")
        }
        let private_ = try ReportFolder(root: root.path, name: "2026-11-21")
        var info = stat()
        try #require(stat(private_.path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700, "a private folder stays private")
    }
}
