import Dispatch
import Foundation
import Synchronization

/// Runs independent work on several cores and gathers the results in input order.
enum Parallel {
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// `body` for each index below `count`, on up to `workers` threads taking the next index as they
    /// finish one (a batch mixes small receipts and large flows).
    static func map<T: Sendable>(_ count: Int, workers: Int = cores, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Slots<T>(count: count)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                results.set(index, body(index))
            }
        }
        return results.collect()
    }

    /// Each slot is written by exactly one iteration and read only after all have finished.
    private final class Slots<T>: @unchecked Sendable {
        private var storage: UnsafeMutableBufferPointer<T?>
        private var collected = false

        init(count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }

        deinit {
            if !collected { storage.deinitialize() }
            storage.deallocate()
        }

        func set(_ index: Int, _ value: T) { storage[index] = value }

        /// Moves the results out, once: copying them retained every string of every parsed receipt
        /// and released it again when the slots went.
        func collect() -> [T] {
            collected = true
            return storage.indices.map { (storage.baseAddress! + $0).move()! }
        }
    }
}
