/// Reads any supported XML document: tells its kind from the first element past a SOAP envelope
/// (local name and namespace, never the file name) and hands the rest of the parse to that kind's reader.
final class XMLDocumentReader: XMLEventHandler {
    static let paForNodeNamespace = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
    private static let soapNamespaces: Set<String> = [
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",
    ]

    private(set) var kind: DocumentKind?
    private var receiptReader: ReceiptReader?
    private var depth = 0
    private var rootDepth = 0
    private var headerDepth: Int?
    private weak var parser: XMLStreamParser?
    private var finished = false

    /// Parses a whole document, returning what it holds; `kind` is known afterwards even on failure.
    func read(_ bytes: [UInt8]) throws -> ParsedContent {
        let parser = XMLStreamParser(handler: self)
        self.parser = parser
        try parser.parse(bytes)
        return try content()
    }

    func didStart(_ name: String, namespace: String?) throws {
        depth += 1
        if let receiptReader {
            try receiptReader.didStart(name, namespace: namespace)
            return
        }
        if headerDepth != nil || finished { return }
        if let namespace, Self.soapNamespaces.contains(namespace) {
            if name == "Header" { headerDepth = depth }
            return
        }
        rootDepth = depth
        switch (name, namespace) {
        case ("paSendRTV2Request", Self.paForNodeNamespace?):
            kind = .receiptV2
            receiptReader = ReceiptReader(version: .v2)
        case ("paSendRTReq", Self.paForNodeNamespace?):
            kind = .receiptV1
            receiptReader = ReceiptReader(version: .v1)
        default:
            kind = .unknown
            let qualified = namespace.map { "{\($0)}\(name)" } ?? name
            throw DocumentRejection(element: name, line: parser?.line,
                                    reason: "unknown XML document: root element \(qualified) is not a format Quadra reads")
        }
        try receiptReader?.didStart(name, namespace: namespace)
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { depth -= 1 }
        if let headerDepth, depth == headerDepth { self.headerDepth = nil }
        if let receiptReader, !finished {
            try receiptReader.didEnd(name, namespace: namespace, text: text)
            if depth == rootDepth { finished = true }
        }
    }

    private func content() throws -> ParsedContent {
        guard let receiptReader else {
            throw DocumentRejection(reason: "the XML document holds no element Quadra reads")
        }
        return .receipt(try receiptReader.receipt())
    }
}
