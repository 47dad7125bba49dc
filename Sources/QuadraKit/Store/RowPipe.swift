import Foundation

/// Rows handed from the thread that reads them to the thread that writes them, in batches, with at
/// most `depth` batches waiting between the two: a big report's queries and its gzip streams each get
/// a core, so do a reconciliation's evidence query and its verdict writes, and the memory between
/// them is a few batches.
///
/// ```swift
/// let pipe = RowPipe<[String?]>()
/// // reader: try pipe.send(row) … then try pipe.close(), or pipe.fail() when reading failed
/// // writer: while let batch = try pipe.receive() { … }, or pipe.abandon() when writing failed
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
