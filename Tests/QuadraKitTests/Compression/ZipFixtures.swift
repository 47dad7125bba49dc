import Foundation
import Testing
@testable import QuadraKit

/// ZIP archives built in the tests with `ZipWriter`, and the surgery that breaks one field of them.
enum ZipFixtures {
    /// Packs every document of `folder` (as the ingest lists it, so in the same order) into a new
    /// archive, each entry named by its path below the folder.
    static func pack(_ folder: URL, into archive: URL, extra: [(name: String, bytes: [UInt8])] = []) throws {
        let writer = try ZipWriter(path: archive.path)
        var documents = try InputFiles.list([folder.path]).documents()
        while let file = documents.next() {
            try writer.append(try Data(contentsOf: URL(fileURLWithPath: file.path)), as: String(file.path.dropFirst(folder.path.count + 1)))
        }
        for (name, bytes) in extra { try writer.append(bytes, as: name) }
        try writer.close()
    }

    static func write(_ entries: [(name: String, bytes: [UInt8])], to archive: URL) throws {
        let writer = try ZipWriter(path: archive.path)
        for (name, bytes) in entries { try writer.append(bytes, as: name) }
        try writer.close()
    }

    /// Overwrites bytes of the central directory record of the entry `name`, at `field` bytes into it
    /// (8 flags, 16 CRC-32, 24 uncompressed size).
    static func patchDirectory(of archive: URL, entry name: String, field: Int, with bytes: [UInt8]) throws {
        var data = try Data(contentsOf: archive)
        let signature: [UInt8] = [0x50, 0x4b, 0x01, 0x02]
        let nameBytes = Array(name.utf8)
        let record = try #require(data.indices.dropLast(46).first { start in
            Array(data[start..<start + 4]) == signature
                && uint16(data, at: start + 28) == nameBytes.count
                && Array(data[(start + 46)..<(start + 46 + nameBytes.count)]) == nameBytes
        })
        data.replaceSubrange((record + field)..<(record + field + bytes.count), with: bytes)
        try data.write(to: archive)
    }

    /// Flips the bits of one byte in the middle of the entry's stored (compressed) data.
    static func corruptData(of archive: URL, entry name: String) throws {
        let entry = try #require(try ZipDirectory.entries(of: archive.path).first { $0.name == name })
        var data = try Data(contentsOf: archive)
        let header = Int(entry.localHeaderOffset)
        let start = header + 30 + uint16(data, at: header + 26) + uint16(data, at: header + 28)
        data[start + Int(entry.compressedSize) / 2] ^= 0xFF
        try data.write(to: archive)
    }

    private static func uint16(_ data: Data, at offset: Int) -> Int {
        Int(data[offset]) | Int(data[offset + 1]) << 8
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// An archive of stored entries written byte by byte, whose directory may declare, in a ZIP64
    /// extra field, any size or local header offset: what a hostile or broken archiver can write.
    static func stored(_ entries: [(name: String, bytes: [UInt8], declaredSize: UInt64?, declaredOffset: UInt64?)]) -> [UInt8] {
        func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le(_ value: Int, _ count: Int) -> [UInt8] { le(UInt64(value), count) }
        var archive: [UInt8] = [], directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8), offset = archive.count, size = entry.bytes.count
            // signature, version, flags, method (stored), time and date, CRC-32, sizes, name, extra
            archive += le(0x0403_4b50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(size, 4) + le(size, 4)
                + le(name.count, 2) + le(0, 2) + name + entry.bytes
            let wide = [entry.declaredSize, entry.declaredOffset].compactMap { $0 }
            let extra = wide.isEmpty ? [] : le(1, 2) + le(8 * wide.count, 2) + wide.flatMap { le($0, 8) }
            directory += le(0x0201_4b50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(size, 4)
                + le(entry.declaredSize == nil ? size : 0xFFFF_FFFF, 4) + le(name.count, 2) + le(extra.count, 2)
                + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(entry.declaredOffset == nil ? offset : 0xFFFF_FFFF, 4) + name + extra
        }
        let start = archive.count
        return archive + directory + le(0x0605_4b50, 4) + le(0, 4) + le(entries.count, 2) + le(entries.count, 2)
            + le(directory.count, 4) + le(start, 4) + le(0, 2)
    }
}
