import Foundation

/// Reads an FdR-3 flow from JSON: the organisation API's flow header (`SingleFlowResponse`) with its
/// payments inline, or the internal published form whose instants are epoch seconds; and the parts the
/// API delivers a flow in: the header alone (no `payments` key) and pages of payments
/// (`PaginatedPaymentsResponse`), which become `FlowPart`s for the store to assemble.
///
/// Numbers are decoded as `Decimal`, which keeps the decimal text exact: `pay: 0.2` is 20 cents and
/// `12.345` is refused. An FdR-3 page holds at most 1,000 payments, so a flow is read whole.
enum FlowJSONReader {
    static func recognizes(_ shape: JSONShape.Keys) -> Bool {
        !shape.isArray && shape.keys.contains("fdr") && shape.keys.contains("sender") && shape.keys.contains("receiver")
    }

    /// A flow header without its `payments`: one part of a flow delivered in pages.
    static func isHeaderAlone(_ shape: JSONShape.Keys) -> Bool {
        !shape.keys.contains("payments")
    }

    /// `PaginatedPaymentsResponse`: `metadata` and `data` (and `count`); nothing else has both.
    static func recognizesPage(_ shape: JSONShape.Keys) -> Bool {
        !shape.isArray && shape.keys.contains("metadata") && shape.keys.contains("data") && !shape.keys.contains("fdr")
    }

    /// - Parameter path: where the document was read from; a header alone takes its revision from it
    ///   when its content has none, and must agree with it when it is saved in the fetch layout.
    static func read(_ bytes: [UInt8], path: String? = nil) throws -> ParsedContent {
        let flow: FdR3Flow
        do {
            flow = try JSONDecoder().decode(FdR3Flow.self, from: Data(bytes))
        } catch {
            throw DocumentRejection(reason: "not a valid FdR-3 flow: \(JSONErrors.describe(error))")
        }
        guard flow.payments == nil else { return try flow.content() }
        return .flowPart(try flow.headerPart(savedAt: path.flatMap(FlowPartPath.init)))
    }

    /// A page names no flow: it is read only from a path in the fetch layout, which gives its identity.
    static func readPage(_ bytes: [UInt8], path: String?) throws -> ParsedContent {
        guard let path, let place = FlowPartPath(path), let number = place.page else {
            throw DocumentRejection(reason: "an FdR-3 page of payments names no flow: it is read only from a path ending in "
                                    + "\(FlowPartPath.pageLayout), not \(path ?? "an unnamed document")")
        }
        let page: FdR3Page
        do {
            page = try JSONDecoder().decode(FdR3Page.self, from: Data(bytes))
        } catch {
            throw DocumentRejection(reason: "not a valid FdR-3 page of payments: \(JSONErrors.describe(error))")
        }
        guard page.metadata.pageNumber == number else {
            throw DocumentRejection(element: "metadata.pageNumber",
                                    reason: "the page says it is page \(page.metadata.pageNumber) but is saved as page-\(number).json")
        }
        guard page.metadata.totPage >= number else {
            throw DocumentRejection(element: "metadata.totPage", reason: "page \(number) of \(page.metadata.totPage) pages")
        }
        if let count = page.count, count != page.data.count {
            throw DocumentRejection(element: "count", reason: "count says \(count) payments, data holds \(page.data.count)")
        }
        let rows = page.data.enumerated().map { position, payment in payment.row(position: position + 1) }
        let identity = FlowPart.Identity(receiverFiscalCode: place.receiverFiscalCode, pspId: place.pspId,
                                         flowId: place.flowId, revision: place.revision)
        return .flowPart(FlowPart(identity: identity, piece: .page(number: number, of: page.metadata.totPage, rows: rows)))
    }
}

/// `PaginatedPaymentsResponse` of the FdR-3 organization API.
private struct FdR3Page: Decodable {
    struct Metadata: Decodable {
        var pageNumber: Int
        var totPage: Int
    }

    var metadata: Metadata
    var count: Int?
    var data: [FdR3Flow.Payment]
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

        func row(position: Int) -> FlowRow {
            var problems: [String] = []
            let status = payStatus ?? ""
            let outcome = FlowOutcome(fdr3Status: status)
            var amount = pay.flatMap(FdR3Flow.cents)
            if amount == nil { problems.append("pay \(pay.map { "\($0)" } ?? "missing") is not a whole number of cents") }
            if let cents = amount, !outcome.allows(amountCents: cents) {
                problems.append("pay \(Money.format(cents)) is negative but payStatus is '\(status)': only a revocation (REVOKED) is")
                amount = nil
            }
            let transfer = idTransfer ?? 1
            if !(1...5).contains(transfer) { problems.append("idTransfer \(transfer) is not 1 to 5") }
            if (iuv ?? "").isEmpty { problems.append("iuv is missing") }
            if (iur ?? "").isEmpty { problems.append("iur is missing") }
            let boundedIUV = (iuv ?? "").count > FlowRow.maximumIdentifier ? nil : iuv
            let boundedIUR = (iur ?? "").count > FlowRow.maximumIdentifier ? nil : iur
            if boundedIUV == nil, iuv != nil { problems.append("iuv is longer than \(FlowRow.maximumIdentifier) characters") }
            if boundedIUR == nil, iur != nil { problems.append("iur is longer than \(FlowRow.maximumIdentifier) characters") }
            var flowRow = FlowRow(iuv: boundedIUV ?? "", iur: boundedIUR ?? "", transferIndex: (1...5).contains(transfer) ? transfer : 1,
                                  amountCents: amount, outcome: outcome, outcomeCode: status,
                                  outcomeDate: payDate.flatMap(\.utc).flatMap(RomeTime.localDate(ofUTC:)).map(\.description))
            if !problems.isEmpty { flowRow.problem = "payments[\(index ?? position)]: " + problems.joined(separator: "; ") }
            return flowRow
        }
    }

    /// FdR-3 sends instants as ISO text in its API and as epoch seconds in exports.
    /// `regulationDate` as the organization API documents it, a `LocalDate` ("2023-04-03"), or as an
    /// instant (text or epoch seconds) some producers send, taken as its day in Rome. A plain date was
    /// read as an instant, failed, and left the flow with no settlement date: no credit deadline, no
    /// `TES_OVERDUE`, silently.
    static func settlementDay(_ date: Instant?) -> String? {
        if case let .text(text)? = date, text.utf8.count == 10, let day = CivilDate(iso: text) { return day.description }
        return date?.utc.flatMap(RomeTime.localDate(ofUTC:)).map(\.description)
    }

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
        header.settlementDate = Self.settlementDay(regulationDate)
        if let regulationDate, header.settlementDate == nil {
            header.unreadableDeclarations.append("regulationDate \(regulationDate.sent) is not a date")
        }
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
        let rows = (payments ?? []).enumerated().map { position, payment in payment.row(position: position + 1) }
        return .flow(header, rows: rows, streamed: false)
    }

    /// The header alone, as `GET …/revisions/{rev}/psps/{psp}` returns it. Saved in the fetch layout, its
    /// path must name the same flow, revision and PSP as its content.
    func headerPart(savedAt place: FlowPartPath?) throws -> FlowPart {
        guard case .flow(var header, _, _) = try content() else { throw DocumentRejection(reason: "the flow has no header") }
        if let place {
            let mismatch = [("fdr", place.flowId, fdr), ("sender.pspId", place.pspId, sender.pspId),
                            ("revision", "\(place.revision)", revision.map { "\($0)" } ?? "\(place.revision)"),
                            ("receiver.organizationId", place.receiverFiscalCode ?? receiver.organizationId, receiver.organizationId)]
                .first { $0.1 != $0.2 }
            if let (field, saved, sent) = mismatch {
                throw DocumentRejection(element: field, reason: "the header says \(sent) but is saved under \(saved)")
            }
        }
        guard let number = revision ?? place?.revision else {
            throw DocumentRejection(element: "revision", reason: "a flow header without payments needs its revision, "
                                    + "or a path ending in …/fdrs/<fdr>/revisions/<revision>/psps/<psp>.json")
        }
        header.sourceRevision = number
        let identity = FlowPart.Identity(receiverFiscalCode: receiver.organizationId, pspId: sender.pspId, flowId: fdr, revision: number)
        return FlowPart(identity: identity, piece: .header(header))
    }

    /// Euro as an exact decimal → cents (negative for a revocation), or nil when it is not a whole
    /// number of cents within what an amount can be.
    static func cents(_ euro: Decimal) -> Int64? {
        var scaled = euro * 100, whole = Decimal()
        NSDecimalRound(&whole, &scaled, 0, .plain)
        guard whole == scaled, whole >= -Decimal(Money.maximumCents), whole <= Decimal(Money.maximumCents) else { return nil }
        return NSDecimalNumber(decimal: whole).int64Value
    }
}
