/// Tells a document's kind from its content and reads it with that kind's reader.
///
/// The file name is never trusted: XML is told by its root element and namespace (past a SOAP
/// envelope), JSON by its top-level keys, CSV by its header.
public enum DocumentParser {
    /// What the caller knows about a document beyond its bytes.
    public struct Context: Sendable {
        /// Owner of debt positions that name none: `--creditor`, else the 11-digit folder name.
        public var defaultCreditor: String?
        /// Whose account a treasury movement landed on.
        public var creditors: CreditorDirectory
        /// The bank CSV layouts the configuration declares, tried in order.
        public var bankCSVLayouts: [BankCSVLayout]
        /// Where the document was read from: the identity of an FdR-3 page, which names no flow.
        public var path: String?

        public init(defaultCreditor: String? = nil, creditors: CreditorDirectory = CreditorDirectory(),
                    bankCSVLayouts: [BankCSVLayout] = [], path: String? = nil) {
            self.defaultCreditor = defaultCreditor
            self.creditors = creditors
            self.bankCSVLayouts = bankCSVLayouts
            self.path = path
        }
    }

    /// Reads one whole document; the result's kind is set even when the content is refused.
    static func parse(_ bytes: [UInt8], context: Context) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        let (kind, content) = read(bytes, context: context)
        return (kind, content.map { $0.assigningCreditors(context.creditors) })
    }

    /// Reads a document that must be a receipt: the broadcast station's request body, checked by the
    /// same reader the batch uses. `isReceipt` is false when the body is not a `paSendRTV2Request` or
    /// `paSendRTReq` at all (not XML, another element, a `DOCTYPE`).
    public static func readReceipt(_ bytes: [UInt8]) -> (isReceipt: Bool, content: Result<Receipt, DocumentRejection>) {
        let (kind, content) = read(bytes, context: Context())
        guard kind == .receiptV1 || kind == .receiptV2 else {
            if case let .failure(rejection) = content { return (false, .failure(rejection)) }
            return (false, .failure(DocumentRejection(reason: "not a paSendRTV2 or paSendRT request but \(kind.rawValue)")))
        }
        return (true, content.flatMap {
            guard case let .receipt(receipt) = $0 else { return .failure(DocumentRejection(reason: "not a receipt")) }
            return .success(receipt)
        })
    }

    private static func read(_ bytes: [UInt8], context: Context) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        guard let first = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }) else {
            return (.unknown, .failure(DocumentRejection(reason: "the document is empty")))
        }
        switch first {
        case UInt8(ascii: "<"):
            return readXML(bytes)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return readJSON(bytes, context: context)
        default:
            if TaxonomyReader.recognizesCSV(bytes) { return (.taxonomyCSV, attempt { try TaxonomyReader.readCSV(bytes) }) }
            if let layout = BankCSVReader.layout(for: bytes, among: context.bankCSVLayouts) {
                return (.bankCSV, attempt { try BankCSVReader.read(bytes, layout: layout) })
            }
            return (.unknown, .failure(DocumentRejection(reason: "not XML, JSON or a known CSV layout")))
        }
    }

    private static func readXML(_ bytes: [UInt8]) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        let reader = XMLDocumentReader()
        let result = attempt { try reader.read(bytes) }
        return (reader.kind ?? .unknown, result)
    }

    private static func readJSON(_ bytes: [UInt8], context: Context) -> (kind: DocumentKind, content: Result<ParsedContent, DocumentRejection>) {
        guard let shape = JSONShape.topLevelKeys(bytes) else {
            return (.unknown, .failure(DocumentRejection(reason: "malformed JSON")))
        }
        let reading: (kind: DocumentKind, read: () throws -> ParsedContent)
        if TaxonomyReader.recognizesJSON(shape) {
            reading = (.taxonomyJSON, { try TaxonomyReader.readJSON(bytes) })
        } else if FlowJSONReader.recognizes(shape) {
            reading = (FlowJSONReader.isHeaderAlone(shape) ? .flowHeader : .flowJSON, { try FlowJSONReader.read(bytes, path: context.path) })
        } else if FlowJSONReader.recognizesPage(shape) {
            reading = (.flowPage, { try FlowJSONReader.readPage(bytes, path: context.path) })
        } else if DebtPositionReader.recognizes(shape) {
            reading = (.debtPositions, { try DebtPositionReader.read(bytes, defaultCreditor: context.defaultCreditor) })
        } else {
            let keys = shape.keys.sorted().prefix(6).joined(separator: ", ")
            return (.unknown, .failure(DocumentRejection(reason: "unknown JSON document (top-level keys: \(keys.isEmpty ? "none" : keys))")))
        }
        if let problem = JSONValidator.problem(in: bytes) { return (reading.kind, .failure(problem)) }
        return (reading.kind, attempt(reading.read))
    }

    private static func attempt(_ read: () throws -> ParsedContent) -> Result<ParsedContent, DocumentRejection> {
        do {
            return .success(try read())
        } catch let rejection as DocumentRejection {
            return .failure(rejection)
        } catch {
            return .failure(DocumentRejection(reason: "\(error)"))
        }
    }
}
