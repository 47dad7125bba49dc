import Foundation
@testable import QuadraKit

/// The treasury documents of the sample day and the sample configuration, read as the pipeline reads them.
enum TreasurySamples {
    static let folder = TestSupport.samples.appendingPathComponent("inbox/treasury")
    static let journal17 = "GDC_80000000002_2026-11-17.xml"
    static let journal18 = "GDC_80000000002_2026-11-18.xml"
    static let statement = "camt053_80000000010_2026-11-17_18.xml"

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static var configuration: QuadraConfiguration {
        get throws { try QuadraConfiguration.load(path: TestSupport.samples.appendingPathComponent("quadra.toml").path) }
    }

    static var context: DocumentParser.Context {
        get throws {
            let configuration = try configuration
            return .init(creditors: configuration.directory, bankCSVLayouts: configuration.bankCSVLayouts)
        }
    }

    /// Parses text as a treasury document, failing unless it is one.
    static func statement(_ text: String, context: DocumentParser.Context = .init()) throws
        -> (kind: DocumentKind, statement: TreasuryStatement, quarantined: [DocumentRejection]) {
        let (kind, content) = DocumentParser.parse(Array(text.utf8), context: context)
        guard case let .treasury(statement, quarantined) = try content.get() else {
            throw DocumentRejection(reason: "not a treasury document")
        }
        return (kind, statement, quarantined)
    }
}
