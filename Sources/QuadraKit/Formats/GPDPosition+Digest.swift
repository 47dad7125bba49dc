/// The canonical form a debt position's content digest is taken over, so that a position sent again
/// unchanged is recognised: the bytes `JSONEncoder` writes with `.sortedKeys`, which made every
/// digest stored so far. Keys in UTF-8 order, absent fields left out, `"`, `\` and `/` escaped,
/// control characters as `\b \t \n \f \r` or `\u00xx`, every other character as it is.
///
/// Written by hand because encoding each position through `JSONEncoder` took 1.2 s of CPU for the
/// 30,000 positions of a 100,000-receipt night, a third of reading them. `PositionDigestTests` holds
/// digests that `JSONEncoder` made, over every field and every escape.
extension GPDPosition {
    func canonicalJSON() -> [UInt8] {
        var json = SortedKeysJSON()
        json.open()
        json.field("companyName", companyName)
        json.field("fiscalCode", fiscalCode)
        json.field("fullName", fullName)
        json.field("iupd", iupd)
        json.field("officeName", officeName)
        json.field("organizationFiscalCode", organizationFiscalCode)
        json.field("payStandIn", payStandIn)
        json.field("paymentDate", paymentDate)
        json.array("paymentOption", paymentOption) { $0.write(to: &$1) }
        json.field("status", status)
        json.field("switchToExpired", switchToExpired)
        json.field("type", type)
        json.field("validityDate", validityDate)
        json.close()
        return json.bytes
    }
}

extension GPDOption {
    fileprivate func write(to json: inout SortedKeysJSON) {
        json.open()
        json.field("amount", amount?.cents)
        json.field("description", description)
        json.field("dueDate", dueDate)
        json.field("fee", fee?.cents)
        json.field("idFlowReporting", idFlowReporting)
        json.field("idReceipt", idReceipt)
        json.field("isPartialPayment", isPartialPayment)
        json.field("iuv", iuv)
        json.field("nav", nav)
        json.field("notificationFee", notificationFee?.cents)
        json.field("organizationFiscalCode", organizationFiscalCode)
        json.field("paymentDate", paymentDate)
        json.metadata("paymentOptionMetadata", paymentOptionMetadata)
        json.field("retentionDate", retentionDate)
        json.field("status", status)
        json.array("transfer", transfer) { $0.write(to: &$1) }
        json.close()
    }
}

extension GPDTransfer {
    fileprivate func write(to json: inout SortedKeysJSON) {
        json.open()
        json.field("amount", amount?.cents)
        json.field("category", category)
        json.field("companyName", companyName)
        json.field("iban", iban)
        switch idTransfer {
        case let .int(number): json.field("idTransfer", Int64(number))
        case let .string(text): json.field("idTransfer", text)
        case nil: break
        }
        json.field("organizationFiscalCode", organizationFiscalCode)
        json.field("postalIban", postalIban)
        json.field("remittanceInformation", remittanceInformation)
        if let stamp {
            json.key("stamp")
            json.open()
            json.field("hashDocument", stamp.hashDocument)
            json.field("provincialResidence", stamp.provincialResidence)
            json.field("stampType", stamp.stampType)
            json.close()
        }
        json.field("status", status)
        json.metadata("transferMetadata", transferMetadata)
        json.close()
    }
}

/// Compact JSON written member by member; the caller gives keys in sorted order.
private struct SortedKeysJSON {
    private(set) var bytes: [UInt8] = []
    /// No member written yet in the object being written: no comma before the next key.
    private var atFirstMember = true

    init() {
        bytes.reserveCapacity(2048)
    }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    mutating func key(_ name: StaticString) {
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        atFirstMember = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func array<Element>(_ name: StaticString, _ elements: [Element]?, _ write: (Element, inout SortedKeysJSON) -> Void) {
        guard let elements else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(element, &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func metadata(_ name: StaticString, _ entries: [MetadataEntry]?) {
        array(name, entries) { entry, json in
            json.open()
            json.field("key", entry.key)
            json.field("value", entry.value)
            json.close()
        }
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00\([byte].hexString)".utf8)
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
