import CZlibShim

/// Streaming gzip compression through zlib into an `AtomicFile`, deterministic byte for byte.
///
/// ```swift
/// let gzip = try GzipWriter(into: try AtomicFile(path: "flows.csv.gz", mode: 0o600))
/// try gzip.write("creditor_fiscal_code,psp_id\r\n")
/// let written = try gzip.finish()
/// ```
///
/// zlib writes its default gzip header when `deflateSetHeader` is never called: no file name,
/// modification time 0, OS byte 3 (Unix). So the same text gives the same bytes on every run.
/// Text is gathered into 64 KiB blocks before it is deflated, so a row costs no zlib call.
/// Level 3 by default: on these reports it deflates about twice as fast as level 6 for files some
/// 13% larger, and (unlike level 1) leaves the header's extra-flags byte at 0.
public final class GzipWriter {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let file: AtomicFile
    private var pending: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    private static let blockSize = 64 * 1024

    public init(into file: AtomicFile, level: Int32 = 3) throws {
        self.file = file
        pending.reserveCapacity(Self.blockSize)
        stream.initialize(to: z_stream())
        // No cleanup here: the `deinit` runs once every property is set, and `deflateEnd` ignores a
        // stream zlib did not start (freeing it here too freed it twice).
        guard czlib_deflateInit2(stream, level, 15 + 16) == Z_OK else { throw ReportError.compression("zlib could not start") }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    public func write(_ text: String) throws {
        try write { $0.append(contentsOf: text.utf8) }
    }

    /// Lets `fill` append bytes to the pending block in place, with no string built in between.
    public func write(_ fill: (inout [UInt8]) -> Void) throws {
        fill(&pending)
        if pending.count >= Self.blockSize { try deflatePending(Z_NO_FLUSH) }
    }

    /// Ends the gzip stream and renames the file into place.
    public func finish() throws -> AtomicFile.Written {
        try deflatePending(Z_FINISH)
        return try file.commit()
    }

    private func deflatePending(_ flush: Int32) throws {
        try pending.withUnsafeMutableBytes { input in
            stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(input.count)
            var status: Int32
            repeat {
                status = try output.withUnsafeMutableBytes { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(buffer.count)
                    let status = deflate(stream, flush)
                    let produced = buffer.count - Int(stream.pointee.avail_out)
                    if produced > 0 { try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) }
                    return status
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ReportError.compression("deflate failed with code \(status)")
                }
            } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
        }
        pending.removeAll(keepingCapacity: true)
    }
}
