import Foundation
import Testing
@testable import QuadraKit

@Suite struct DiscrepancyCodeTests {
    /// README's table of codes is the catalogue, row for row: a code added in Swift and not documented
    /// (or the reverse, or a severity or meaning changed in one place only) fails here.
    @Test func readmeTableMatchesTheCatalogue() throws {
        let readme = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") && $0.split(separator: "|").count == 3 }
            .map { String($0) }
        let documented = Set(rows.filter { row in DiscrepancyCode.allCases.contains { row.hasPrefix("| `\($0.rawValue)` |") } })
        let expected = Set(DiscrepancyCode.allCases.map { "| `\($0.rawValue)` | \($0.severity.rawValue) | \($0.meaning) |" })
        #expect(documented == expected, "README rows to fix: \(expected.symmetricDifference(documented).sorted())")
    }

    @Test func everyFlowFindingIsADiscrepancyCode() {
        for code in FlowFinding.Code.allCases {
            #expect(DiscrepancyCode(rawValue: code.rawValue) != nil, "\(code.rawValue)")
        }
    }

    @Test func aRuleMayLowerTheUsualSeverity() {
        #expect(Discrepancy(.tesUnknownReference, message: "").severity == .error)
        #expect(Discrepancy(.tesUnknownReference, .info, message: "").severity == .info)
    }
}
