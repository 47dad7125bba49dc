import Foundation
import Logging
import QuadraKit

/// What the broadcast station does with one request body, apart from HTTP: reads it with the batch's
/// receipt reader, checks the creditor is served, writes it durably into the inbox and words the
/// SOAP answer.
///
/// ```swift
/// let station = BroadcastStation(inbox: try ReceiptInbox(folder: dir), served: configuration.directory)
/// let answer = station.receive(bytes)   // answer.xml goes back to pagoPA
/// ```
public struct BroadcastStation: Sendable {
    public let inbox: ReceiptInbox
    public let served: CreditorDirectory
    /// `faultBean.id` when the request names no served creditor.
    public var stationName = "quadra"
    private let logger: Logger

    public init(inbox: ReceiptInbox, served: CreditorDirectory, logger: Logger = Logger(label: "quadra.station")) {
        self.inbox = inbox
        self.served = served
        self.logger = logger
    }

    public func receive(_ body: [UInt8], now: Date = Date()) -> StationAnswer {
        let (isReceipt, content) = DocumentParser.readReceipt(body)
        let receipt: Receipt
        switch content {
        case let .failure(rejection):
            // The answer's element follows the request's; a body too broken to read gets the V2 one
            // unless it names paSendRTReq. XML that does not parse (the parser's rejection names a
            // line, no element) is a syntax error even when it began as a receipt; a receipt that
            // breaks a rule, a semantic one.
            let looksV1 = String(decoding: body, as: UTF8.self).contains("paSendRTReq")
            let semantic = isReceipt && rejection.element != nil
            return refuse(semantic ? .semantics : .syntax, rejection.description, version: looksV1 ? .v1 : .v2, id: stationName)
        case let .success(read):
            receipt = read
        }
        let creditors = [receipt.fiscalCode] + receipt.transfers.map(\.beneficiaryFiscalCode)
        guard let creditor = creditors.first(where: { code in served.creditors.contains { $0.fiscalCode == code } }) else {
            return refuse(.wrongDomain, "no creditor of receipt \(receipt.receiptId) (\(Set(creditors).sorted().joined(separator: ", "))) is served by this station",
                          version: receipt.version, id: receipt.fiscalCode)
        }
        guard ReceiptInbox.isUsableReceiptId(receipt.receiptId) else {
            return refuse(.semantics, "receiptId '\(receipt.receiptId)' holds characters other than letters, digits, '-' and '_'",
                          version: receipt.version, id: creditor)
        }
        do {
            switch try inbox.store(receipt, creditor: creditor, body: body, now: now) {
            case .stored:
                return StationAnswer(version: receipt.version, fault: nil, description: nil, id: creditor)
            case .duplicate:
                return refuse(.duplicate, "receipt \(receipt.receiptId) was already received", version: receipt.version, id: creditor)
            case let .conflict(path):
                return refuse(.semantics, "receipt \(receipt.receiptId) was already received with other content (\((path as NSString).lastPathComponent))",
                              version: receipt.version, id: creditor)
            }
        } catch {
            logger.error("could not store receipt \(receipt.receiptId): \(error)")
            return refuse(.system, "the receipt could not be stored", version: receipt.version, id: creditor)
        }
    }

    private func refuse(_ fault: StationAnswer.FaultCode, _ description: String, version: Receipt.Version, id: String) -> StationAnswer {
        if fault != .duplicate { logger.warning("\(fault.rawValue): \(description)") }
        return StationAnswer(version: version, fault: fault, description: description, id: id)
    }
}
