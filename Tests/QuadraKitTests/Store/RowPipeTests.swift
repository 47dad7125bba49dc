import Testing
@testable import QuadraKit

/// The handoff between a report's reading thread and its writing thread.
@Suite struct RowPipeTests {
    @Test func rowsArriveInTheOrderSentAcrossBatches() throws {
        let pipe = RowPipe<Int>(batchSize: 3, depth: 1)
        let writer = BackgroundWork { () throws -> [Int] in
            var received: [Int] = []
            while let batch = try pipe.receive() { received += batch }
            return received
        }
        for row in 0..<100 { try pipe.send(row) }
        try pipe.close()
        #expect(try writer.value() == Array(0..<100))
    }

    /// A reader that fails stops the writer, which then lands nothing.
    @Test func aFailedReaderStopsTheWriter() throws {
        let pipe = RowPipe<Int>(batchSize: 2, depth: 1)
        let writer = BackgroundWork { () throws -> Int in
            var count = 0
            while let batch = try pipe.receive() { count += batch.count }
            return count
        }
        try pipe.send(1)
        try pipe.send(2)
        pipe.fail()
        #expect(writer.failure is RowPipe<Int>.Stopped)
    }

    /// A writer that fails stops the reader at its next batch instead of leaving it waiting.
    @Test func anAbandonedPipeStopsTheReader() throws {
        let pipe = RowPipe<Int>(batchSize: 1, depth: 1)
        try pipe.send(1)
        pipe.abandon()
        #expect(throws: RowPipe<Int>.Stopped.self) { try pipe.send(2) }
    }

    private struct ReadFailed: Error {}
    private struct WriteFailed: Error {}

    /// A stream hands every row over and returns what the writing side made of them.
    @Test func aStreamCarriesEveryRowToItsWriter() throws {
        let total = try RowPipe<Int>.stream(batchSize: 7, depth: 2, reading: { pipe in
            for row in 1...1000 { try pipe.send(row) }
        }, writing: { pipe in
            var sum = 0
            while let batch = try pipe.receive() { sum += batch.reduce(0, +) }
            return sum
        })
        #expect(total == 500_500)
    }

    /// When the reading side fails, the stream throws its error, not the writer's "stopped".
    @Test func aStreamThrowsTheReadersOwnFailure() throws {
        #expect(throws: ReadFailed.self) {
            try RowPipe<Int>.stream(batchSize: 2, depth: 1, reading: { pipe in
                for row in 1...10 { try pipe.send(row) }
                throw ReadFailed()
            }, writing: { pipe in
                while let batch = try pipe.receive() { _ = batch }
            })
        }
    }

    /// When the writing side fails, the stream throws its error and the reader stops instead of
    /// waiting forever on a full pipe.
    @Test func aStreamThrowsTheWritersOwnFailureAndStopsTheReader() throws {
        #expect(throws: WriteFailed.self) {
            try RowPipe<Int>.stream(batchSize: 1, depth: 1, reading: { pipe in
                for row in 1...100_000 { try pipe.send(row) }
            }, writing: { pipe in
                _ = try pipe.receive()
                throw WriteFailed()
            })
        }
    }
}
