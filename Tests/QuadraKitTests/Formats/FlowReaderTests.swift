import Foundation
import Testing
@testable import QuadraKit

@Suite struct FlowReaderTests {
    private func flow(_ bytes: [UInt8]) throws -> (DocumentKind, FlowHeader, [FlowRow]) {
        let (kind, content) = TestSupport.parse(bytes)
        guard case let .flow(header, rows, _) = try content.get() else { throw DocumentRejection(reason: "not a flow") }
        return (kind, header, rows)
    }

    @Test func readsTheRealDecodedFlow() throws {
        let (kind, header, rows) = try flow(try TestSupport.specSample("FlussoRiversamento_5payments_decoded.xml"))
        #expect(kind == .flowXML)
        #expect(header.flowId == "2025-03-1860000000001-S459321233" && header.channel == .xml)
        #expect(header.flowDateTime == "2025-03-18T08:39:23" && header.flowInstant == "2025-03-18T07:39:23Z")
        #expect(header.pspId == "60000000001" && header.senderType == "B" && header.senderName == "AGID")
        #expect(header.receiverFiscalCode == "15376371009")
        #expect(header.settlementReference == "Bonifico SEPA-68166-77777777777" && header.settlementDate == "2025-03-18")
        #expect(header.declaredCount == 5 && header.declaredTotalCents == 50000)
        #expect(rows.count == 5 && rows.allSatisfy { $0.amountCents == 10000 && $0.outcome == .executed && $0.transferIndex == 1 })
        #expect(rows[0].iuv == "68274385248907691" && rows[0].iur == "IUR90482988578893672" && rows[0].outcomeDate == "2025-03-18")
    }

    @Test func readsTheSameFlowWrappedInBase64InsideASOAPRequest() throws {
        let (_, bare, bareRows) = try flow(try TestSupport.specSample("FlussoRiversamento_5payments_decoded.xml"))
        let (kind, wrapped, wrappedRows) = try flow(try TestSupport.specSample("nodoInviaFlussoRendicontazione_soap_base64_5payments.xml"))
        #expect(kind == .flowXML)
        #expect(wrapped.flowId == bare.flowId && wrapped.receiverFiscalCode == bare.receiverFiscalCode)
        #expect(wrappedRows == bareRows)
    }

    @Test func aTruncatedBase64PayloadIsRefused() throws {
        var text = String(decoding: try TestSupport.specSample("nodoInviaFlussoRendicontazione_soap_base64_5payments.xml"), as: UTF8.self)
        let start = try #require(text.range(of: "</xmlRendicontazione>"))
        text.removeSubrange(text.index(start.lowerBound, offsetBy: -41)..<start.lowerBound)
        let rejection = TestSupport.rejection(text)
        #expect(rejection?.element?.hasPrefix("xmlRendicontazione") == true, "\(String(describing: rejection))")
    }

    @Test func readsTheRealFdR3PublishedFlowWithExactCents() throws {
        let (kind, header, rows) = try flow(try TestSupport.specSample("fdr3_published_flow_3payments.json"))
        #expect(kind == .flowJSON)
        #expect(header.channel == .fdr3 && header.sourceRevision == 1 && header.pspId == "ABI08327" && header.senderType == "A")
        #expect(header.flowInstant == "2025-03-20T09:42:58Z", "fdrDate 1742463778 in UTC")
        #expect(header.settlementDate == "2025-03-20" && header.settlementReference == "0832700053006301480320000000IT")
        #expect(header.declaredCount == nil && header.declaredTotalCents == nil)
        #expect(rows.map(\.amountCents) == [20, 20, 20])
        #expect(rows.allSatisfy { $0.transferIndex == 2 && $0.outcome == .executed })
        #expect(rows[0].outcomeDate == "2025-01-29")
    }

    /// `regulationDate` as the organization API documents it (`LocalDate`, "2023-04-03") or as an
    /// instant; one that is neither is a header the flow cannot be judged by, not an empty date.
    @Test func aSettlementDateIsReadAsADateOrAnInstant() throws {
        let sample = SampleFlow()
        let instant = sample.fdr3(revision: 1, fdrDate: "1795018800")
        for (written, expected) in [("\"2026-11-17\"", "2026-11-17"), ("\"2026-11-17T23:30:00Z\"", "2026-11-18"), ("1795039200", "2026-11-18")] {
            let text = instant.replacingOccurrences(of: "\"\(sample.settlementDate)T07:00:00Z\"", with: written)
            let (_, header, _) = try flow(Array(text.utf8))
            #expect(header.settlementDate == expected && header.unreadableDeclarations.isEmpty, "\(written)")
        }
        let (_, header, _) = try flow(Array(instant.replacingOccurrences(of: "\"\(sample.settlementDate)T07:00:00Z\"", with: "\"17/11/2026\"").utf8))
        #expect(header.settlementDate == nil && header.unreadableDeclarations == ["regulationDate 17/11/2026 is not a date"])
    }

    @Test func anAmountThatIsNotWholeCentsKeepsTheRowWithItsProblem() throws {
        var sample = SampleFlow()
        sample.rows[1].amount = "12.345"
        let (_, _, rows) = try flow(Array(sample.fdr3(revision: 1, fdrDate: "1795018800").utf8))
        #expect(rows.count == 2)
        #expect(rows[1].amountCents == nil && rows[1].problem?.contains("not a whole number of cents") == true)
    }

    @Test(arguments: [("0", FlowOutcome.executed), ("3", .revoked), ("4", .standIn), ("8", .standInNoRPT), ("9", .noRPT), ("7", .unknown)])
    func outcomeCodesMapToOneEnum(code: String, outcome: FlowOutcome) throws {
        var sample = SampleFlow()
        sample.rows[0].code = code
        let (_, _, rows) = try flow(Array(sample.xml.utf8))
        #expect(rows[0].outcome == outcome && rows[0].outcomeCode == code)
        #expect(FlowOutcome(fdr3Status: outcome.rawValue) == outcome)
    }

    @Test func anAbsentIndexIsOneAndABadAmountIsKeptAsAProblem() throws {
        var sample = SampleFlow()
        sample.rows[0].index = nil
        sample.rows[1].amount = "22,21"
        let (_, _, rows) = try flow(Array(sample.xml.utf8))
        #expect(rows[0].transferIndex == 1)
        #expect(rows[1].amountCents == nil && rows[1].problem?.contains("singoloImportoPagato '22,21'") == true)
    }

    @Test func aFlowWithoutItsIdIsRefused() throws {
        let text = SampleFlow().xml.replacingOccurrences(of: "<identificativoFlusso>2026-11-17ESMPITMM-S0001726</identificativoFlusso>", with: "")
        #expect(TestSupport.rejection(text)?.reason.contains("identificativoFlusso is missing") == true)
    }
}

/// Findings 6.6 and 6.7 on JSON documents: the real FdR-3 and GPD samples with one substitution.
@Suite struct StrictJSONTests {
    private static func fdr3() throws -> String {
        String(decoding: try TestSupport.specSample("fdr3_published_flow_3payments.json"), as: UTF8.self)
    }

    private static func gpd() throws -> String {
        String(decoding: try TestSupport.specSample("gpd_payment_positions_upload_1position.json"), as: UTF8.self)
    }

    @Test(arguments: [
        ("\"pay\": 0.2,", "\"pay\": 1e300,", "payments[0].pay", "exponent past ±20"),
        ("\"revision\": 1,", "\"revision\": 1, \"revision\": 2,", "revision", "appears twice"),
        ("\"payments\": [", "\"payments\": [null, ", "payments[0]", "null is not an element"),
    ])
    func flowJSONBreakingTheRulesIsRefusedNamingThePlace(original: String, broken: String, element: String, reason: String) throws {
        let text = try Self.fdr3()
        #expect(text.contains(original))
        let rejection = try #require(TestSupport.rejection(text.replacingOccurrences(of: original, with: broken)))
        #expect(rejection.element == element && rejection.reason.contains(reason), "\(rejection)")
    }

    @Test func aPayGivenAsTextIsRefusedWithAReason() throws {
        let text = try Self.fdr3().replacingOccurrences(of: "\"pay\": 0.2,", with: "\"pay\": \"10.00\",")
        let rejection = try #require(TestSupport.rejection(text))
        #expect(rejection.description.contains("payments[0].pay") && rejection.description.contains("number"), "\(rejection)")
    }

    @Test func gpdDuplicateKeysAndImpossibleDatesAreRefused() throws {
        let text = try Self.gpd()
        let owner = try #require(TestSupport.rejection(text.replacingOccurrences(of: "\"iupd\":", with: "\"iupd\": \"X\", \"iupd\":")))
        #expect(owner.reason.contains("\"iupd\" appears twice"), "\(owner)")
        let (_, content) = TestSupport.parse(text.replacingOccurrences(of: "2025-07-18T00:00:00.000", with: "2025-02-30T00:00:00.000"),
                                             creditor: "77777777777")
        guard case let .debtPositions(positions, quarantined) = try content.get() else { Issue.record("not positions"); return }
        #expect(positions.isEmpty && quarantined.first?.reason.contains("'2025-02-30T00:00:00.000' is not an ISO date") == true,
                "\(quarantined)")
        let long = text.replacingOccurrences(of: "\"iupd\": \"IUPD_WEBINAR_001\"", with: "\"iupd\": \"\(String(repeating: "I", count: 141))\"")
        #expect(long != text)
        guard case let .debtPositions(_, tooLong) = try TestSupport.parse(long, creditor: "77777777777").content.get() else { return }
        #expect(tooLong.first?.reason.contains("longer than 140") == true, "\(tooLong)")
    }

    @Test func aMillionNullsAreRefusedBeforeDecoding() throws {
        let nulls = "{\"paymentPositions\": [" + Array(repeating: "null", count: 1_000_000).joined(separator: ",") + "]}"
        let rejection = try #require(TestSupport.rejection(nulls))
        #expect(rejection.element == "paymentPositions[0]" && rejection.reason.contains("null"), "\(rejection)")
    }

    /// Found by `Scripts/fuzz.sh fdr3`: an epoch past year 9999 trapped in date arithmetic (signal 4),
    /// taking the night down. The fuzzer's input is kept as it was found; the real sample with the
    /// same substitution too.
    @Test func anEpochPastTheCalendarIsRefusedNotATrap() throws {
        let found = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("fuzz/fdr3-epoch-past-year-9999.json"))
        let rejection = try #require(TestSupport.rejection(String(decoding: found, as: UTF8.self)))
        #expect(rejection.element == "fdrDate", "\(rejection)")
        let sample = try Self.fdr3()
        #expect(sample.contains("\"fdrDate\": 1742463778.000000000"))
        for epoch in ["17950188006000000000", "-99999999999999", "253402300800"] {
            let text = sample.replacingOccurrences(of: "\"fdrDate\": 1742463778.000000000", with: "\"fdrDate\": \(epoch)")
            #expect(TestSupport.rejection(text)?.element == "fdrDate", "\(epoch)")
        }
    }
}
