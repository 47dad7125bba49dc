/// The result of one ingest: an outcome per document (spooled, see `OutcomeLog`) with counts per
/// status, plus files that could not be read at all.
public struct IngestSummary: Sendable {
    /// Every document's outcome, in reading order.
    public let log: OutcomeLog
    private var counts: [DocumentOutcome.Status: Int] = [:]
    /// Files the operating system would not let us read: not in the ledger, since they have no content.
    public var unreadable: [String] = []
    /// Entries of the folders that are not documents (hidden files, links), each with its reason.
    public var passedOver: [String] = []
    /// The ZIP archives the documents were read from: `DocumentArchive` moves each whole, once.
    public var archives: [String] = []
    /// Files modified less than the settle time ago, left for the next run.
    public var waiting: [String] = []
    public var bytes = 0
    public var seconds = 0.0

    init() throws {
        log = try OutcomeLog()
    }

    mutating func record(_ outcome: DocumentOutcome) throws {
        try log.append(outcome)
        counts[outcome.status, default: 0] += 1
    }

    /// How many documents were read (whatever became of them).
    public var documents: Int { log.count }

    /// Every outcome, read back from the spool: for a look at a small ingest (tests, a single file);
    /// a night goes through `log.forEach` instead.
    public var outcomes: [DocumentOutcome] {
        var all: [DocumentOutcome] = []
        try? log.forEach { all.append($0) }
        return all
    }

    public func count(_ status: DocumentOutcome.Status) -> Int {
        counts[status, default: 0]
    }

    /// The exit status cron sees (sysexits): unreadable input outranks refused content.
    public var exitCode: ExitStatus {
        if !unreadable.isEmpty { return .ioError }
        if count(.rejected) > 0 || count(.partial) > 0 { return .dataError }
        return .success
    }

    /// One line for logs: counts per status, bytes and time.
    public var line: String {
        let counts = DocumentOutcome.Status.allCases.map { "\($0.rawValue) \(count($0))" }.joined(separator: ", ")
        let megabytes = Double(bytes) / 1_048_576
        let rate = seconds > 0 ? Double(documents) / seconds : 0
        return "\(documents) documents (\(counts)\(unreadable.isEmpty ? "" : ", unreadable \(unreadable.count)")"
            + "\(passedOver.isEmpty ? "" : ", passed over \(passedOver.count)")"
            + "\(waiting.isEmpty ? "" : ", waiting \(waiting.count)")), "
            + "\(String(format: "%.1f", megabytes)) MB in \(String(format: "%.2f", seconds)) s, \(Int(rate)) documents/s"
    }
}
