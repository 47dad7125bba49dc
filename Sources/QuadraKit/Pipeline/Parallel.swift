import Dispatch

/// Runs independent work on every core and gathers the results in input order.
enum Parallel {
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { results.set($0, body($0)) }
        return results.collect()
    }

    /// Each slot is written by exactly one iteration and read only after all have finished.
    private final class Slots<T>: @unchecked Sendable {
        private var storage: UnsafeMutableBufferPointer<T?>

        init(count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }

        deinit {
            storage.deinitialize()
            storage.deallocate()
        }

        func set(_ index: Int, _ value: T) { storage[index] = value }

        func collect() -> [T] { storage.map { $0! } }
    }
}
