/// The reader of one kind of XML document: it receives the events from its root element on.
protocol XMLContentReader: XMLEventHandler {
    /// What the document held, validated; called once the parse has reached the end.
    func content() throws -> ParsedContent
}

/// Reads any supported XML document: tells its kind from the first element past a SOAP envelope
/// (local name and namespace, never the file name) and hands the rest of the parse to that kind's reader.
final class XMLDocumentReader: XMLEventHandler {
    /// The reader for a root element, by local name and namespace; nil for a document Quadra does not read.
    private static func reader(for name: String, namespace: String?) -> (DocumentKind, XMLContentReader)? {
        switch (name, namespace) {
        case ("paSendRTV2Request", paForNodeNamespace?): return (.receiptV2, ReceiptReader(version: .v2))
        case ("paSendRTReq", paForNodeNamespace?): return (.receiptV1, ReceiptReader(version: .v1))
        case ("flusso_giornale_di_cassa", _): return (.opiJournal, OPIJournalReader())
        case ("Document", let namespace?) where Camt053Reader.reads(namespace: namespace): return (.camt053, Camt053Reader())
        default: return nil
        }
    }

    static let paForNodeNamespace = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
    private static let soapNamespaces: Set<String> = [
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",
    ]

    private(set) var kind: DocumentKind?
    private var contentReader: XMLContentReader?
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
        if let contentReader {
            try contentReader.didStart(name, namespace: namespace)
            return
        }
        if headerDepth != nil || finished { return }
        if let namespace, Self.soapNamespaces.contains(namespace) {
            if name == "Header" { headerDepth = depth }
            return
        }
        rootDepth = depth
        guard let (kind, reader) = Self.reader(for: name, namespace: namespace) else {
            kind = .unknown
            let qualified = namespace.map { "{\($0)}\(name)" } ?? name
            throw DocumentRejection(element: name, line: parser?.line,
                                    reason: "unknown XML document: root element \(qualified) is not a format Quadra reads")
        }
        self.kind = kind
        contentReader = reader
        try reader.didStart(name, namespace: namespace)
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { depth -= 1 }
        if let headerDepth, depth == headerDepth { self.headerDepth = nil }
        if let contentReader, !finished {
            try contentReader.didEnd(name, namespace: namespace, text: text)
            if depth == rootDepth { finished = true }
        }
    }

    private func content() throws -> ParsedContent {
        guard let contentReader else {
            throw DocumentRejection(reason: "the XML document holds no element Quadra reads")
        }
        return try contentReader.content()
    }
}
