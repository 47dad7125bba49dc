/// A document read from disk, hashed and parsed, waiting to be stored.
struct PreparedDocument: Sendable {
    var path: String
    /// SHA-256 (hex) of the decompressed bytes: the document's identity in the ledger.
    var sha256: String
    var size: Int
    var kind: DocumentKind
    var content: Result<ParsedContent, DocumentRejection>
}
