import Crypto
import Foundation

/// Reads GPD debt positions (`PaymentPositionModel` v1 and its response models) from JSON: a single
/// position, an array of positions, the bulk body `{"paymentPositions":[...]}` or the list response
/// `{"payment_position_list":[...]}`.
///
/// A position that breaks a rule is quarantined on its own, so one bad position in a bulk of
/// thousands does not sink the others.
enum DebtPositionReader {
    /// Whether the keys found at the top of a JSON document are those of debt positions.
    static func recognizes(_ shape: JSONShape.Keys) -> Bool {
        let markers: Set<String> = ["paymentPositions", "payment_position_list", "iupd", "paymentOption"]
        return !shape.keys.isDisjoint(with: markers)
    }

    /// - Parameter defaultCreditor: owner of positions that do not name one (from `--creditor` or the folder).
    static func read(_ bytes: [UInt8], defaultCreditor: String?) throws -> ParsedContent {
        let decoder = JSONDecoder()
        let data = Data(bytes)
        let elements: [Lossy<GPDPosition>]
        let base: String
        do {
            if let bulk = try? decoder.decode(GPDBulk.self, from: data), let list = bulk.paymentPositions ?? bulk.payment_position_list {
                elements = list
                base = bulk.paymentPositions != nil ? "paymentPositions" : "payment_position_list"
            } else if JSONShape.topLevelKeys(bytes)?.isArray == true {
                elements = try decoder.decode([Lossy<GPDPosition>].self, from: data)
                base = ""
            } else {
                elements = [try decoder.decode(Lossy<GPDPosition>.self, from: data)]
                base = ""
            }
        } catch {
            throw DocumentRejection(reason: "not valid GPD JSON: \(JSONErrors.describe(error))")
        }
        var positions: [DebtPosition] = []
        var quarantined: [DocumentRejection] = []
        var seenIUVs: [String: String] = [:]
        for (index, element) in elements.enumerated() {
            let path = base.isEmpty && elements.count == 1 ? "position" : "\(base)[\(index)]"
            do {
                let position = try element.value.get().model(path: path, defaultCreditor: defaultCreditor)
                for option in position.options {
                    let key = "\(position.creditorFiscalCode)/\(option.iuv)"
                    if let other = seenIUVs[key] {
                        throw DocumentRejection(element: path, reason: "IUV \(option.iuv) already used by position \(other) in this document")
                    }
                    seenIUVs[key] = position.iupd
                }
                positions.append(position)
            } catch let rejection as DocumentRejection {
                if rejection.reason.hasPrefix(GPDPosition.noOwnerReason) { throw rejection }
                quarantined.append(rejection)
            } catch {
                quarantined.append(DocumentRejection(element: path, reason: JSONErrors.describe(error)))
            }
        }
        guard !elements.isEmpty else { throw DocumentRejection(reason: "the document holds no debt position") }
        return .debtPositions(positions, quarantined: quarantined)
    }
}

/// Decodes one element of a list, keeping its error instead of failing the whole list.
struct Lossy<Value: Decodable>: Decodable {
    let value: Result<Value, Error>

    init(from decoder: Decoder) throws {
        value = Result { try Value(from: decoder) }
    }
}

enum JSONErrors {
    /// A one-line account of a decoding error, with the JSON path where it happened.
    static func describe(_ error: Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        /// What a JSON value of `type` looks like, for a reader of the message.
        func expected(_ type: Any.Type) -> String {
            switch type {
            case is Decimal.Type, is Int.Type, is Int64.Type, is Double.Type: return "a JSON number (not text)"
            case is String.Type: return "a string"
            case is Bool.Type: return "true or false"
            default: return "\(type)"
            }
        }
        switch error {
        case let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context):
            return "\(path(context)): should be \(expected(type))"
        case let DecodingError.keyNotFound(key, context):
            return "\(path(context)).\(key.stringValue) is missing"
        case let DecodingError.dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "\(path(context)) \(underlying ?? context.debugDescription)".trimmingCharacters(in: .whitespaces)
        default:
            return "\(error)"
        }
    }
}

private struct GPDBulk: Decodable {
    var paymentPositions: [Lossy<GPDPosition>]?
    var payment_position_list: [Lossy<GPDPosition>]?
}

/// GPD's position as it travels, every field optional so that a missing one is reported by name.
struct GPDPosition: Decodable {
    static let noOwnerReason = "no owning creditor"

    var iupd: String?
    var organizationFiscalCode: String?
    var type: String?
    var fiscalCode: String?
    var fullName: String?
    var companyName: String?
    var officeName: String?
    var validityDate: String?
    var switchToExpired: Bool?
    var payStandIn: Bool?
    var status: String?
    var paymentDate: String?
    var paymentOption: [GPDOption]?

    func model(path: String, defaultCreditor: String?) throws -> DebtPosition {
        guard let iupd, !iupd.isEmpty else { throw DocumentRejection(element: "\(path).iupd", reason: "iupd is missing") }
        try GPDField.check(path, [("iupd", iupd, 140), ("fiscalCode", fiscalCode, 140), ("fullName", fullName, 140),
                                  ("companyName", companyName, 140), ("officeName", officeName, 140), ("status", status, 140)],
                           dates: [("validityDate", validityDate), ("paymentDate", paymentDate)])
        let owner = organizationFiscalCode ?? paymentOption?.lazy.compactMap(\.organizationFiscalCode).first ?? defaultCreditor
        guard let owner else {
            throw DocumentRejection(element: "\(path).organizationFiscalCode", reason: "\(Self.noOwnerReason): the position names no organizationFiscalCode, no --creditor was given and the folder is not named by a fiscal code")
        }
        guard FiscalCode.hasOrganizationShape(owner) else {
            throw DocumentRejection(element: "\(path).organizationFiscalCode", reason: "'\(owner)' is not an 11-digit creditor fiscal code")
        }
        guard let options = paymentOption, !options.isEmpty else {
            throw DocumentRejection(element: "\(path).paymentOption", reason: "position \(iupd) has no payment option")
        }
        var position = DebtPosition(
            creditorFiscalCode: owner, iupd: iupd,
            options: try options.enumerated().map { try $1.model(path: "\(path).paymentOption[\($0)]", owner: owner) })
        if let fiscalCode { position.debtor = Party(kind: type ?? "", identifier: fiscalCode, fullName: fullName) }
        position.companyName = companyName
        position.officeName = officeName
        position.validityDate = validityDate
        position.switchToExpired = switchToExpired
        position.payStandIn = payStandIn
        position.status = status
        position.paymentDate = paymentDate
        var iuvs = Set<String>()
        for option in position.options where !iuvs.insert(option.iuv).inserted {
            throw DocumentRejection(element: "\(path).paymentOption", reason: "IUV \(option.iuv) appears twice in position \(iupd)")
        }
        var digest = SHA256()
        digest.update(data: Array(owner.utf8))
        digest.update(data: canonicalJSON())
        position.contentDigest = digest.finalize().hexString
        return position
    }
}

struct GPDOption: Decodable {
    var iuv: String?
    var nav: String?
    var organizationFiscalCode: String?
    var amount: GPDCents?
    var description: String?
    var isPartialPayment: Bool?
    var dueDate: String?
    var retentionDate: String?
    var fee: GPDCents?
    var notificationFee: GPDCents?
    var status: String?
    var paymentDate: String?
    var idReceipt: String?
    var idFlowReporting: String?
    var paymentOptionMetadata: [MetadataEntry]?
    var transfer: [GPDTransfer]?

    func model(path: String, owner: String) throws -> PaymentOption {
        guard let iuv, !iuv.isEmpty else { throw DocumentRejection(element: "\(path).iuv", reason: "iuv is missing") }
        try GPDField.check(path, [("iuv", iuv, 140), ("nav", nav, 140), ("description", description, 140), ("status", status, 140),
                                  ("idReceipt", idReceipt, 140), ("idFlowReporting", idFlowReporting, 140)],
                           dates: [("dueDate", dueDate), ("retentionDate", retentionDate), ("paymentDate", paymentDate)])
        guard let amount = amount?.cents, amount >= 1, Money.isPlausible(amount) else {
            throw DocumentRejection(element: "\(path).amount",
                                    reason: "amount must be whole cents from 1 to \(Money.maximumCents)")
        }
        guard let transfers = transfer, (1...5).contains(transfers.count) else {
            throw DocumentRejection(element: "\(path).transfer", reason: "an option has 1 to 5 transfers")
        }
        let planned = try transfers.enumerated().map { try $1.model(path: "\(path).transfer[\($0)]", owner: owner) }
        var ids = Set<Int>()
        for transfer in planned where !ids.insert(transfer.idTransfer).inserted {
            throw DocumentRejection(element: "\(path).transfer", reason: "idTransfer \(transfer.idTransfer) appears twice in option \(iuv)")
        }
        let total = Money.sum(planned.map(\.amountCents))
        guard total == amount else {
            throw DocumentRejection(element: "\(path).transfer",
                                    reason: "transfers of IUV \(iuv) sum to \(total.map(Money.format) ?? "more than any amount") but the option amount is \(Money.format(amount))")
        }
        var option = PaymentOption(iuv: iuv, amountCents: amount, isPartialPayment: isPartialPayment ?? false, transfers: planned)
        option.nav = nav
        option.description = description
        option.dueDate = dueDate
        option.retentionDate = retentionDate
        for (name, value) in [("fee", fee), ("notificationFee", notificationFee)] {
            if let value, value.cents.map({ $0 < 0 || !Money.isPlausible($0) }) ?? true {
                throw DocumentRejection(element: "\(path).\(name)", reason: "\(name) must be whole cents from 0 to \(Money.maximumCents)")
            }
        }
        option.feeCents = fee?.cents
        option.notificationFeeCents = notificationFee?.cents
        option.status = status
        option.paymentDate = paymentDate
        option.idReceipt = idReceipt
        option.idFlowReporting = idFlowReporting
        option.metadata = paymentOptionMetadata ?? []
        return option
    }
}

struct GPDTransfer: Decodable {
    var idTransfer: IntOrString?
    var amount: GPDCents?
    var organizationFiscalCode: String?
    var remittanceInformation: String?
    var category: String?
    var iban: String?
    var postalIban: String?
    var stamp: GPDStamp?
    var companyName: String?
    var status: String?
    var transferMetadata: [MetadataEntry]?

    func model(path: String, owner: String) throws -> PlannedTransfer {
        try GPDField.check(path, [("remittanceInformation", remittanceInformation, 140), ("category", category, 140),
                                  ("iban", iban, 35), ("postalIban", postalIban, 35), ("companyName", companyName, 140),
                                  ("status", status, 140)], dates: [])
        guard let id = idTransfer?.integer, (1...5).contains(id) else {
            throw DocumentRejection(element: "\(path).idTransfer", reason: "idTransfer must be \"1\" to \"5\"")
        }
        guard let amount = amount?.cents, amount >= 1, Money.isPlausible(amount) else {
            throw DocumentRejection(element: "\(path).amount",
                                    reason: "amount must be whole cents from 1 to \(Money.maximumCents)")
        }
        let beneficiary = organizationFiscalCode ?? owner
        guard FiscalCode.hasOrganizationShape(beneficiary) else {
            throw DocumentRejection(element: "\(path).organizationFiscalCode", reason: "'\(beneficiary)' is not an 11-digit creditor fiscal code")
        }
        let hasAccount = iban?.isEmpty == false || postalIban?.isEmpty == false
        guard hasAccount != (stamp != nil) else {
            throw DocumentRejection(element: path, reason: "a transfer carries either an IBAN (or postal IBAN) or a stamp")
        }
        var planned = PlannedTransfer(idTransfer: id, amountCents: amount, beneficiaryFiscalCode: beneficiary,
                                      iban: iban, isStamp: stamp != nil)
        planned.postalIban = postalIban
        planned.remittanceInformation = remittanceInformation
        planned.category = category
        planned.companyName = companyName
        planned.status = status
        planned.metadata = transferMetadata ?? []
        return planned
    }
}

/// The bounds GPD's API puts on text fields (`maxLength` in its OpenAPI: 140 for texts, 35 for
/// IBANs; 140 too for identifiers it leaves unbounded), and its dates: a position breaking one is
/// quarantined naming the field, never stored with a 200 MB description or a due date of 30 February.
private enum GPDField {
    static func check(_ path: String, _ texts: [(name: String, value: String?, limit: Int)], dates: [(name: String, value: String?)]) throws {
        for (name, value, limit) in texts {
            if let value, value.utf8.count > limit, value.count > limit {
                throw DocumentRejection(element: "\(path).\(name)", reason: "\(name) is longer than \(limit) characters")
            }
        }
        for (name, value) in dates {
            if let value, !ISODate.matches(value, .date) && !ISODate.matches(value, .dateTime) {
                throw DocumentRejection(element: "\(path).\(name)", reason: "'\(value)' is not an ISO date or date-time")
            }
        }
    }
}

struct GPDStamp: Decodable {
    var hashDocument: String?
    var stampType: String?
    var provincialResidence: String?
}

/// A GPD amount, in euro cents as GPD sends it. A JSON number that no `Int64` holds (a 20-digit
/// amount, a fraction) made `JSONDecoder` throw an error without the field's path
/// (`numberIsNotRepresentableInSwift`), and the position was refused with that raw text: such a
/// number is kept as no cents at all, and the option or transfer holding it is refused naming the
/// field like any amount out of range. A value that is not a number keeps its decoding error.
struct GPDCents: Decodable {
    /// nil: a number, but not whole cents an `Int64` holds.
    let cents: Int64?

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let cents = try? container.decode(Int64.self) {
            self.cents = cents
            return
        }
        // A number (`Decimal` holds any the document's validator lets through, exponents within
        // ±20), or the decoding error of what is not one, with its path.
        _ = try container.decode(Decimal.self)
        cents = nil
    }
}

/// GPD spells `idTransfer` as a string ("1"); some producers send a number.
enum IntOrString: Decodable {
    case int(Int)
    case string(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) { self = .int(number) } else { self = .string(try container.decode(String.self)) }
    }

    var integer: Int? {
        switch self {
        case let .int(number): return number
        case let .string(text): return Int(text)
        }
    }
}
