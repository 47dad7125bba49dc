import CZlibShim

/// Streaming gzip decompression through zlib, so a `.gz` input is never inflated whole in memory.
///
/// Handles multi-member files (what `cat a.gz b.gz` makes) and reports a truncated stream as an
/// error instead of returning what was inflated so far.
final class GzipInflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 256 * 1024)
    private var inMember = true

    init() throws {
        stream.initialize(to: z_stream())
        guard czlib_inflateInit2(stream, 15 + 16) == Z_OK else {
            stream.deallocate()
            throw InputError.gzip("zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates `input`, handing each decompressed chunk to `body`.
    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while stream.pointee.avail_in > 0 {
            if !inMember {
                guard inflateReset(stream) == Z_OK else { throw InputError.gzip("cannot start next gzip member") }
                inMember = true
            }
            let status = try output.withUnsafeMutableBytes { buffer -> Int32 in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                let status = CZlibShim.inflate(stream, Z_NO_FLUSH)
                let produced = buffer.count - Int(stream.pointee.avail_out)
                if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) }
                return status
            }
            switch status {
            case Z_STREAM_END: inMember = false
            case Z_OK, Z_BUF_ERROR: continue
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw InputError.gzip("corrupt gzip data (\(message))")
            }
        }
    }

    /// Confirms the compressed stream ended where the file did.
    func finish() throws {
        if inMember { throw InputError.gzip("gzip stream is truncated") }
    }
}
