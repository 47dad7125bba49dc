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
}
