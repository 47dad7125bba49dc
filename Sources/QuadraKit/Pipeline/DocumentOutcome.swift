/// What ingesting one document did, as the ledger and the run summary tell it.
public struct DocumentOutcome: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Every record stored.
        case ingested
        /// Stored, with some items quarantined (listed in the ledger).
        case partial
        /// The same receipt was already stored from another delivery: nothing changed.
        case duplicate
        /// Nothing stored; the reason says why.
        case rejected
        /// The same bytes were ingested before: nothing read.
        case skipped
    }

    public var path: String
    public var kind: DocumentKind
    public var sha256: String
    public var size: Int
    public var status: Status
    public var reason: String?
    public var records: Int
    public var quarantined: [String]

    public init(path: String, kind: DocumentKind, sha256: String, size: Int, status: Status,
                reason: String? = nil, records: Int = 0, quarantined: [String] = []) {
        self.path = path
        self.kind = kind
        self.sha256 = sha256
        self.size = size
        self.status = status
        self.reason = reason
        self.records = records
        self.quarantined = quarantined
    }
}
