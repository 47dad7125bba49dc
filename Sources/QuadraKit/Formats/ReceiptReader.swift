import CLibXML2
import Crypto
import Foundation

/// Reads a `paSendRTV2Request` (CtReceiptV2) or `paSendRTReq` (CtReceipt) into a `Receipt`, checking
/// the rules a receipt must meet before it can be trusted.
///
/// Children of the paForNode messages are unqualified, so fields are matched by local name and
/// position in the tree. The envelope fields (`idPA`, `idStation`, …) are read past on purpose: the
/// same receipt reaches every beneficiary's station, and only the `receipt` element identifies it.
final class ReceiptReader {
    /// The elements the reader acts on, each case named as its element; any other element is `other`.
    /// Their raw values index the slots where texts are kept.
    enum Element: Int, CaseIterable {
        case other
        case receipt, transferList, transfer, debtor, payer, uniqueIdentifier, mapEntry, key, value
        case fullName, entityUniqueIdentifierType, entityUniqueIdentifierValue
        case receiptId, noticeNumber, fiscalCode, outcome, creditorReferenceId, paymentAmount, description
        case companyName, officeName, idPSP, pspFiscalCode, PSPCompanyName, idChannel
        case channelDescription, paymentMethod, paymentNote, fee, primaryCiIncurredFee, idBundle, idCiBundle
        case paymentDateTime, applicationDate, transferDate, standIn
        case idTransfer, transferAmount, fiscalCodePA, IBAN, remittanceInformation, transferCategory
        case MBDAttachment

        var name: String { String(describing: self) }

        /// The longest text the schema allows (paForNode.xsd: `stText35`, `stText70`, `stText140`,
        /// `stText210`, `stIBANIdentifier`); `receiptId` is bounded at 35 as in `CtReceipt`. An
        /// element without a bound of its own (MBDAttachment, a base64 stamp) is held to the parser's.
        var maximumLength: Int {
            switch self {
            case .receiptId, .creditorReferenceId, .idPSP, .idChannel, .channelDescription, .paymentMethod, .IBAN,
                 .entityUniqueIdentifierValue, .idTransfer, .noticeNumber, .fiscalCode, .fiscalCodePA, .outcome,
                 .paymentAmount, .transferAmount, .fee, .primaryCiIncurredFee, .paymentDateTime, .applicationDate,
                 .transferDate, .standIn, .entityUniqueIdentifierType:
                return 35
            case .pspFiscalCode, .PSPCompanyName, .idBundle, .idCiBundle, .fullName:
                return 70
            case .paymentNote:
                return 210
            case .MBDAttachment, .other, .receipt, .transferList, .transfer, .debtor, .payer, .uniqueIdentifier, .mapEntry:
                return XMLStreamParser.maximumText
            case .description, .companyName, .officeName, .remittanceInformation, .transferCategory, .key, .value:
                return 140
            }
        }

        /// The known names grouped by length, so that a name is compared with a few candidates only.
        private static let byLength: [[(name: [UInt8], element: Element)]] = {
            var table = [[(name: [UInt8], element: Element)]](repeating: [], count: 32)
            for element in allCases where element != .other {
                table[element.name.utf8.count].append((Array(element.name.utf8), element))
            }
            return table
        }()

        init(_ name: UnsafePointer<xmlChar>, length: Int) {
            self = .other
            guard length < Self.byLength.count else { return }
            for candidate in Self.byLength[length] where memcmp(candidate.name, name, length) == 0 {
                self = candidate.element
                return
            }
        }
    }

    /// The texts of one element's children, by child.
    struct Texts {
        private static let count = Element.allCases.count
        private var slots = [String?](repeating: nil, count: Texts.count)

        subscript(_ element: Element) -> String? {
            get { slots[element.rawValue] }
            set { slots[element.rawValue] = newValue }
        }
    }

    private let version: Receipt.Version
    /// All that the events change, in one value: one exclusivity check per event, not one per property.
    private var read = Read()

    /// What the events have gathered so far.
    private struct Read {
        /// The open elements from the message's root down.
        var path: [Element] = []
        var transferOrdinal = 0
        /// What the content digest covers, hashed once at the end: each element name inside `receipt`
        /// after `<`, each text after `>` (the same bytes as ever, so stored digests stay comparable).
        var digestInput: [UInt8] = []
        var fields = Texts()
        var debtor = PartyFields()
        var payer = PartyFields()
        var metadata: [MetadataEntry] = []
        var pendingKey: String?
        var transfers: [TransferFields] = []
        var sawReceipt = false
        /// The first rule broken while reading (a field given twice, a text longer than the schema
        /// allows), thrown by `receipt()`: the last of two `fiscalCode`s must never silently win.
        var problem: DocumentRejection?

        init() {
            path.reserveCapacity(16)
            digestInput.reserveCapacity(4096)
        }

        mutating func start(_ name: XMLName) {
            let length = strlen(name.local)
            let element = Element(name.local, length: length)
            path.append(element)
            guard path.count >= 2, path[1] == .receipt else { return }
            if path.count == 2 { sawReceipt = true }
            digestInput.append(UInt8(ascii: "<"))
            digestInput.append(contentsOf: UnsafeBufferPointer(start: name.local, count: length))
            if path.count == 4, element == .transfer, path[2] == .transferList {
                transferOrdinal += 1
                transfers.append(TransferFields(ordinal: transferOrdinal))
            }
        }

        mutating func end(text: UnsafeRawBufferPointer) {
            defer { path.removeLast() }
            guard path.count >= 3, path[1] == .receipt else { return }
            digestInput.append(UInt8(ascii: ">"))
            digestInput.append(contentsOf: text)
            let element = path[path.count - 1]
            guard element != .other else { return }
            let parent = path[path.count - 2]
            if problem == nil, text.count > element.maximumLength,
               String(decoding: text, as: UTF8.self).count > element.maximumLength {
                problem = DocumentRejection(element: place(), reason: "\(element.name) is longer than the \(element.maximumLength) characters the schema allows")
            }
            switch parent {
            case .receipt:
                if problem == nil, fields[element] != nil { problem = DocumentRejection(element: place(), reason: "\(element.name) appears twice") }
                fields[element] = String(decoding: text, as: UTF8.self)
            case .debtor, .payer:
                if element == .fullName { update(parent) { $0.fullName = String(decoding: text, as: UTF8.self) } }
            case .uniqueIdentifier:
                let owner = path[path.count - 3]
                if element == .entityUniqueIdentifierType { update(owner) { $0.kind = String(decoding: text, as: UTF8.self) } }
                if element == .entityUniqueIdentifierValue { update(owner) { $0.identifier = String(decoding: text, as: UTF8.self) } }
            case .transfer where path.count == 5 && path[2] == .transferList:
                if problem == nil, transfers[transfers.count - 1].values[element] != nil {
                    problem = DocumentRejection(element: place(), reason: "\(element.name) appears twice")
                }
                transfers[transfers.count - 1].values[element] = String(decoding: text, as: UTF8.self)
                if element == .MBDAttachment { transfers[transfers.count - 1].stamp = true }
            case .mapEntry:
                if element == .key { pendingKey = String(decoding: text, as: UTF8.self) }
                if element == .value, let key = pendingKey {
                    let entry = MetadataEntry(key: key, value: String(decoding: text, as: UTF8.self))
                    if path.count == 7, path[3] == .transfer {
                        if path[2] == .transferList { transfers[transfers.count - 1].metadata.append(entry) }
                    } else {
                        metadata.append(entry)
                    }
                    pendingKey = nil
                }
            default:
                break
            }
        }

        /// The open element's path below the message, `receipt/transferList/transfer[2]/IBAN`.
        private func place() -> String {
            path.dropFirst().map { $0 == .transfer ? "transfer[\(transferOrdinal)]" : $0.name }.joined(separator: "/")
        }

        private mutating func update(_ owner: Element, _ change: (inout PartyFields) -> Void) {
            if owner == .payer { change(&payer) } else if owner == .debtor { change(&debtor) }
        }
    }

    private struct PartyFields {
        var kind: String?
        var identifier: String?
        var fullName: String?
        var party: Party? { identifier.map { Party(kind: kind ?? "", identifier: $0, fullName: fullName) } }
    }

    private struct TransferFields {
        var ordinal: Int
        var values = Texts()
        var metadata: [MetadataEntry] = []
        var stamp = false
    }

    init(version: Receipt.Version) {
        self.version = version
    }

    func didStart(_ name: XMLName) {
        read.start(name)
    }

    /// The element that ends is the last one started: the reader tracks the path itself.
    func didEnd(text: UnsafeRawBufferPointer) {
        read.end(text: text)
    }

    /// The receipt read so far, validated; call once the document has been parsed to its end.
    func receipt() throws -> Receipt {
        guard read.sawReceipt else { throw DocumentRejection(element: "receipt", reason: "the message has no receipt") }
        if let problem = read.problem { throw problem }
        let receiptId = try required(.receiptId)
        let outcome = try required(.outcome)
        guard outcome == "OK" else {
            throw reject(.outcome, "outcome is \(outcome): pagoPA only pushes receipts of successful payments")
        }
        let noticeNumber = try required(.noticeNumber)
        guard noticeNumber.utf8.count == 18, Self.isDigits(noticeNumber) else {
            throw reject(.noticeNumber, "notice number \(noticeNumber) is not 18 digits")
        }
        let fiscalCode = try fiscalCodeField(read.fields[.fiscalCode], element: "receipt/fiscalCode")
        let amount = try amountField(.paymentAmount, required: true)!
        var receipt = Receipt(
            version: version, receiptId: receiptId, noticeNumber: noticeNumber, fiscalCode: fiscalCode,
            outcome: outcome, iuv: try required(.creditorReferenceId), paymentAmountCents: amount,
            pspId: try required(.idPSP), transfers: try readTransfers(),
            contentDigest: SHA256.hash(data: read.digestInput).hexString)
        receipt.description = read.fields[.description]
        receipt.companyName = read.fields[.companyName]
        receipt.officeName = read.fields[.officeName]
        receipt.debtor = read.debtor.party
        receipt.payer = read.payer.party
        receipt.pspFiscalCode = read.fields[.pspFiscalCode]
        receipt.pspCompanyName = read.fields[.PSPCompanyName]
        receipt.channelId = read.fields[.idChannel]
        receipt.channelDescription = read.fields[.channelDescription]
        receipt.paymentMethod = read.fields[.paymentMethod]
        receipt.paymentNote = read.fields[.paymentNote]
        receipt.feeCents = try amountField(.fee, required: false)
        receipt.primaryCiIncurredFeeCents = try amountField(.primaryCiIncurredFee, required: false)
        receipt.idBundle = read.fields[.idBundle]
        receipt.idCiBundle = read.fields[.idCiBundle]
        receipt.paymentDateTime = try dateField(.paymentDateTime, pattern: .dateTime)
        receipt.applicationDate = try dateField(.applicationDate, pattern: .date)
        receipt.transferDate = try dateField(.transferDate, pattern: .date)
        if let standIn = read.fields[.standIn] {
            guard standIn == "true" || standIn == "false" else { throw reject(.standIn, "standIn is \(standIn), not a boolean") }
            receipt.standIn = standIn == "true"
        }
        receipt.metadata = read.metadata
        let total = Money.sum(receipt.transfers.map(\.amountCents))
        guard total == amount else {
            throw reject(.transferList, "transfers sum to \(total.map(Money.format) ?? "more than any amount") but paymentAmount is \(Money.format(amount))")
        }
        return receipt
    }

    private func readTransfers() throws -> [ReceiptTransfer] {
        guard (1...5).contains(read.transfers.count) else {
            throw reject(.transferList, "a receipt has 1 to 5 transfers, this one has \(read.transfers.count)")
        }
        var seen = Set<Int>()
        return try read.transfers.map { fields in
            let element = "receipt/transferList/transfer[\(fields.ordinal)]"
            func value(_ name: Element) throws -> String {
                guard let text = fields.values[name], !text.isEmpty else {
                    throw DocumentRejection(element: "\(element)/\(name.name)", reason: "\(name.name) is missing")
                }
                return text
            }
            let idText = try value(.idTransfer)
            guard let id = Int(idText), (1...5).contains(id) else {
                throw DocumentRejection(element: "\(element)/idTransfer", reason: "idTransfer \(idText) is not 1 to 5")
            }
            guard seen.insert(id).inserted else {
                throw DocumentRejection(element: "\(element)/idTransfer", reason: "idTransfer \(id) appears twice")
            }
            let amountText = try value(.transferAmount)
            guard let amount = Money.cents(fromTwoDecimals: amountText), amount > 0 else {
                throw DocumentRejection(element: "\(element)/transferAmount",
                                        reason: "'\(amountText)' is not a positive amount with two decimals")
            }
            let beneficiary = try fiscalCodeField(fields.values[.fiscalCodePA], element: "\(element)/fiscalCodePA")
            let iban = fields.values[.IBAN].flatMap { $0.isEmpty ? nil : $0 }
            if let iban, !IBAN.hasSchemaShape(iban) {
                throw DocumentRejection(element: "\(element)/IBAN", reason: "'\(iban)' is not an IBAN (two letters, two digits, 1 to 30 letters or digits)")
            }
            guard (iban != nil) != fields.stamp else {
                throw DocumentRejection(element: element, reason: "a transfer carries either an IBAN or an MBDAttachment")
            }
            var transfer = ReceiptTransfer(idTransfer: id, amountCents: amount, beneficiaryFiscalCode: beneficiary,
                                           iban: iban, isStamp: fields.stamp)
            transfer.companyName = fields.values[.companyName]
            transfer.remittanceInformation = fields.values[.remittanceInformation]
            transfer.transferCategory = fields.values[.transferCategory]
            transfer.metadata = fields.metadata
            return transfer
        }
    }

    private func required(_ name: Element) throws -> String {
        guard let value = read.fields[name], !value.isEmpty else { throw reject(name, "\(name.name) is missing") }
        return value
    }

    private func amountField(_ name: Element, required: Bool) throws -> Int64? {
        guard let text = read.fields[name] else {
            if required { throw reject(name, "\(name.name) is missing") }
            return nil
        }
        guard let cents = Money.cents(fromTwoDecimals: text) else {
            throw reject(name, "'\(text)' is not an amount with two decimals")
        }
        return cents
    }

    private func fiscalCodeField(_ value: String?, element: String) throws -> String {
        guard let value, value.utf8.count == 11, Self.isDigits(value) else {
            throw DocumentRejection(element: element, reason: "'\(value ?? "")' is not an 11-digit creditor fiscal code")
        }
        return value
    }

    private func dateField(_ name: Element, pattern: ISODate.Pattern) throws -> String? {
        guard let text = read.fields[name] else { return nil }
        guard ISODate.matches(text, pattern) else { throw reject(name, "'\(text)' is not an ISO \(pattern)") }
        return text
    }

    private static func isDigits(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private func reject(_ name: Element, _ reason: String) -> DocumentRejection {
        DocumentRejection(element: "receipt/\(name.name)", reason: reason)
    }
}

extension SHA256 {
    /// Feeds a marker byte and a string without building an intermediate array.
    mutating func update(marker: UInt8, text: String) {
        withUnsafeBytes(of: marker) { update(bufferPointer: $0) }
        var text = text
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
