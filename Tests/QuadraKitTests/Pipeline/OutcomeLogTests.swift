import Foundation
import Testing
@testable import QuadraKit

/// A night's outcomes go to a spool file and come back exactly, in order; the manifest streams them
/// in the encoder's own layout.
@Suite struct OutcomeLogTests {
    /// Outcomes with every field set and unset, awkward text, and enough of them (reasons of a few
    /// hundred bytes) to cross the spool's buffer many times.
    static let outcomes: [DocumentOutcome] = (0..<6_000).map { index in
        DocumentOutcome(path: "inbox/città \(index)/rt \"\(index)\"\\\n.xml", kind: index % 3 == 0 ? .receiptV2 : .flowXML,
                        sha256: String(repeating: "ab", count: 32), size: index * 1_000,
                        status: DocumentOutcome.Status.allCases[index % DocumentOutcome.Status.allCases.count],
                        reason: index % 2 == 0 ? nil : String(repeating: "motivo €\(index) ", count: 20),
                        records: index, quarantined: (0..<(index % 4)).map { "riga \($0) 🙂" })
    }

    @Test func everyOutcomeComesBackAsItWentIn() throws {
        let log = try OutcomeLog()
        for outcome in Self.outcomes { try log.append(outcome) }
        var back: [DocumentOutcome] = []
        try log.forEach { back.append($0) }
        #expect(log.count == Self.outcomes.count)
        #expect(back == Self.outcomes)
        var again = 0
        try log.forEach { _ in again += 1 }
        #expect(again == Self.outcomes.count, "the spool can be read more than once")
    }

    @Test func theStreamedManifestIsWhatTheEncoderWrites() throws {
        let folder = try ReportFolder(root: try TestSupport.scratchFolder().path, name: "2026-11-20")
        var manifest = ReportManifest(asOf: "2026-11-20", quadraVersion: "test", configurationDigest: nil)
        manifest.keysByLabel = ["RT_IUF_TES": 3]
        manifest.files = [ReportManifest.File(name: "a.csv.gz", size: 1, sha256: "00")]
        for count in [0, 1, 2_000] {
            let documents = Self.outcomes.prefix(count).map {
                ReportManifest.Document(path: $0.path + "/é\t", kind: $0.kind.rawValue, sha256: $0.sha256, outcome: $0.status.rawValue)
            }
            let out = try folder.create("manifest.json")
            try manifest.write(documents: ReportManifest.DocumentList { body in try documents.forEach(body) }, to: out)
            _ = try out.commit()
            var whole = manifest
            whole.documents = documents
            let expected = try JSONEncoder.report.encode(whole) + Data("\n".utf8)
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/manifest.json")) == expected, "\(count) documents")
        }
    }
}
