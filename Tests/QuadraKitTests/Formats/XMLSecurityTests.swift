import Foundation
import Testing
@testable import QuadraKit

/// Hostile XML must be refused before any entity is resolved or expanded.
@Suite struct XMLSecurityTests {
    @Test func anExternalEntityIsRefusedAndNeverRead() throws {
        let folder = try TestSupport.scratchFolder()
        let secret = try TestSupport.write("SECRET-CONTENT", to: folder, as: "secret.txt")
        let text = try SampleReceipt.replacing("<description>test</description>", with: "<description>&xxe;</description>")
            .replacingOccurrences(of: "<ns2:paSendRTV2Request", with: "<!DOCTYPE ns2:paSendRTV2Request [<!ENTITY xxe SYSTEM \"file://\(secret.path)\">]>\n<ns2:paSendRTV2Request")
        let (_, content) = TestSupport.parse(text)
        guard case let .failure(rejection) = content else { Issue.record("an XXE document was accepted"); return }
        #expect(rejection.reason.contains("DOCTYPE"))
        #expect(!rejection.description.contains("SECRET-CONTENT"))
    }

    @Test func billionLaughsIsRefusedWithoutExpansion() {
        var entities = "<!ENTITY lol \"lol\">"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let text = "<?xml version=\"1.0\"?><!DOCTYPE lolz [\(entities)]><lolz>&lol9;</lolz>"
        let clock = ContinuousClock()
        var outcome: Result<ParsedContent, DocumentRejection>?
        let elapsed = clock.measure { outcome = TestSupport.parse(text).content }
        guard case let .failure(rejection) = outcome else { Issue.record("billion laughs accepted"); return }
        #expect(rejection.reason.contains("DOCTYPE"))
        #expect(elapsed < .seconds(5))
    }

    @Test func anUndeclaredEntityIsAnError() throws {
        let text = try SampleReceipt.replacing("<description>test</description>", with: "<description>&nope;</description>")
        #expect(TestSupport.rejection(text) != nil)
    }

    @Test func predefinedEntitiesAndCharacterReferencesStillWork() throws {
        let text = try SampleReceipt.replacing("<description>test</description>", with: "<description>A &amp; B &#233;</description>")
        #expect(try TestSupport.receipt(text).description == "A & B é")
    }
}
