import CLibXML2
import Foundation

/// An element's name as libxml2 reports it: local name (without prefix) and namespace URI, UTF-8
/// and NUL-terminated, interned by libxml2 for the whole parse and valid during the callback only.
struct XMLName {
    let local: UnsafePointer<xmlChar>
    let namespace: UnsafePointer<xmlChar>?
}

/// Receives a streamed XML document one element at a time, as the parser's own bytes: a reader on a
/// hot path compares names as bytes and makes a `String` only of the text it keeps.
protocol XMLByteHandler: AnyObject {
    func didStart(_ name: XMLName) throws
    /// `text` is the element's own character data, trimmed of surrounding white space.
    func didEnd(_ name: XMLName, text: UnsafeRawBufferPointer) throws
}

/// Receives a streamed XML document one element at a time, names and text as `String`s.
///
/// Names arrive without prefix, with their namespace URI, so readers work the same whatever prefix
/// a SOAP envelope or a PSP chose.
protocol XMLEventHandler: AnyObject {
    func didStart(_ name: String, namespace: String?) throws
    /// `text` is the element's own character data, trimmed of surrounding white space.
    func didEnd(_ name: String, namespace: String?, text: String) throws
}

/// A streaming XML parser over libxml2's SAX2 push interface, safe for hostile input.
///
/// Documents are fed in chunks, so memory stays flat whatever their size. No pagoPA or treasury
/// format uses a DTD, so any `<!DOCTYPE` is refused before its declarations are read: this shuts out
/// external entities (XXE) and entity expansion ("billion laughs") at once. The network is never
/// used and undeclared entity references are errors.
final class XMLStreamParser {
    private let handler: XMLByteHandler
    private var context: xmlParserCtxtPtr?
    /// The current element's character data; raw memory, so that appending to it is a plain copy.
    private var text = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)
    private var textCount = 0
    private var failure: Error?
    /// No element of the formats read has a text near this long (base64-wrapped flows go to
    /// `textSink`): a longer one is refused as it arrives instead of being gathered whole in memory.
    static let maximumText = 1 << 20
    /// When set, character data goes here as it arrives instead of being gathered for `didEnd`:
    /// for an element whose text is a whole document (base64-wrapped flows).
    var textSink: ((UnsafeRawBufferPointer) throws -> Void)?
    private var tags = StartTagLimit()

    init(handler: XMLByteHandler) {
        self.handler = handler
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
        text.deallocate()
    }

    /// The line the parser has reached, for messages that name where a document went wrong.
    var line: Int { context.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0 }

    func feed(_ chunk: UnsafeRawBufferPointer) throws {
        let context = try makeContextIfNeeded()
        switch tags.check(chunk) {
        case .admitted: break
        case .tagTooLong:
            throw DocumentRejection(line: line, reason: "a start tag is longer than \(StartTagLimit.maximum) bytes: no element of these formats has one")
        case .notSingleByte:
            throw DocumentRejection(reason: "not UTF-8: its first bytes hold a zero (UTF-16 or UTF-32), and every format read here is UTF-8")
        }
        let status = chunk.withMemoryRebound(to: CChar.self) { bytes in
            xmlParseChunk(context, bytes.baseAddress, Int32(bytes.count), 0)
        }
        try check(status)
    }

    func finish() throws {
        let context = try makeContextIfNeeded()
        try check(xmlParseChunk(context, nil, 0, 1))
    }

    /// Parses a whole in-memory document.
    func parse(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try feed($0) }
        try finish()
    }

    private func check(_ status: Int32) throws {
        if let failure { throw failure }
        if status != 0 {
            throw DocumentRejection(line: line, reason: "malformed XML (libxml2 error \(status))")
        }
    }

    /// libxml2 sets up its globals (encodings, input callbacks) on first use, and two threads doing
    /// so at once can corrupt them: its documentation asks for one `xmlInitParser` before parsing on
    /// several threads. A static is initialised exactly once, whichever parsing thread comes first.
    private static let libraryReady: Void = xmlInitParser()

    private func makeContextIfNeeded() throws -> xmlParserCtxtPtr {
        if let context { return context }
        _ = Self.libraryReady
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { user, localname, _, uri, _, _, _, _, _ in
            XMLStreamParser.borrowing(user) { $0.start(localname, uri) }
        }
        sax.endElementNs = { user, localname, _, uri in
            XMLStreamParser.borrowing(user) { $0.end(localname, uri) }
        }
        sax.characters = { user, bytes, count in
            XMLStreamParser.borrowing(user) { $0.characters(bytes, count) }
        }
        sax.cdataBlock = sax.characters
        sax.internalSubset = { user, _, _, _ in
            XMLStreamParser.from(user).fail(DocumentRejection(
                line: XMLStreamParser.from(user).line,
                reason: "DOCTYPE declarations are refused (external entities and entity expansion are not allowed)"))
        }
        sax.serror = { user, error in
            guard let user, let error else { return }
            let parser = XMLStreamParser.from(user)
            guard parser.failure == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            parser.failure = DocumentRejection(line: Int(error.pointee.line),
                                               reason: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let user = Unmanaged.passUnretained(self).toOpaque()
        guard let created = xmlCreatePushParserCtxt(&sax, user, nil, 0, nil) else {
            throw DocumentRejection(reason: "libxml2 could not create a parser")
        }
        xmlCtxtUseOptions(created, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                                          | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue))
        context = created
        return created
    }

    private static func from(_ user: UnsafeMutableRawPointer?) -> XMLStreamParser {
        Unmanaged<XMLStreamParser>.fromOpaque(user!).takeUnretainedValue()
    }

    /// The parser of a callback for an element's start, end and text, without the retain and
    /// release `from` costs: the parser outlives every callback of its own parse. Those three come
    /// several times per element, and theirs were a sixth of the ingest's retains and releases
    /// (`perf record`, 100,000 receipts: `swift_retain` and `swift_release` 9.9% → 9.0% of its samples).
    private static func borrowing(_ user: UnsafeMutableRawPointer?, _ body: (XMLStreamParser) -> Void) {
        Unmanaged<XMLStreamParser>.fromOpaque(user!)._withUnsafeGuaranteedRef(body)
    }

    private func start(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
        guard failure == nil, let localname else { return }
        textCount = 0
        do {
            try handler.didStart(XMLName(local: localname, namespace: uri))
        } catch {
            fail(error)
        }
    }

    private func end(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
        guard failure == nil, let localname else { return }
        let content = trimmedText()
        textCount = 0
        do {
            try handler.didEnd(XMLName(local: localname, namespace: uri), text: content)
        } catch {
            fail(error)
        }
    }

    private func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
        guard let bytes, count > 0, failure == nil else { return }
        if let textSink {
            deliver { try textSink(UnsafeRawBufferPointer(start: bytes, count: Int(count))) }
            return
        }
        let needed = textCount + Int(count)
        guard needed <= Self.maximumText else {
            fail(DocumentRejection(line: line, reason: "an element's text is longer than \(Self.maximumText) bytes: no field of this format is"))
            return
        }
        if needed > text.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, text.count * 2), alignment: 1)
            grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: text[0..<textCount]))
            text.deallocate()
            text = grown
        }
        (text.baseAddress! + textCount).copyMemory(from: bytes, byteCount: Int(count))
        textCount = needed
    }

    /// The text gathered so far without surrounding white space; valid until the next event.
    private func trimmedText() -> UnsafeRawBufferPointer {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var first = 0
        var last = textCount
        while first < last, isSpace(text[first]) { first += 1 }
        while last > first, isSpace(text[last - 1]) { last -= 1 }
        return UnsafeRawBufferPointer(rebasing: text[first..<last])
    }

    private func deliver(_ event: () throws -> Void) {
        do {
            try event()
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: Error) {
        guard failure == nil else { return }
        failure = error
        if let context { xmlStopParser(context) }
    }
}
