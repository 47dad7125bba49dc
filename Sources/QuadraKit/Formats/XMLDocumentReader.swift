/// The reader of one kind of XML document: it receives the events from its root element on.
protocol XMLContentReader: XMLEventHandler {
    /// What the document held, validated; called once the parse has reached the end.
    func content() throws -> ParsedContent
    /// Gives the reader the parser that drives it, for readers that take text as it streams.
    func attach(_ parser: XMLStreamParser)
}

extension XMLContentReader {
    func attach(_ parser: XMLStreamParser) {}
}

/// Reads any supported XML document: tells its kind from the first element past a SOAP envelope
/// (local name and namespace, never the file name) and hands the rest of the parse to that kind's reader.
final class XMLDocumentReader: XMLEventHandler {
    static let flowNamespace = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"
    static let nodeForPaNamespace = "http://ws.pagamenti.telematici.gov/"

    /// The reader for a root element, by local name and namespace; nil for a document Quadra does not read.
    private func reader(for name: String, namespace: String?) -> (DocumentKind, XMLContentReader)? {
        switch (name, namespace) {
        case ("paSendRTV2Request", Self.paForNodeNamespace?): return (.receiptV2, ReceiptReader(version: .v2))
        case ("paSendRTReq", Self.paForNodeNamespace?): return (.receiptV1, ReceiptReader(version: .v1))
        case ("FlussoRiversamento", Self.flowNamespace?): return (.flowXML, FlowXMLReader(sink: flowSink, pspIdHint: pspIdHint))
        case ("nodoInviaFlussoRendicontazione", Self.nodeForPaNamespace?),
             ("nodoChiediFlussoRendicontazioneRisposta", Self.nodeForPaNamespace?):
            return (.flowXML, FlowEnvelopeReader(sink: flowSink))
        case ("flusso_giornale_di_cassa", _): return (.opiJournal, OPIJournalReader())
        case ("Document", let namespace?) where Camt053Reader.reads(namespace: namespace): return (.camt053, Camt053Reader())
        default: return nil
        }
    }

    /// Where flow rows go: nil keeps them in memory; the store's writer takes them as they stream.
    private let flowSink: FlowSink?
    private let pspIdHint: String?

    init(flowSink: FlowSink? = nil, pspIdHint: String? = nil) {
        self.flowSink = flowSink
        self.pspIdHint = pspIdHint
    }

    /// Connects the parser that feeds this reader (for line numbers and streamed text).
    func attach(_ parser: XMLStreamParser) {
        self.parser = parser
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

    /// Parses a document fed in chunks by `feed`, returning what it holds.
    func read(feed: (XMLStreamParser) throws -> Void) throws -> ParsedContent {
        let parser = XMLStreamParser(handler: self)
        self.parser = parser
        try feed(parser)
        try parser.finish()
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
        guard let (kind, reader) = reader(for: name, namespace: namespace) else {
            kind = .unknown
            let qualified = namespace.map { "{\($0)}\(name)" } ?? name
            throw DocumentRejection(element: name, line: parser?.line,
                                    reason: "unknown XML document: root element \(qualified) is not a format Quadra reads")
        }
        self.kind = kind
        contentReader = reader
        if let parser { reader.attach(parser) }
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

    func content() throws -> ParsedContent {
        guard let contentReader else {
            throw DocumentRejection(reason: "the XML document holds no element Quadra reads")
        }
        return try contentReader.content()
    }
}
