import Crypto
import Foundation
import Logging

/// Reads documents from files and folders into the store: the `quadra ingest` step of the nightly run.
///
/// ```swift
/// let summary = try Ingestor(store: store).ingest(["Samples/inbox"])
/// print(summary.count(.rejected))
/// ```
///
/// Files are taken in batches: every core reads, hashes and parses the next batches while the writer
/// stores the previous one, one savepoint per document but receipts, several batches to a
/// transaction. The ledger makes a second pass over the same bytes free: a document already stored
/// is skipped before it is parsed.
public struct Ingestor: Sendable {
    public struct Options: Sendable {
        /// Owner of debt positions that name none (`--creditor`); else the folder's fiscal code.
        public var creditor: String?
        /// Served creditors (to tell whose account a treasury movement is on) and bank CSV layouts.
        public var configuration = QuadraConfiguration()
        /// Files per batch: read, parsed and handed to the writer together.
        public var batchSize = 4096
        /// Documents per transaction (`--commit-every`), in whole batches: fewer commits write fewer
        /// pages (`Store.LedgerWriter` has the figures). A crash loses what the open transaction
        /// held, never part of a document.
        public var commitDocuments = 65536
        /// A transaction is also committed once it has been open this long, so that a kill loses
        /// about the last ten seconds' documents, which the next run reads again. Not less: each
        /// commit writes every page its transaction touched, and random-key inserts (SHA-256s,
        /// receipt ids, IUVs) dirty pages all over their indexes. Interleaved `quadra ingest` runs,
        /// 2 seconds against 10: a million receipts 186–211 s and 12.3 GB handed to `pwrite`, against
        /// 169–182 s and 7.4 GB; night 5 of 100,000 receipts a night, 2.1 GB against 1.2 GB (README,
        /// *Many nights*).
        public var commitInterval = Duration.seconds(10)
        /// Raw bytes per batch, so that a batch of large files stays small in memory.
        public var batchBytes = 64 << 20
        /// Files larger than this are never held whole: the writer parses them as they stream from disk.
        public var streamingThreshold = 8 << 20
        /// Files modified less than this many seconds ago are left for the next run (`--settle`).
        public var settleSeconds = 0

        public init(creditor: String? = nil, configuration: QuadraConfiguration = QuadraConfiguration()) {
            self.creditor = creditor
            self.configuration = configuration
        }
    }

    /// Counts so far, for progress lines on a terminal.
    public struct Progress: Sendable {
        public var documents: Int
        public var totalDocuments: Int
        public var bytes: Int
        public var seconds: Double
    }

    public let store: Store
    public var options: Options
    private let logger: Logger

    public init(store: Store, options: Options = Options(), logger: Logger = Logger(label: "quadra.ingest")) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// `requireDocuments` is called (and may throw) when the paths list nothing to read or wait for,
    /// before the store is touched.
    public func ingest(_ paths: [String], progress: ((Progress) -> Void)? = nil,
                       requireDocuments: () throws -> Void = {}) throws -> IngestSummary {
        let started = ContinuousClock.now
        let now = Int(time(nil))
        let settle = min(options.settleSeconds, 366 * 86_400)  // a year either side at most: no overflow
        let listing = try InputFiles.list(paths, settling: settle > 0 ? (now - settle)..<(now + settle) : nil)
        if listing.count == 0 && listing.waiting.isEmpty { try requireDocuments() }
        var summary = try IngestSummary()
        summary.passedOver = listing.passedOver
        summary.archives = listing.archives
        summary.waiting = listing.waiting
        for entry in listing.passedOver { logger.notice("passed over \(entry)") }
        for path in listing.waiting { logger.notice("waiting \(path): modified less than \(options.settleSeconds) s ago, left for the next run") }
        var done = 0
        let writing = BatchWriter(store: store, commitDocuments: options.commitDocuments,
                                  commitInterval: options.commitInterval)
        do {
            var batches = Batches(documents: listing.documents(), options: options)
            while let batch = batches.next() {
                writing.start(try prepare(batch))
                try collect(writing.takeWritten(), into: &summary)
                done += batch.count
                summary.bytes += batch.reduce(0) { $0 + $1.size }
                progress?(Progress(documents: done, totalDocuments: listing.count, bytes: summary.bytes,
                                   seconds: Self.seconds(since: started)))
            }
        } catch {
            // The batches in hand must be written (or refused) before the caller closes the store.
            _ = try? writing.finish()
            throw error
        }
        try collect(writing.finish(), into: &summary)
        summary.seconds = Self.seconds(since: started)
        return summary
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).seconds
    }

    private func collect(_ written: [Preparation], into summary: inout IngestSummary) throws {
        for preparation in written {
            switch preparation {
            case let .unreadable(reason):
                logger.error("\(reason)")
                summary.unreadable.append(reason)
            case let .settled(outcome):
                log(outcome)
                try summary.record(outcome)
            case .document:
                break
            }
        }
    }

    /// Reads, hashes and parses a batch on every core (the writer's too: it runs while a batch is
    /// in hand); what needs storing is left for the writer.
    private func prepare(_ batch: [InputFiles.File]) throws -> [Preparation] {
        let threshold = options.streamingThreshold
        let loaded: [Result<(bytes: [UInt8]?, sha256: String), InputError>] = Parallel.map(batch.count) { index in
            do {
                let input = batch[index].input
                let path = batch[index].path
                guard batch[index].size <= threshold, let bytes = try input.readAll(limit: threshold) else {
                    return .success((nil, FlowPartPath.ledgerDigest(content: try input.sha256(), path: path)))
                }
                return .success((bytes, FlowPartPath.ledgerDigest(content: SHA256.hash(data: bytes).hexString, path: path)))
            } catch let error as InputError {
                return .failure(error)
            } catch {
                return .failure(.io(path: batch[index].path, reason: "\(error)"))
            }
        }
        let settled = try store.settledHashes(loaded.compactMap { try? $0.get().sha256 })
        let creditor = options.creditor
        let directory = options.configuration.directory
        let layouts = options.configuration.bankCSVLayouts
        return Parallel.map(batch.count) { index in
            let file = batch[index]
            switch loaded[index] {
            case let .failure(error):
                if case .io = error { return .unreadable(error.description) }
                return .document(PreparedDocument(path: file.path, sha256: file.input.rawSHA256(), size: file.size,
                                                  kind: .unknown, body: .parsed(.failure(DocumentRejection(reason: error.description)))))
            case let .success((bytes, sha256)):
                let size = bytes?.count ?? file.size
                if settled.contains(sha256) {
                    return .settled(DocumentOutcome(path: file.path, kind: .unknown, sha256: sha256, size: size,
                                                    status: .skipped, reason: "already ingested"))
                }
                let context = DocumentParser.Context(defaultCreditor: creditor ?? InputFiles.creditorFolder(of: file.path),
                                                     creditors: directory, bankCSVLayouts: layouts, path: file.path)
                guard let bytes else {
                    return .document(PreparedDocument(path: file.path, sha256: sha256, size: size, kind: .unknown,
                                                      body: .streamed(file.input, context)))
                }
                let (kind, content) = DocumentParser.parse(bytes, context: context)
                return .document(PreparedDocument(path: file.path, sha256: sha256, size: size, kind: kind, body: .parsed(content)))
            }
        }
    }

    /// Where each file of a batch stands before the store is written.
    enum Preparation: Sendable {
        case unreadable(String)
        case settled(DocumentOutcome)
        case document(PreparedDocument)

        var document: PreparedDocument? {
            if case let .document(document) = self { return document }
            return nil
        }
    }

    /// The listing's documents in batches of `batchSize` files and at most `batchBytes` bytes (a
    /// single larger file makes a batch of its own), taken as they are read.
    ///
    /// The first batches are smaller (a sixteenth of both limits, doubling): the writer waits for
    /// the first batch to be parsed, and the 50 MB of debt positions that sort first in an inbox of
    /// 100,000 receipts kept it idle for the first 1.5 to 2 s of the night.
    private struct Batches {
        var documents: InputFiles.Documents
        let options: Options
        /// The file that closed the previous batch, the first of the next.
        private var pending: InputFiles.File?
        /// A sixteenth of the limits for the first batch, growing to them.
        private var sixteenths = 1

        init(documents: InputFiles.Documents, options: Options) {
            self.documents = documents
            self.options = options
            pending = self.documents.next()
        }

        mutating func next() -> [InputFiles.File]? {
            guard let first = pending else { return nil }
            var batch = [first]
            var bytes = first.size
            pending = nil
            let (files, limit) = (max(1, options.batchSize * sixteenths / 16), max(1, options.batchBytes * sixteenths / 16))
            sixteenths = min(sixteenths * 2, 16)
            while let file = documents.next() {
                if batch.count >= files || bytes + file.size > limit {
                    pending = file
                    break
                }
                batch.append(file)
                bytes += file.size
            }
            return batch
        }
    }

    private func log(_ outcome: DocumentOutcome) {
        switch outcome.status {
        case .rejected:
            logger.warning("rejected \(outcome.path): \(outcome.reason ?? "")")
        case .partial:
            for item in outcome.quarantined { logger.warning("quarantined in \(outcome.path): \(item)") }
        case .duplicate, .skipped:
            logger.debug("\(outcome.status.rawValue) \(outcome.path): \(outcome.reason ?? "")")
        case .ingested:
            logger.debug("ingested \(outcome.path) (\(outcome.kind.rawValue), \(outcome.records) records)")
        }
    }
}

extension Duration {
    /// For log lines and progress: never for anything a report or a rule reads.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
