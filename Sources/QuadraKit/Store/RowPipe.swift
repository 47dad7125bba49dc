import Foundation

/// Rows handed from the thread that reads them to the thread that writes them, in batches, with at
/// most `depth` batches waiting between the two: a big report's queries and its gzip streams each get
/// a core, so do a reconciliation's evidence query and its verdict writes, and the memory between
/// them is a few batches.
///
/// ```swift
/// let written = try RowPipe<[String?]>.stream(reading: { pipe in try query { try pipe.send($0) } },
///                                             writing: { pipe in while let batch = try pipe.receive() { … } })
/// ```
final class RowPipe<Row>: @unchecked Sendable {
    /// Thrown to one side when the other stopped on an error of its own.
    struct Stopped: Error {}

    private let condition = NSCondition()
    private let batchSize: Int
    private let depth: Int
    /// The reader's batch being filled (touched by the reader only).
    private var filling: [Row] = []
    /// Batches handed over and not yet taken (under `condition`).
    private var waiting: [[Row]] = []
    private var closed = false
    private var failed = false
    private var abandoned = false

    init(batchSize: Int = 512, depth: Int = 4) {
        self.batchSize = batchSize
        self.depth = depth
        filling.reserveCapacity(batchSize)
    }

    /// Adds a row; a full batch is handed over, waiting while `depth` batches wait.
    func send(_ row: Row) throws {
        filling.append(row)
        if filling.count >= batchSize { try handOver() }
    }

    /// Hands over the last rows: the writer ends once it has taken them.
    func close() throws {
        try handOver()
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The reader failed: the writer stops at its next `receive()` and lands nothing.
    func fail() {
        condition.lock()
        failed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The writer failed: the reader stops at its next batch.
    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, in the order sent; nil once closed and every batch taken.
    func receive() throws -> [Row]? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !closed && !failed { condition.wait() }
        if failed { throw Stopped() }
        guard !waiting.isEmpty else { return nil }
        condition.broadcast()
        return waiting.removeFirst()
    }

    private func handOver() throws {
        let batch = filling
        filling = []
        filling.reserveCapacity(batchSize)
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= depth && !abandoned { condition.wait() }
        if abandoned { throw Stopped() }
        waiting.append(batch)
        condition.broadcast()
    }
}

extension RowPipe {
    /// Runs `reading` on a thread of its own, sending rows into a pipe, and `writing` on this thread,
    /// receiving them: either side failing stops the other, and what is thrown is the failure that
    /// caused the stop, never the other side's `Stopped`.
    static func stream<T>(batchSize: Int = 512, depth: Int = 4, reading: @escaping @Sendable (RowPipe) throws -> Void,
                          writing: (RowPipe) throws -> T) throws -> T {
        let pipe = RowPipe(batchSize: batchSize, depth: depth)
        let reader = BackgroundWork {
            do {
                try reading(pipe)
                try pipe.close()
            } catch {
                pipe.fail()
                throw error
            }
        }
        defer { reader.wait() }
        let result: T
        do {
            result = try writing(pipe)
        } catch {
            pipe.abandon()
            if error is Stopped, let cause = reader.failure { throw cause }
            throw error
        }
        try reader.value()
        return result
    }
}
