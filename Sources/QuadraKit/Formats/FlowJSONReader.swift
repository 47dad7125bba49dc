import Foundation

/// Reads an FdR-3 flow from JSON: the organisation API's flow header (`SingleFlowResponse`) with its
/// payments inline, or the internal published form whose instants are epoch seconds.
///
/// Numbers are decoded as `Decimal`, which keeps the decimal text exact: `pay: 0.2` is 20 cents and
/// `12.345` is refused. An FdR-3 page holds at most 1,000 payments, so a flow is read whole.
enum FlowJSONReader {
    static func recognizes(_ shape: JSONShape.Keys) -> Bool {
        !shape.isArray && shape.keys.contains("fdr") && shape.keys.contains("sender") && shape.keys.contains("receiver")
    }

    static func read(_ bytes: [UInt8]) throws -> ParsedContent {
        let flow: FdR3Flow
        do {
            flow = try JSONDecoder().decode(FdR3Flow.self, from: Data(bytes))
        } catch {
            throw DocumentRejection(reason: "not a valid FdR-3 flow: \(JSONErrors.describe(error))")
        }
        return try flow.content()
    }
}

private struct FdR3Flow: Decodable {
    var fdr: String
    var fdrDate: Instant
    var revision: Int?
    var regulation: String?
    var regulationDate: Instant?
    var bicCodePouringBank: String?
    var sender: Sender
    var receiver: Receiver
    var totPayments: Int?
    var sumPayments: Decimal?
    var payments: [Payment]?

    struct Sender: Decodable {
        var type: String?
        var id: String?
        var pspId: String
        var pspName: String?
    }

    struct Receiver: Decodable {
        var id: String?
        var organizationId: String
        var organizationName: String?
    }

    struct Payment: Decodable {
        var index: Int?
        var iuv: String?
        var iur: String?
        var idTransfer: Int?
        var pay: Decimal?
        var payStatus: String?
        var payDate: Instant?
    }

    /// FdR-3 sends instants as ISO text in its API and as epoch seconds in exports.
    enum Instant: Decodable {
        case text(String)
        case epoch(Decimal)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) } else { self = .epoch(try container.decode(Decimal.self)) }
        }

        var utc: String? {
            switch self {
            case let .text(text): return RomeTime.utc(fromInstant: text)
            case let .epoch(seconds):
                var value = seconds, whole = Decimal()
                NSDecimalRound(&whole, &value, 0, .down)
                // Checked before converting: a document's 17950188006000000000 once trapped the night (fuzzing).
                guard whole >= Decimal(RomeTime.epochSecondsRange.lowerBound), whole <= Decimal(RomeTime.epochSecondsRange.upperBound) else {
                    return nil
                }
                return RomeTime.utc(fromEpochSeconds: NSDecimalNumber(decimal: whole).int64Value)
            }
        }

        var sent: String {
            switch self {
            case let .text(text): return text
            case let .epoch(seconds): return "\(seconds)"
            }
        }
    }

    /// `LEGAL_PERSON`, `ABI_CODE`, `BIC_CODE` are the XML's G, A, B.
    private static let senderTypes = ["LEGAL_PERSON": "G", "ABI_CODE": "A", "BIC_CODE": "B"]

    func content() throws -> ParsedContent {
        guard fdr.count <= FlowRow.maximumIdentifier else {
            throw DocumentRejection(element: "fdr", reason: "fdr is longer than \(FlowRow.maximumIdentifier) characters")
        }
        guard let instant = fdrDate.utc else { throw DocumentRejection(element: "fdrDate", reason: "'\(fdrDate.sent)' is not an instant") }
        var header = FlowHeader(channel: .fdr3, flowId: fdr, flowDateTime: fdrDate.sent, flowInstant: instant,
                                pspId: sender.pspId, receiverFiscalCode: receiver.organizationId)
        header.sourceRevision = revision
        header.senderType = sender.type.map { Self.senderTypes[$0] ?? $0 }
        header.senderId = sender.id
        header.senderName = sender.pspName
        header.receiverName = receiver.organizationName
        header.settlementReference = regulation
        header.settlementDate = regulationDate.flatMap(\.utc).flatMap(RomeTime.localDate(ofUTC:)).map(\.description)
        header.bic = bicCodePouringBank
        header.declaredCount = totPayments
        header.declaredTotalCents = sumPayments.flatMap(Self.cents)
        if let count = totPayments, count < 0 {
            header.declaredCount = nil
            header.unreadableDeclarations.append("totPayments \(count) is not a count")
        }
        if let sum = sumPayments, header.declaredTotalCents == nil {
            header.unreadableDeclarations.append("sumPayments \(sum) is not a whole number of cents from 0 to \(Money.format(Money.maximumCents))")
        }
        let rows = (payments ?? []).enumerated().map { position, payment in row(payment, position: position + 1) }
        return .flow(header, rows: rows, streamed: false)
    }

    private func row(_ payment: Payment, position: Int) -> FlowRow {
        var problems: [String] = []
        let amount = payment.pay.flatMap(Self.cents)
        if amount == nil { problems.append("pay \(payment.pay.map { "\($0)" } ?? "missing") is not a whole number of cents") }
        let index = payment.idTransfer ?? 1
        if !(1...5).contains(index) { problems.append("idTransfer \(index) is not 1 to 5") }
        if (payment.iuv ?? "").isEmpty { problems.append("iuv is missing") }
        if (payment.iur ?? "").isEmpty { problems.append("iur is missing") }
        let iuv = (payment.iuv ?? "").count > FlowRow.maximumIdentifier ? nil : payment.iuv
        let iur = (payment.iur ?? "").count > FlowRow.maximumIdentifier ? nil : payment.iur
        if iuv == nil, payment.iuv != nil { problems.append("iuv is longer than \(FlowRow.maximumIdentifier) characters") }
        if iur == nil, payment.iur != nil { problems.append("iur is longer than \(FlowRow.maximumIdentifier) characters") }
        let status = payment.payStatus ?? ""
        var flowRow = FlowRow(iuv: iuv ?? "", iur: iur ?? "", transferIndex: (1...5).contains(index) ? index : 1,
                              amountCents: amount, outcome: FlowOutcome(fdr3Status: status), outcomeCode: status,
                              outcomeDate: payment.payDate.flatMap(\.utc).flatMap(RomeTime.localDate(ofUTC:)).map(\.description))
        if !problems.isEmpty { flowRow.problem = "payments[\(payment.index ?? position)]: " + problems.joined(separator: "; ") }
        return flowRow
    }

    /// Euro as an exact decimal → cents, or nil when it is not a whole number of cents.
    private static func cents(_ euro: Decimal) -> Int64? {
        var scaled = euro * 100, whole = Decimal()
        NSDecimalRound(&whole, &scaled, 0, .plain)
        guard whole == scaled, whole >= 0, whole <= Decimal(Money.maximumCents) else { return nil }
        return NSDecimalNumber(decimal: whole).int64Value
    }
}
