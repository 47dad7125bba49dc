import Crypto
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A document read chunk by chunk, from a file or from an entry of a ZIP archive, gzip inflated
/// transparently when its first bytes say so (the name is never trusted).
struct InputFile: Sendable {
    enum Source: Sendable {
        case file(path: String)
        case zipEntry(archive: String, ZipEntry)
        /// What could not be listed (a ZIP archive whose directory could not be read, a file or folder
        /// gone since the inbox was listed): reading it throws why.
        case unreadable(path: String, InputError)
    }

    static let chunkSize = 256 * 1024
    /// The most any document may inflate to, gzip or ZIP entry alike: no pagoPA document comes near.
    static let maximumInflated = Int(ZipEntryReader.maximumSize)
    /// The most a document that is not XML (JSON, CSV) may hold: those are decoded whole in memory.
    static let maximumWhole = 128 << 20
    let source: Source

    init(path: String) {
        source = .file(path: path)
    }

    init(entry: ZipEntry, in archive: String) {
        source = .zipEntry(archive: archive, entry)
    }

    init(unreadable path: String, error: InputError) {
        source = .unreadable(path: path, error)
    }

    /// The document's name in the ledger and the logs: a file's path, or the archive's path and the
    /// entry's name (`inbox/receipts-0001.zip/2026-11-17/rt-000123.xml`), a label never opened.
    /// Built on demand, so a listing of a million entries holds each archive's path once.
    var path: String {
        switch source {
        case let .file(path), let .unreadable(path, _): return path
        case let .zipEntry(archive, entry): return archive + "/" + entry.name
        }
    }

    /// Calls `body` with each chunk of the document's decompressed bytes, in order. A gzip stream
    /// that inflates past `maximumInflated` is refused as it crosses it (a gzip bomb never lands),
    /// as a ZIP entry is.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inflater: GzipInflater?
        var first = true
        var inflated = 0
        try forEachRawChunk { chunk in
            if first {
                first = false
                if Self.isGzip(chunk) { inflater = try GzipInflater() }
            }
            guard let inflater else { return try body(chunk) }
            try inflater.inflate(chunk) { piece in
                inflated += piece.count
                guard inflated <= Self.maximumInflated else {
                    throw InputError.gzip("the gzip stream inflates past \(Self.maximumInflated) bytes, the limit of any document")
                }
                try body(piece)
            }
        }
        try inflater?.finish()
    }

    /// The whole decompressed content when it holds no more than `limit` bytes, else nil (the
    /// caller streams it instead): the inflated size decides, never the compressed one, so a small
    /// `.gz` that inflates to a gigabyte is not inflated into memory. A plain file is read straight
    /// into an array of its size, with no intermediate buffer.
    func readAll(limit: Int) throws -> [UInt8]? {
        let bytes = try readRaw()
        guard bytes.withUnsafeBytes(Self.isGzip) else { return bytes.count <= limit ? bytes : nil }
        let inflater = try GzipInflater()
        var inflated: [UInt8] = []
        inflated.reserveCapacity(min(bytes.count * 4, limit))
        do {
            try bytes.withUnsafeBytes { chunk in
                try inflater.inflate(chunk) { piece in
                    guard inflated.count + piece.count <= limit else { throw PastLimit() }
                    inflated.append(contentsOf: piece)
                }
            }
        } catch is PastLimit {
            return nil
        }
        try inflater.finish()
        return inflated
    }

    private struct PastLimit: Error {}

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

    /// SHA-256 of the bytes as stored (a file's, or a ZIP entry's still compressed): the ledger
    /// identity of a document that cannot be inflated.
    func rawSHA256() -> String {
        var hasher = SHA256()
        do {
            if case let .zipEntry(archive, entry) = source {
                try ZipEntryReader(archive: archive, entry: entry).forEachStoredChunk { hasher.update(bufferPointer: $0) }
            } else {
                try forEachFileChunk { hasher.update(bufferPointer: $0) }
            }
        } catch {
            return "unreadable:\(path)"
        }
        return hasher.finalize().hexString
    }

    private static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The bytes before gzip inflation, chunk by chunk.
    private func forEachRawChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch source {
        case .file: try forEachFileChunk(body)
        case let .zipEntry(archive, entry): try ZipEntryReader(archive: archive, entry: entry).forEachChunk(body)
        case let .unreadable(_, error): throw error
        }
    }

    /// The bytes before gzip inflation, whole.
    private func readRaw() throws -> [UInt8] {
        switch source {
        case .file:
            return try readFile()
        case let .zipEntry(archive, entry):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(min(entry.uncompressedSize, ZipEntryReader.maximumSize)))
            try ZipEntryReader(archive: archive, entry: entry).forEachChunk { bytes.append(contentsOf: $0) }
            return bytes
        case let .unreadable(_, error):
            throw error
        }
    }

    private func forEachFileChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = try openForReading()
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try readSome(fd, into: $0) }
            if count == 0 { break }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// A plain file straight into an array of its size.
    private func readFile() throws -> [UInt8] {
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
        return bytes
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
