/// Reads a flow delivered base64-encoded in `xmlRendicontazione`: the creditor's download
/// (`nodoChiediFlussoRendicontazioneRisposta`) or the PSP's upload (`nodoInviaFlussoRendicontazione`).
///
/// The base64 text is decoded as it streams in and fed to a second parser, whose document (with its
/// own XML prolog) is read like any bare flow; it gets the same hostile-input rules.
final class FlowEnvelopeReader: XMLContentReader {
    private let sink: FlowSink?
    private weak var outer: XMLStreamParser?
    private var depth = 0
    private var fields: [String: String] = [:]
    private var inner: (parser: XMLStreamParser, reader: XMLDocumentReader)?
    private var base64 = Base64Stream()
    private var innerContent: ParsedContent?

    init(sink: FlowSink?) {
        self.sink = sink
    }

    func attach(_ parser: XMLStreamParser) {
        outer = parser
    }

    func didStart(_ name: String, namespace: String?) throws {
        depth += 1
        guard depth == 2, name == "xmlRendicontazione" else { return }
        let reader = XMLDocumentReader(flowSink: sink, pspIdHint: fields["identificativoPSP"])
        let parser = XMLStreamParser(handler: reader)
        reader.attach(parser)
        inner = (parser, reader)
        outer?.textSink = { [unowned self] text in
            try self.base64.decode(text) { bytes in try bytes.withUnsafeBytes { try parser.feed($0) } }
        }
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { depth -= 1 }
        if depth == 2 { fields[name] = text }
        if depth == 3, name == "faultCode" { fields["faultCode"] = text }
        if depth == 3, name == "description" { fields["faultDescription"] = text }
        guard depth == 2, name == "xmlRendicontazione", let inner else { return }
        outer?.textSink = nil
        do {
            try base64.finish()
            try inner.parser.finish()
            innerContent = try inner.reader.content()
        } catch var rejection as DocumentRejection {
            rejection.element = "xmlRendicontazione" + (rejection.element.map { "/" + $0 } ?? "")
            throw rejection
        }
    }

    func content() throws -> ParsedContent {
        if let innerContent { return innerContent }
        if let code = fields["faultCode"] {
            throw DocumentRejection(element: "fault", reason: "the node answered with fault \(code): \(fields["faultDescription"] ?? "")")
        }
        throw DocumentRejection(element: "xmlRendicontazione", reason: "the message carries no flow")
    }
}
