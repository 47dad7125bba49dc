import Crypto

/// Where `quadra fetch flows` saves the parts of an FdR-3 flow revision, and what a saved part's path
/// says about it: a page of payments names no flow, so the path is its identity.
///
/// ```
/// <org>/fdrs/<fdr>/revisions/<rev>/psps/<psp>.json                    the header
/// <org>/fdrs/<fdr>/revisions/<rev>/psps/<psp>/flow.json               the header (also read)
/// <org>/fdrs/<fdr>/revisions/<rev>/psps/<psp>/payments/page-<N>.json  page N
/// ```
/// Anything before `fdrs/` is free; an 11-digit folder right before it names the receiving creditor.
/// A trailing `.gz` is allowed (ingestion inflates it).
public struct FlowPartPath: Sendable, Equatable {
    public var receiverFiscalCode: String?
    public var flowId: String
    public var revision: Int
    public var pspId: String
    /// Nil for the header.
    public var page: Int?

    /// The expected layout, for refusals.
    static let pageLayout = "…/fdrs/<fdr>/revisions/<revision>/psps/<psp>/payments/page-<N>.json"

    public init(receiverFiscalCode: String?, flowId: String, revision: Int, pspId: String, page: Int?) {
        self.receiverFiscalCode = receiverFiscalCode
        self.flowId = flowId
        self.revision = revision
        self.pspId = pspId
        self.page = page
    }

    /// Reads a saved path; nil when it does not end in the layout.
    public init?(_ path: String) {
        var parts = path.split(separator: "/").map(String.init)
        guard var name = parts.popLast() else { return nil }
        if name.hasSuffix(".gz") { name.removeLast(3) }
        guard name.hasSuffix(".json") else { return nil }
        name.removeLast(5)
        if name.hasPrefix("page-") {
            guard let number = Int(name.dropFirst(5)), number >= 1, parts.popLast() == "payments",
                  let psp = parts.popLast() else { return nil }
            page = number
            pspId = psp
        } else if name == "flow" {
            guard let psp = parts.popLast() else { return nil }
            page = nil
            pspId = psp
        } else {
            page = nil
            pspId = name
        }
        guard parts.popLast() == "psps", let revision = parts.popLast().flatMap({ Int($0) }), revision >= 0,
              parts.popLast() == "revisions", let flow = parts.popLast(), parts.popLast() == "fdrs",
              Self.isSafeComponent(flow), Self.isSafeComponent(pspId) else { return nil }
        self.revision = revision
        flowId = flow
        receiverFiscalCode = parts.last.flatMap { $0.count == 11 && $0.allSatisfy(\.isASCIIDigit) ? $0 : nil }
    }

    /// The digest the ledger files a document under (`document.sha256`): its content's, but for a
    /// part saved in the fetch layout its content's with its place. A revision's unchanged page is
    /// the same bytes as the previous revision's and yet another part: filed by content alone, it was
    /// skipped as already ingested and its revision never became whole (so could a header that takes
    /// its revision from the path). The header's two spellings are one place.
    public static func ledgerDigest(content: String, path: String) -> String {
        // Most documents are no part: a substring test spares them the parse.
        guard path.contains("/fdrs/") || path.hasPrefix("fdrs/"), let part = FlowPartPath(path) else { return content }
        return SHA256.hash(data: Array("\(part.relativePath)\n\(content)".utf8)).hexString
    }

    /// The path below an inbox folder where this part is saved.
    public var relativePath: String {
        let base = "\(receiverFiscalCode ?? "unknown")/fdrs/\(flowId)/revisions/\(revision)/psps/\(pspId)"
        guard let page else { return base + ".json" }
        return base + "/payments/page-\(page).json"
    }

    /// An identifier used as a path component: no separator, no dot-only name, printable ASCII.
    public static func isSafeComponent(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text != "." && text != ".."
            && text.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }
    }
}
