import Dispatch
import Foundation
import Synchronization

/// Stores prepared batches on a thread of its own, one at a time and in order, while the caller
/// prepares the next ones.
///
/// Up to `depth` batches may be handed over before `start` waits: one being written and the rest
/// queued. With only one batch in hand the two sides ran in lockstep, each waiting for the other at
/// every batch, so whichever finished first left its core idle (100,000 receipts on 2 cores: 1.4
/// cores busy; 1.6 now, the wall time then bound by the writer's own work and waits).
///
/// Batches share a transaction until `commitDocuments` documents are in it or it has been open for
/// `commitInterval` (`Store.LedgerWriter` says why; the interval bounds what a kill loses to the
/// documents of that many seconds), and a batch's outcomes are told only once it is committed. A
/// batch the store refuses
/// stops the writer: the open transaction is rolled back with it (the next run reads those
/// documents again), what was committed stays, and no batch handed over after it is written.
final class BatchWriter: Sendable {
    private let store: Store
    private let commitDocuments: Int
    private let commitInterval: Duration
    private let room: DispatchSemaphore
    /// Batches handed over and not yet taken by the writer, counted by `waiting`; nil marks the end,
    /// and `ended` that the writer took it.
    private let handed = Mutex<(batches: [[Ingestor.Preparation]?], ended: Bool)>(([], false))
    private let waiting = DispatchSemaphore(value: 0)
    private let writing = DispatchGroup()
    /// What each committed batch became, in order, until the caller takes it; after a failure, the
    /// failure.
    private let finished = Mutex<(batches: [[Ingestor.Preparation]], failure: Error?)>(([], nil))

    init(store: Store, depth: Int = 2, commitDocuments: Int, commitInterval: Duration) {
        self.store = store
        self.commitDocuments = commitDocuments
        self.commitInterval = commitInterval
        room = DispatchSemaphore(value: depth)
        writing.enter()
        DispatchQueue(label: "quadra.ingest.writer").async { [self] in
            write()
            // After a failure, batches still arrive until the end: take them so `start` never waits.
            while next() != nil { room.signal() }
            writing.leave()
        }
    }

    /// Hands `batch` to the writer, first waiting while `depth` batches are already in hand.
    func start(_ batch: [Ingestor.Preparation]) {
        room.wait()
        hand(batch)
    }

    /// What became of each file of the batches committed so far, taken once; throws the writer's
    /// failure, if any.
    func takeWritten() throws -> [Ingestor.Preparation] {
        let (batches, failure) = finished.withLock { state in
            defer { state.batches = [] }
            return (state.batches, state.failure)
        }
        if let failure { throw failure }
        return batches.flatMap { $0 }
    }

    /// Waits until every batch handed over is written and committed, then as `takeWritten`.
    func finish() throws -> [Ingestor.Preparation] {
        hand(nil)
        writing.wait()
        return try takeWritten()
    }

    private func hand(_ batch: [Ingestor.Preparation]?) {
        handed.withLock { $0.batches.append(batch) }
        waiting.signal()
    }

    /// The next batch handed over, waiting for it; nil at the end (and ever after).
    private func next() -> [Ingestor.Preparation]? {
        if handed.withLock({ $0.ended }) { return nil }
        waiting.wait()
        return handed.withLock { state in
            let batch = state.batches.removeFirst()
            state.ended = batch == nil
            return batch
        }
    }

    private func write() {
        var uncommitted: [[Ingestor.Preparation]] = []
        var documents = 0
        var opened = ContinuousClock.now
        func commit(_ ledger: Store.LedgerWriter) throws {
            try ledger.commit()
            finished.withLock { $0.batches += uncommitted }
            uncommitted = []
            documents = 0
        }
        do {
            try store.withLedgerWriter { ledger in
                while let batch = next() {
                    defer { room.signal() }
                    if uncommitted.isEmpty { opened = .now }
                    uncommitted.append(try written(batch, by: ledger))
                    documents += batch.count
                    if documents >= commitDocuments || ContinuousClock.now - opened >= commitInterval {
                        try commit(ledger)
                    }
                }
                try commit(ledger)
            }
        } catch {
            finished.withLock { $0.failure = error }
        }
    }

    private func written(_ batch: [Ingestor.Preparation], by ledger: Store.LedgerWriter) throws -> [Ingestor.Preparation] {
        let documents = batch.compactMap(\.document)
        var stored = try ledger.record(documents, at: ISO8601DateFormatter().string(from: Date())).makeIterator()
        return batch.map { preparation in
            guard case .document = preparation, let outcome = stored.next() else { return preparation }
            return .settled(outcome)
        }
    }
}
