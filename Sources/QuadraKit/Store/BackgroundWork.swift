import Foundation

/// Work run on a thread of its own and waited for by the thread that started it: the result is
/// written before the semaphore is signalled and read only after the wait. A thread, not a shared
/// pool, so that work waiting on other work (a report's reader and writer) never waits for a free worker.
final class BackgroundWork<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?
    private var waited = false

    init(_ body: @escaping @Sendable () throws -> T) {
        Thread { [self] in
            result = Result(catching: body)
            done.signal()
        }.start()
    }

    /// Waits until the work has finished (at most once; later calls return at once).
    func wait() {
        guard !waited else { return }
        done.wait()
        waited = true
    }

    func value() throws -> T {
        wait()
        return try result!.get()
    }

    /// What the work failed with, once it has finished; nil when it succeeded.
    var failure: (any Error)? {
        wait()
        if case let .failure(error) = result { return error }
        return nil
    }
}
