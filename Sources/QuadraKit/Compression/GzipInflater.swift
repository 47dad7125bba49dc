/// Streaming gzip decompression through zlib, so a `.gz` input is never inflated whole in memory.
///
/// Handles multi-member files (what `cat a.gz b.gz` makes) and reports a truncated stream as an
/// error instead of returning what was inflated so far.
final class GzipInflater {
    private let stream: InflateStream
    private var inMember = true

    init() throws {
        guard let stream = InflateStream(windowBits: 15 + 16, outputSize: 256 * 1024) else { throw InputError.gzip("zlib could not start") }
        self.stream = stream
    }

    /// Inflates `input`, handing each decompressed chunk to `body`.
    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var rest = input
        while !rest.isEmpty {
            if !inMember {
                guard stream.reset() else { throw InputError.gzip("cannot start next gzip member") }
                inMember = true
            }
            do {
                switch try stream.inflate(rest, body) {
                case .needsInput:
                    return
                case let .streamEnd(left):
                    inMember = false
                    rest = UnsafeRawBufferPointer(rebasing: rest.suffix(left))
                }
            } catch let corrupt as InflateStream.Corrupt {
                throw InputError.gzip("corrupt gzip data (\(corrupt.message))")
            }
        }
    }

    /// Confirms the compressed stream ended where the file did.
    func finish() throws {
        if inMember { throw InputError.gzip("gzip stream is truncated") }
    }
}
