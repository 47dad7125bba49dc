import Foundation
import GRDB
@testable import QuadraKit

/// Paths and scratch space shared by the tests: the repository's `Samples/`, pagoPA's real documents
/// copied under `Fixtures/` (the tests read nothing outside the clone), and a fresh folder per test.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let specSamples = fixtures.appendingPathComponent("samples")
    static let samples = repositoryRoot.appendingPathComponent("Samples")

    static func specSample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: specSamples.appendingPathComponent(name)))
    }

    /// A store as an earlier build left it: a new file in a scratch folder, migrated up to `migration`
    /// and open for the test to fill (close it before a `Store` opens the path).
    static func storeFromBefore(_ migration: String) throws -> (path: String, queue: DatabaseQueue) {
        let path = try scratchFolder().appendingPathComponent("quadra.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: migration)
        return (path, queue)
    }

    /// The migrations the store at `path` holds, in order.
    static func migrations(of path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { try Migrations.migrator.completedMigrations($0) }
    }

    /// A new empty folder in this test process's scratch root.
    static func scratchFolder() throws -> URL {
        _ = removedAtExit
        let url = scratchRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every scratch folder of one test process, under the system's temporary folder. A run of the
    /// suite writes about 2 GB of stores, inboxes and reports there; left behind, a day of runs filled
    /// the disk (23 GB in 11,655 folders).
    private static let scratchRoot = FileManager.default.temporaryDirectory
        .appendingPathComponent("quadra-tests-\(getpid())-\(UUID().uuidString.prefix(8))")

    /// The scratch root goes when the test process exits; a process that crashes leaves it to look at.
    private static let removedAtExit: Void = {
        atexit { try? FileManager.default.removeItem(at: TestSupport.scratchRoot) }
    }()

    static func write(_ text: String, to folder: URL, as name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Parses in-memory bytes as the ingest pipeline would.
    static func parse(_ bytes: [UInt8], creditor: String? = nil) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        DocumentParser.parse(bytes, context: .init(defaultCreditor: creditor))
    }

    static func parse(_ text: String, creditor: String? = nil) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        parse(Array(text.utf8), creditor: creditor)
    }

    static func receipt(_ text: String) throws -> Receipt {
        guard case let .receipt(receipt) = try parse(text).content.get() else { throw DocumentRejection(reason: "not a receipt") }
        return receipt
    }

    static func rejection(_ text: String) -> DocumentRejection? {
        if case let .failure(rejection) = parse(text).content { return rejection }
        return nil
    }
}

/// The real paSendRTV2 sample of the spec pack, with one substitution applied: a way to break one
/// thing at a time and check the reader notices.
enum SampleReceipt {
    static var text: String {
        get throws { String(decoding: try TestSupport.specSample("paSendRTV2Request_multibeneficiary_2transfers.xml"), as: UTF8.self) }
    }

    static func replacing(_ old: String, with new: String) throws -> String {
        let original = try text
        precondition(original.contains(old), "the sample no longer holds \(old)")
        return original.replacingOccurrences(of: old, with: new)
    }

    /// The sample's `paSendRTV2Request` element wrapped in a SOAP 1.1 envelope with the given prefix.
    static func inEnvelope(prefix: String, body: String? = nil) throws -> String {
        let request = try body ?? text
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <\(prefix):Envelope xmlns:\(prefix)="http://schemas.xmlsoap.org/soap/envelope/">
              <\(prefix):Header><ignored xmlns="urn:x"><receiptId>not-this-one</receiptId></ignored></\(prefix):Header>
              <\(prefix):Body>\(request)</\(prefix):Body>
            </\(prefix):Envelope>
            """
    }
}
