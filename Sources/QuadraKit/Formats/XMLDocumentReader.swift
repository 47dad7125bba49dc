import CLibXML2

/// The reader of one kind of XML document: it receives the events from its root element on, names
/// and text as `String`s.
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
///
/// Receipts, most of a night's documents, are read from the parser's bytes; the other readers get
/// `String`s, made once per distinct name.
final class XMLDocumentReader: XMLByteHandler {
    static let flowNamespace = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"
    static let nodeForPaNamespace = "http://ws.pagamenti.telematici.gov/"

    /// The reader for a root element, by local name and namespace; nil for a document Quadra does not read.
    private func reader(for name: String, namespace: String?) -> (DocumentKind, ContentReader)? {
        switch (name, namespace) {
        case ("paSendRTV2Request", Self.paForNodeNamespace?): return (.receiptV2, .receipt(ReceiptReader(version: .v2)))
        case ("paSendRTReq", Self.paForNodeNamespace?): return (.receiptV1, .receipt(ReceiptReader(version: .v1)))
        case ("FlussoRiversamento", Self.flowNamespace?): return (.flowXML, .strings(FlowXMLReader(sink: flowSink, pspIdHint: pspIdHint)))
        case ("nodoInviaFlussoRendicontazione", Self.nodeForPaNamespace?),
             ("nodoChiediFlussoRendicontazioneRisposta", Self.nodeForPaNamespace?):
            return (.flowXML, .strings(FlowEnvelopeReader(sink: flowSink)))
        case ("flusso_giornale_di_cassa", _): return (.opiJournal, .strings(OPIJournalReader()))
        case ("Document", let namespace?) where Camt053Reader.reads(namespace: namespace): return (.camt053, .strings(Camt053Reader()))
        default: return nil
        }
    }

    /// The reader the rest of the document goes to; the receipt reader by its concrete type, so
    /// that its per-element calls are direct.
    private enum ContentReader {
        case receipt(ReceiptReader)
        case strings(XMLContentReader)
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
    private var contentReader: ContentReader?
    /// libxml2 interns names for the whole parse, so a name's pointer identifies it.
    private var names: [UnsafePointer<xmlChar>: String] = [:]
    private var depth = 0
    private var rootDepth = 0
    private var headerDepth: Int?
    /// Unowned, not weak: a weak reference would give the parser a side table and make each of its
    /// retains, one per XML event, take the slow path. The parser lives as long as the reading.
    private unowned var parser: XMLStreamParser?
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

    func didStart(_ name: XMLName) throws {
        depth += 1
        switch contentReader {
        case let .receipt(reader)?:
            reader.didStart(name)
            return
        case let .strings(reader)?:
            try reader.didStart(string(name.local), namespace: name.namespace.map(string))
            return
        case nil:
            break
        }
        if headerDepth != nil || finished { return }
        let local = string(name.local)
        let namespace = name.namespace.map(string)
        if let namespace, Self.soapNamespaces.contains(namespace) {
            if local == "Header" { headerDepth = depth }
            return
        }
        rootDepth = depth
        guard let (kind, reader) = reader(for: local, namespace: namespace) else {
            kind = .unknown
            let qualified = namespace.map { "{\($0)}\(local)" } ?? local
            throw DocumentRejection(element: local, line: parser?.line,
                                    reason: "unknown XML document: root element \(qualified) is not a format Quadra reads")
        }
        self.kind = kind
        contentReader = reader
        switch reader {
        case let .receipt(reader):
            reader.didStart(name)
        case let .strings(reader):
            if let parser { reader.attach(parser) }
            try reader.didStart(local, namespace: namespace)
        }
    }

    func didEnd(_ name: XMLName, text: UnsafeRawBufferPointer) throws {
        defer { depth -= 1 }
        if let headerDepth, depth == headerDepth { self.headerDepth = nil }
        guard let contentReader, !finished else { return }
        switch contentReader {
        case let .receipt(reader):
            reader.didEnd(text: text)
        case let .strings(reader):
            try reader.didEnd(string(name.local), namespace: name.namespace.map(string),
                              text: String(decoding: text, as: UTF8.self))
        }
        if depth == rootDepth { finished = true }
    }

    private func string(_ pointer: UnsafePointer<xmlChar>) -> String {
        if let known = names[pointer] { return known }
        let decoded = String(cString: pointer)
        names[pointer] = decoded
        return decoded
    }

    func content() throws -> ParsedContent {
        switch contentReader {
        case let .receipt(reader)?: return .receipt(try reader.receipt())
        case let .strings(reader)?: return try reader.content()
        case nil: throw DocumentRejection(reason: "the XML document holds no element Quadra reads")
        }
    }
}
