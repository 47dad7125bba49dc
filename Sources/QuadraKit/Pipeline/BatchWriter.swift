import Dispatch
import Foundation

/// Stores prepared batches on a thread of its own, so that parsing the next batch overlaps
/// writing this one; batches are written one at a time, in order.
final class BatchWriter: @unchecked Sendable {
    private let store: Store
    private let queue = DispatchQueue(label: "quadra.ingest.writer")
    private let group = DispatchGroup()
    /// Written by the writer thread, read only after `group` has been waited on.
    private var result: Result<[Ingestor.Preparation], Error> = .success([])

    init(store: Store) {
        self.store = store
    }

    func start(_ batch: [Ingestor.Preparation]) {
        queue.async(group: group) { [self] in
            result = Result {
                let documents = batch.compactMap(\.document)
                var stored = try store.record(documents, at: ISO8601DateFormatter().string(from: Date())).makeIterator()
                return batch.map { preparation in
                    guard case .document = preparation, let outcome = stored.next() else { return preparation }
                    return .settled(outcome)
                }
            }
        }
    }

    /// Waits for the batch in flight, if any, and returns what became of each of its files.
    func wait() throws -> [Ingestor.Preparation] {
        group.wait()
        defer { result = .success([]) }
        return try result.get()
    }
}
