import Crypto
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A document file read chunk by chunk, gzip inflated transparently when its first bytes say so
/// (the name is never trusted).
struct InputFile {
    static let chunkSize = 256 * 1024
    let path: String

    /// Calls `body` with each chunk of the document's decompressed bytes, in order.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = try openForReading()
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var inflater: GzipInflater?
        var first = true
        while true {
            let count = try buffer.withUnsafeMutableBytes { try readSome(fd, into: $0) }
            if count == 0 { break }
            try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                if first {
                    first = false
                    if Self.isGzip(chunk) { inflater = try GzipInflater() }
                }
                if let inflater { try inflater.inflate(chunk, body) } else { try body(chunk) }
            }
        }
        try inflater?.finish()
    }

    /// The whole decompressed content, for documents small enough to hold: a plain file is read
    /// straight into an array of its size, with no intermediate buffer.
    func readAll() throws -> [UInt8] {
        let fd = try openForReading()
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure() }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = try bytes.withUnsafeMutableBytes { try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        guard bytes.withUnsafeBytes(Self.isGzip) else { return bytes }
        let inflater = try GzipInflater()
        var inflated: [UInt8] = []
        inflated.reserveCapacity(bytes.count * 4)
        try bytes.withUnsafeBytes { try inflater.inflate($0) { inflated.append(contentsOf: $0) } }
        try inflater.finish()
        return inflated
    }

    /// Whether the decompressed content begins (after white space and a byte-order mark) with `<`.
    func startsWithXML() throws -> Bool {
        var first: UInt8?
        do {
            try forEachChunk { chunk in
                first = chunk.first { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }
                if first != nil { throw EndOfPrefix() }
            }
        } catch is EndOfPrefix {}
        return first == UInt8(ascii: "<")
    }

    private struct EndOfPrefix: Error {}

    /// SHA-256 of the decompressed content, read in chunks.
    func sha256() throws -> String {
        var hasher = SHA256()
        try forEachChunk { hasher.update(bufferPointer: $0) }
        return hasher.finalize().hexString
    }

    private static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    private func openForReading() throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure() }
        return fd
    }

    private func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw failure() }
        }
    }

    private func failure() -> InputError {
        InputError.io(path: path, reason: String(cString: strerror(errno)))
    }
}
