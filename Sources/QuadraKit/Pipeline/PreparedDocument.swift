/// A document read from disk and hashed, waiting to be stored: parsed already, or (when large) to be
/// parsed by the writer as it streams from its file or ZIP entry, so that its rows never sit in memory.
struct PreparedDocument: Sendable {
    enum Body: Sendable {
        /// Boxed: a batch's documents are copied on their way to the writer, and a copy of a
        /// receipt inline retained each of its strings.
        indirect case parsed(Result<ParsedContent, DocumentRejection>)
        case streamed(InputFile, DocumentParser.Context)
    }

    var path: String
    /// SHA-256 (hex) of the decompressed bytes: the document's identity in the ledger.
    var sha256: String
    var size: Int
    var kind: DocumentKind
    var body: Body
}
