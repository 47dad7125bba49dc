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

    /// libxml2 checks each attribute of a start tag against every one before it: 300,000 attributes
    /// (3.4 MB) took 28 s of CPU. A start tag past 64 KiB is refused before libxml2 parses it, whole or
    /// fed in pieces, while quotes and `>` inside attribute values, comments and CDATA are no tag's end.
    @Test func aStartTagOfHugeLengthIsRefusedBeforeLibxml2ParsesIt() throws {
        let attributes = (0..<300_000).map { "a\($0)=\"1\"" }.joined(separator: " ")
        let text = try SampleReceipt.replacing("<description>test</description>", with: "<description a=\"x\" \(attributes)>test</description>")
        let rejection = try #require(TestSupport.rejection(text))
        #expect(rejection.reason.contains("a start tag is longer than 65536 bytes"), "\(rejection.reason)")

        var limit = StartTagLimit()
        let pieces = ["<", "r a=\"1 > 2\" b='it''s'>", "text > with ' and \" quotes", "<!-- l'importo <", "-->",
                      "<![CDATA[ <a b='> ]]>", "<?pi x='?>", "<c d=\"", String(repeating: "y", count: 60_000), "\">"]
        #expect(pieces.allSatisfy { piece in Array(piece.utf8).withUnsafeBytes { limit.check($0) == .admitted } })
        let long = "<e f=\"" + String(repeating: "y", count: 70_000) + "\">"
        #expect(Array(long.utf8).withUnsafeBytes { limit.check($0) } == .tagTooLong)
        // In UTF-16 a character like ľ (3E 01) reads as '>': such documents are refused whole.
        let utf16 = Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r ľ0=\"1\"/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        guard case let .failure(refused) = TestSupport.parse(utf16).content else { Issue.record("a UTF-16 document was read"); return }
        #expect(refused.reason.contains("not UTF-8"), "\(refused.reason)")
        let commented = try SampleReceipt.replacing("<description>test</description>",
                                                    with: "<!-- l'importo è \"giusto\" -->\n<description>test</description>")
        #expect(try TestSupport.receipt(commented).description == "test")
    }
}
