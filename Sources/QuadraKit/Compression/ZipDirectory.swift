/// The entries of a ZIP archive, read from its central directory in one pass: listing an archive of
/// ten thousand receipts costs two reads, however many entries it holds.
///
/// ```swift
/// for entry in try ZipDirectory.entries(of: "inbox/receipts-0001.zip") { print(entry.name) }
/// ```
///
/// ZIP64 archives (over 65,535 entries or 4 GiB) are read; multi-disk archives are refused. A damaged
/// archive throws `InputError.zip` with the reason, so the caller can file it as refused.
enum ZipDirectory {
    /// A central directory larger than this is refused rather than held (about three million entries).
    static let maximumDirectorySize: UInt64 = 256 << 20

    private static let endSignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let entrySignature: UInt32 = 0x0201_4b50

    static func entries(of path: String) throws(InputError) -> [ZipEntry] {
        let file = try PositionalFile(path: path)
        let end = try endRecord(of: file)
        guard end.offset <= end.position, end.size <= end.position - end.offset else {
            throw damaged("its central directory lies outside the file (truncated?)")
        }
        guard end.size <= maximumDirectorySize else { throw damaged("its central directory of \(end.size) bytes is over the limit") }
        guard end.count <= end.size / 46 else { throw damaged("its central directory is too small for \(end.count) entries") }
        let directory = try file.read(Int(end.size), at: end.offset)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(end.count))
        var offset = 0
        for index in stride(from: UInt64(1), through: end.count, by: 1) {
            guard offset + 46 <= directory.count, directory.littleEndian(UInt32.self, at: offset) == entrySignature else {
                throw damaged("central directory entry \(index) of \(end.count) is damaged")
            }
            let nameLength = Int(directory.littleEndian(UInt16.self, at: offset + 28))
            let extraLength = Int(directory.littleEndian(UInt16.self, at: offset + 30))
            let commentLength = Int(directory.littleEndian(UInt16.self, at: offset + 32))
            let next = offset + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw damaged("central directory entry \(index) of \(end.count) is cut short") }
            entries.append(try entry(in: directory, at: offset, nameLength: nameLength, extraLength: extraLength))
            offset = next
        }
        return entries
    }

    private static func damaged(_ reason: String) -> InputError {
        .zip("not a readable ZIP archive: \(reason)")
    }

    /// Where the central directory lies and how many entries it lists, from the end record (and
    /// the ZIP64 end record when a field overflows); `position` is where those records begin.
    private static func endRecord(of file: borrowing PositionalFile) throws(InputError) -> (count: UInt64, size: UInt64, offset: UInt64, position: UInt64) {
        let tailLength = min(file.size, 22 + 0xFFFF)
        let tailStart = file.size - tailLength
        let tail = try file.read(Int(tailLength), at: tailStart)
        guard tail.count >= 22,
              let found = stride(from: tail.count - 22, through: 0, by: -1).first(where: { index in
                  tail.littleEndian(UInt32.self, at: index) == endSignature
                      && index + 22 + Int(tail.littleEndian(UInt16.self, at: index + 20)) <= tail.count
              })
        else { throw damaged("no end of central directory record (truncated, or not a ZIP file)") }
        guard tail.littleEndian(UInt16.self, at: found + 4) == 0, tail.littleEndian(UInt16.self, at: found + 6) == 0 else {
            throw damaged("it spans several disks")
        }
        var count = UInt64(tail.littleEndian(UInt16.self, at: found + 10))
        var size = UInt64(tail.littleEndian(UInt32.self, at: found + 12))
        var offset = UInt64(tail.littleEndian(UInt32.self, at: found + 16))
        var position = tailStart + UInt64(found)
        guard count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF else { return (count, size, offset, position) }
        guard position >= 20 else { throw damaged("its ZIP64 end record is missing") }
        let locator = try file.read(20, at: position - 20)
        guard locator.count == 20, locator.littleEndian(UInt32.self, at: 0) == zip64LocatorSignature else {
            throw damaged("its ZIP64 end record is missing")
        }
        let recordOffset = locator.littleEndian(UInt64.self, at: 8)
        guard recordOffset < position else { throw damaged("its ZIP64 end record is damaged") }
        let record = try file.read(56, at: recordOffset)
        guard record.count == 56, record.littleEndian(UInt32.self, at: 0) == zip64EndSignature else {
            throw damaged("its ZIP64 end record is damaged")
        }
        count = record.littleEndian(UInt64.self, at: 32)
        size = record.littleEndian(UInt64.self, at: 40)
        offset = record.littleEndian(UInt64.self, at: 48)
        position = recordOffset
        return (count, size, offset, position)
    }

    private static func entry(in directory: [UInt8], at offset: Int, nameLength: Int, extraLength: Int) throws(InputError) -> ZipEntry {
        let name = String(decoding: directory[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
        var compressedSize = UInt64(directory.littleEndian(UInt32.self, at: offset + 20))
        var uncompressedSize = UInt64(directory.littleEndian(UInt32.self, at: offset + 24))
        var localHeaderOffset = UInt64(directory.littleEndian(UInt32.self, at: offset + 42))
        if uncompressedSize == 0xFFFF_FFFF || compressedSize == 0xFFFF_FFFF || localHeaderOffset == 0xFFFF_FFFF {
            var values = zip64Values(in: directory, from: offset + 46 + nameLength, length: extraLength).makeIterator()
            func widened(_ value: UInt64) throws(InputError) -> UInt64 {
                guard value == 0xFFFF_FFFF else { return value }
                guard let wide = values.next() else { throw damaged("entry \(name) lacks its ZIP64 sizes") }
                return wide
            }
            uncompressedSize = try widened(uncompressedSize)
            compressedSize = try widened(compressedSize)
            localHeaderOffset = try widened(localHeaderOffset)
        }
        return ZipEntry(name: name, kind: kind(in: directory, at: offset, name: name),
                        flags: directory.littleEndian(UInt16.self, at: offset + 8),
                        method: directory.littleEndian(UInt16.self, at: offset + 10),
                        crc32: directory.littleEndian(UInt32.self, at: offset + 16),
                        compressedSize: compressedSize, uncompressedSize: uncompressedSize,
                        localHeaderOffset: localHeaderOffset)
    }

    /// The 64-bit values of the ZIP64 extra field (id 1), in the order the format lists them.
    private static func zip64Values(in directory: [UInt8], from start: Int, length: Int) -> [UInt64] {
        var field = start
        while field + 4 <= start + length {
            let id = directory.littleEndian(UInt16.self, at: field)
            let size = Int(directory.littleEndian(UInt16.self, at: field + 2))
            guard field + 4 + size <= start + length else { return [] }
            if id == 1 {
                return stride(from: field + 4, to: field + 4 + size - 7, by: 8).map { directory.littleEndian(UInt64.self, at: $0) }
            }
            field += 4 + size
        }
        return []
    }

    /// Unix-made archives carry the file mode in the upper half of the external attributes; others
    /// mark a directory by the MS-DOS attribute bit or a trailing slash.
    private static func kind(in directory: [UInt8], at offset: Int, name: String) -> ZipEntry.Kind {
        let host = directory.littleEndian(UInt16.self, at: offset + 4) >> 8
        let external = directory.littleEndian(UInt32.self, at: offset + 38)
        if host == 3 || host == 19 {
            switch (external >> 16) & 0o170000 {
            case 0o040000: return .directory
            case 0o120000: return .symbolicLink
            case 0o100000: return .file
            default: break
            }
        }
        return name.hasSuffix("/") || (host == 0 && external & 0x10 != 0) ? .directory : .file
    }
}
