import CZlibShim

/// Streams the bytes of one ZIP entry, checked as they come: inflated (or copied, when stored) from
/// the archive in chunks, counted against the size the directory declares, and CRC-checked at the end.
///
/// ```swift
/// try ZipEntryReader(archive: "inbox/receipts-0001.zip", entry: entry).forEachChunk { hasher.update(bufferPointer: $0) }
/// ```
///
/// An entry that inflates past its declared size is refused when it crosses it, so a zip bomb never
/// gets inflated; one that declares more than `maximumSize` is refused before a byte is read.
/// Each call opens the archive for itself: readers of one archive run on several threads at once.
struct ZipEntryReader {
    /// Largest entry read, inflated: no pagoPA document comes near it.
    static let maximumSize: UInt64 = 1 << 30
    private static let chunkSize = 256 * 1024
    private static let localHeaderSignature: UInt32 = 0x0403_4b50

    let archive: String
    let entry: ZipEntry

    /// Calls `body` with each chunk of the entry's inflated bytes, in order.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !entry.isEncrypted else { throw InputError.zip("the ZIP entry is encrypted: Quadra reads no passwords") }
        guard !entry.leavesTheArchive else { throw InputError.zip("the ZIP entry's name leaves the archive ('..' or a root path): not read") }
        guard entry.method == 0 || entry.method == 8 else {
            throw InputError.zip("the ZIP entry is compressed with method \(entry.method): only stored and deflate entries are read")
        }
        guard entry.uncompressedSize <= Self.maximumSize else {
            throw InputError.zip("the ZIP entry declares \(entry.uncompressedSize) bytes, over the limit of \(Self.maximumSize)")
        }
        var produced: UInt64 = 0
        var checksum = crc32(0, nil, 0)
        func checked(_ chunk: UnsafeRawBufferPointer) throws {
            produced += UInt64(chunk.count)
            guard produced <= entry.uncompressedSize else {
                throw InputError.zip("the ZIP entry inflates past its declared \(entry.uncompressedSize) bytes (a zip bomb?)")
            }
            checksum = crc32(checksum, chunk.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(chunk.count))
            try body(chunk)
        }
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw InputError.zip("the stored ZIP entry's sizes disagree (\(entry.compressedSize) and \(entry.uncompressedSize))")
            }
            try forEachStoredChunk(checked)
        } else {
            let inflater = try RawInflater(outputSize: Int(min(max(entry.uncompressedSize, 1), 64 * 1024)))
            try forEachStoredChunk { try inflater.inflate($0, checked) }
            guard inflater.ended else { throw InputError.zip("the ZIP entry's deflate data is truncated") }
        }
        guard produced == entry.uncompressedSize else {
            throw InputError.zip("the ZIP entry holds \(produced) bytes where its directory declares \(entry.uncompressedSize)")
        }
        guard UInt32(checksum) == entry.crc32 else {
            throw InputError.zip("the ZIP entry fails its CRC-32 check (stored \(Self.hex(entry.crc32)), computed \(Self.hex(UInt32(checksum))))")
        }
    }

    /// Calls `body` with the entry's bytes as the archive stores them (compressed): the identity of
    /// an entry that cannot be inflated.
    func forEachStoredChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = try PositionalFile(path: archive)
        let header = try file.read(30, at: entry.localHeaderOffset)
        guard header.count == 30, header.littleEndian(UInt32.self, at: 0) == Self.localHeaderSignature else {
            throw InputError.zip("the ZIP entry's local header is missing or damaged")
        }
        let start = entry.localHeaderOffset + 30 + UInt64(header.littleEndian(UInt16.self, at: 26))
            + UInt64(header.littleEndian(UInt16.self, at: 28))
        guard start <= file.size, entry.compressedSize <= file.size - start else {
            throw InputError.zip("the ZIP entry's data runs past the end of the archive (truncated?)")
        }
        var buffer = [UInt8](repeating: 0, count: Int(min(entry.compressedSize, UInt64(Self.chunkSize))))
        var done: UInt64 = 0
        while done < entry.compressedSize {
            let wanted = Int(min(entry.compressedSize - done, UInt64(buffer.count)))
            try buffer.withUnsafeMutableBytes { raw in
                let slice = UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted])
                guard try file.read(into: slice, at: start + done) == wanted else {
                    throw InputError.zip("the ZIP entry's data runs past the end of the archive (truncated?)")
                }
                try body(UnsafeRawBufferPointer(slice))
            }
            done += UInt64(wanted)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Raw deflate (no zlib or gzip wrapper), the only compression ZIP entries use here.
private final class RawInflater {
    private let stream: InflateStream
    private(set) var ended = false

    /// Sized to the entry when small, so a receipt inflates in one call without a large buffer.
    init(outputSize: Int) throws {
        guard let stream = InflateStream(windowBits: -15, outputSize: outputSize) else { throw InputError.zip("zlib could not start") }
        self.stream = stream
    }

    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !input.isEmpty else { return }
        guard !ended else { throw InputError.zip("the ZIP entry has data past the end of its deflate stream") }
        do {
            if case let .streamEnd(left) = try stream.inflate(input, body) {
                ended = true
                guard left == 0 else { throw InputError.zip("the ZIP entry has data past the end of its deflate stream") }
            }
        } catch let corrupt as InflateStream.Corrupt {
            throw InputError.zip("the ZIP entry's deflate data is corrupt (\(corrupt.message))")
        }
    }
}
