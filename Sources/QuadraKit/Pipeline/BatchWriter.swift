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
final class BatchWriter: Sendable {
    private let store: Store
    private let queue = DispatchQueue(label: "quadra.ingest.writer")
    private let group = DispatchGroup()
    private let room: DispatchSemaphore
    /// What each written batch became, in order, until the caller takes it; after a failure, the
    /// failure, and batches handed over later are not written.
    private let finished = Mutex<(batches: [[Ingestor.Preparation]], failure: Error?)>(([], nil))

    init(store: Store, depth: Int = 2) {
        self.store = store
        room = DispatchSemaphore(value: depth)
    }

    /// Hands `batch` to the writer, first waiting while `depth` batches are already in hand.
    func start(_ batch: [Ingestor.Preparation]) {
        room.wait()
        queue.async(group: group) { [self] in
            defer { room.signal() }
            guard finished.withLock({ $0.failure == nil }) else { return }
            do {
                let written = try write(batch)
                finished.withLock { $0.batches.append(written) }
            } catch {
                finished.withLock { $0.failure = error }
            }
        }
    }

    /// What became of each file of the batches written so far, taken once; throws the writer's
    /// failure, if any.
    func takeWritten() throws -> [Ingestor.Preparation] {
        let (batches, failure) = finished.withLock { state in
            defer { state.batches = [] }
            return (state.batches, state.failure)
        }
        if let failure { throw failure }
        return batches.flatMap { $0 }
    }

    /// Waits until every batch handed over is written, then as `takeWritten`.
    func finish() throws -> [Ingestor.Preparation] {
        group.wait()
        return try takeWritten()
    }

    private func write(_ batch: [Ingestor.Preparation]) throws -> [Ingestor.Preparation] {
        let documents = batch.compactMap(\.document)
        var stored = try store.record(documents, at: ISO8601DateFormatter().string(from: Date())).makeIterator()
        return batch.map { preparation in
            guard case .document = preparation, let outcome = stored.next() else { return preparation }
            return .settled(outcome)
        }
    }
}
