import CZlibShim

/// One zlib inflate stream and its output buffer, shared by gzip input and ZIP entries: both feed it
/// compressed chunks and take what comes out, and differ only in the wrapper and in what follows the
/// end of a stream.
final class InflateStream {
    /// zlib found the data corrupt; the message is zlib's own.
    struct Corrupt: Error {
        var message: String
    }

    /// Where a call to `inflate` stopped.
    enum Stop {
        /// Every input byte was taken and every output byte handed over: send more.
        case needsInput
        /// The compressed stream ended with this many input bytes not taken.
        case streamEnd(left: Int)
    }

    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output: [UInt8]

    /// `windowBits` as zlib takes it: -15 for raw deflate, 15 + 16 for gzip. Nil when zlib cannot start.
    init?(windowBits: Int32, outputSize: Int) {
        output = [UInt8](repeating: 0, count: outputSize)
        stream.initialize(to: z_stream())
        // No cleanup here: the `deinit` runs once every property is set, and `inflateEnd` ignores a
        // stream zlib did not start (freeing it here too freed it twice).
        guard czlib_inflateInit2(stream, windowBits) == Z_OK else { return nil }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Starts the next stream (the next member of a multi-member gzip file).
    func reset() -> Bool { inflateReset(stream) == Z_OK }

    /// Inflates `input`, handing each chunk of output to `body`. Output left inside zlib when the
    /// buffer filled is drained before returning, so the end of a stream is never missed.
    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Stop {
        guard let base = input.baseAddress, input.count > 0 else { return .needsInput }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        repeat {
            let status = try output.withUnsafeMutableBytes { buffer -> Int32 in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                let status = CZlibShim.inflate(stream, Z_NO_FLUSH)
                let produced = buffer.count - Int(stream.pointee.avail_out)
                if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) }
                return status
            }
            switch status {
            case Z_STREAM_END: return .streamEnd(left: Int(stream.pointee.avail_in))
            case Z_OK, Z_BUF_ERROR: continue
            default: throw Corrupt(message: stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)")
            }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
        return .needsInput
    }
}
