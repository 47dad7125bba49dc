import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import QuadraKit
import QuadraNet
import Testing

/// The broadcast station over loopback, with real SOAP requests: pagoPA's paSendRTV2 sample and the
/// sample day's paSendRT, in envelopes with the prefixes pagoPA sends.
@Suite struct StationServerTests {
    private let folder: URL
    private let inboxPath: String

    init() throws {
        folder = try TestSupport.scratchFolder()
        inboxPath = folder.appendingPathComponent("inbox").path
    }

    /// The creditors of both samples.
    private static let served = CreditorDirectory([Creditor(fiscalCode: "77777777777", name: "EC1"),
                                                   Creditor(fiscalCode: "80000000002", name: "Comune di Esempio")])

    private func withServer(path: String = "/", _ body: (URL, StationServer) async throws -> Void) async throws {
        let station = BroadcastStation(inbox: try ReceiptInbox(folder: inboxPath), served: Self.served)
        let server = try await StationServer.start(station, options: .init(host: "127.0.0.1", port: 0, path: path))
        do {
            try await body(URL(string: "http://127.0.0.1:\(server.localAddress!.port!)")!, server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private func post(_ text: String, to url: URL, action: String = "paSendRTV2") async throws -> (status: Int, body: String) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("text/xml; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(action, forHTTPHeaderField: "SOAPAction")
        request.httpBody = Data(text.utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Every file under the inbox, hidden ones included.
    private func inboxFiles() -> [String] {
        (FileManager.default.enumerator(atPath: inboxPath)?.allObjects as? [String] ?? [])
            .filter { !$0.hasSuffix("/") && (try? FileManager.default.attributesOfItem(atPath: "\(inboxPath)/\($0)")[.type] as? FileAttributeType) == .typeRegular }
            .sorted()
    }

    private static func faultCode(_ answer: String) -> String? {
        guard let start = answer.range(of: "<faultCode>"), let end = answer.range(of: "</faultCode>") else { return nil }
        return String(answer[start.upperBound..<end.lowerBound])
    }

    @Test func acceptsAReceiptOnceAndAnswersDuplicatesAndConflicts() async throws {
        let request = try SampleReceipt.inEnvelope(prefix: "soapenv")
        try await withServer { url, _ in
            let first = try await post(request, to: url)
            #expect(first.status == 200)
            #expect(first.body.contains("<pafn:paSendRTV2Response><outcome>OK</outcome></pafn:paSendRTV2Response>"))
            let files = inboxFiles()
            #expect(files.count == 1)
            #expect(files.first?.contains("77777777777_c110729d258c4ab1b765fe902aae41d6_") == true)
            let written = try Data(contentsOf: URL(fileURLWithPath: "\(inboxPath)/\(files[0])"))
            #expect(written == Data(request.utf8))

            let again = try await post(request, to: url)
            #expect(again.body.contains("<outcome>KO</outcome>"))
            #expect(Self.faultCode(again.body) == "PAA_RECEIPT_DUPLICATA")
            let other = try await post(try SampleReceipt.inEnvelope(prefix: "S", body: try SampleReceipt.replacing("<description>test</description>", with: "<description>altro</description>")), to: url)
            #expect(Self.faultCode(other.body) == "PAA_SEMANTICA")
            #expect(other.body.contains("<description>receipt c110729d258c4ab1b765fe902aae41d6 was already received with other content"))
            #expect(inboxFiles() == files)

            let metrics = try await send(URLRequest(url: url.appendingPathComponent("metrics")))
            #expect(metrics.body.contains(#"quadra_station_receipts_total{outcome="OK"} 1"#))
            #expect(metrics.body.contains(#"quadra_station_receipts_total{outcome="PAA_RECEIPT_DUPLICATA"} 1"#))
            #expect(metrics.body.contains("quadra_station_request_duration_seconds_count 3"))
        }
    }

    @Test func deliveriesOfOneReceiptAtOnceLandOnce() async throws {
        let request = try SampleReceipt.inEnvelope(prefix: "soapenv")
        try await withServer { url, _ in
            let faults = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<16 { group.addTask { Self.faultCode(try await post(request, to: url).body) } }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(faults.filter { $0 == nil }.count == 1)
            #expect(faults.filter { $0 == "PAA_RECEIPT_DUPLICATA" }.count == 15)
        }
        #expect(inboxFiles().count == 1)
    }

    @Test func aRestartedStationStillKnowsWhatItReceived() async throws {
        let request = try SampleReceipt.inEnvelope(prefix: "soap")
        try await withServer { url, _ in
            let first = try await post(request, to: url)
            #expect(first.body.contains("<outcome>OK</outcome>"))
        }
        try await withServer { url, _ in
            let again = try await post(request, to: url)
            #expect(Self.faultCode(again.body) == "PAA_RECEIPT_DUPLICATA")
        }
        #expect(inboxFiles().count == 1)
    }

    @Test func acceptsPaSendRTOnItsOwnPath() async throws {
        let v1 = String(decoding: try Data(contentsOf: TestSupport.samples.appendingPathComponent("inbox/receipts/2026-11-17_imu-acc-101-rata1.v1.xml")), as: UTF8.self)
        let body = v1.replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
        let request = """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>\(body)</soapenv:Body></soapenv:Envelope>
            """
        try await withServer(path: "/pagopa/rt") { url, _ in
            let answer = try await post(request, to: url.appendingPathComponent("pagopa/rt"), action: "paSendRT")
            #expect(answer.body.contains("<pafn:paSendRTRes><outcome>OK</outcome></pafn:paSendRTRes>"))
            #expect(try await post(request, to: url).status == 404)
        }
        #expect(inboxFiles().count == 1)
        #expect(inboxFiles().first?.contains("80000000002_565b8fb4ee302ee3db5be285678f1f9d_") == true)
    }

    @Test func refusesWithTheRightFaultAndWritesNothing() async throws {
        let notServed = try SampleReceipt.inEnvelope(prefix: "soapenv", body: try SampleReceipt.text
            .replacingOccurrences(of: "77777777777", with: "12345678901"))
        let brokenRule = try SampleReceipt.inEnvelope(prefix: "soapenv", body: try SampleReceipt.replacing("<paymentAmount>30.00</paymentAmount>", with: "<paymentAmount>31.00</paymentAmount>"))
        let entity = """
            <?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>
            """
        try await withServer { url, _ in
            #expect(Self.faultCode(try await post(notServed, to: url).body) == "PAA_ID_DOMINIO_ERRATO")
            #expect(Self.faultCode(try await post(brokenRule, to: url).body) == "PAA_SEMANTICA")
            #expect(Self.faultCode(try await post("<not-closed", to: url).body) == "PAA_SINTASSI_XSD")
            let truncated = String(try SampleReceipt.inEnvelope(prefix: "soapenv", body: try SampleReceipt.text).prefix(1_500))
            #expect(Self.faultCode(try await post(truncated, to: url).body) == "PAA_SINTASSI_XSD", "a receipt cut short does not parse")
            let external = try await post(entity, to: url)
            #expect(Self.faultCode(external.body) == "PAA_SINTASSI_XSD")
            #expect(!external.body.contains("root:"))
            #expect(try await post(String(repeating: " ", count: (1 << 20) + 1), to: url).status == 413)
            #expect(try await send(URLRequest(url: url.appendingPathComponent("health"))).body == "ok\n")
            #expect(try await send(URLRequest(url: url.appendingPathComponent("elsewhere"))).status == 404)
        }
        #expect(inboxFiles().isEmpty)
    }

    @Test func whatTheStationWroteIsIngested() async throws {
        try await withServer { url, _ in _ = try await post(try SampleReceipt.inEnvelope(prefix: "soapenv"), to: url) }
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([inboxPath])
        #expect(summary.outcomes.map(\.status) == [.ingested])
        #expect(summary.outcomes.map(\.kind) == [.receiptV2])
    }

    /// A station starting removes the temporary files a killed writer left, and only those: `quadra
    /// fetch` writes receipts into the same inbox under the same kind of name while it runs.
    @Test func aStartRemovesOnlyADeadWritersTemporaryFiles() throws {
        let dead = ".rt-1.xml.tmp-\(Int32.max)", live = ".rt-2.xml.tmp-\(getpid())"
        try FileManager.default.createDirectory(atPath: inboxPath, withIntermediateDirectories: true)
        for name in [dead, live] { try Data("<".utf8).write(to: URL(fileURLWithPath: inboxPath).appendingPathComponent(name)) }
        _ = try ReceiptInbox(folder: inboxPath)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inboxPath) == [live])
    }
}
