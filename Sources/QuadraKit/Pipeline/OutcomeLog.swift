#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// What became of each document of an ingest, in reading order, spooled to a temporary file instead of
/// held in memory: a night of a million receipts made a million outcomes (path, hash, reason: about
/// 300 bytes each, with the manifest's copy of them over 1 GB at that size), and the night's cost must
/// follow what it reads, not hold it. The file is unlinked as soon as it is created (nothing is left
/// behind whatever happens) and owner-only while it exists; reading it back is one sequential pass.
///
/// Appended to by the ingest that owns it, on one thread, and read once that ingest has returned.
public final class OutcomeLog: @unchecked Sendable {
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var written: Int64 = 0
    /// How many outcomes were appended.
    public private(set) var count = 0

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/quadra-outcomes-XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw InputError.io(path: NSTemporaryDirectory(), reason: "cannot create a spool file: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        pending.reserveCapacity(Self.flushSize)
    }

    deinit { close(descriptor) }

    private static let flushSize = 256 << 10

    func append(_ outcome: DocumentOutcome) throws {
        Self.put(outcome.path, into: &pending)
        Self.put(outcome.kind.rawValue, into: &pending)
        Self.put(outcome.sha256, into: &pending)
        Self.put(Int64(outcome.size), into: &pending)
        Self.put(outcome.status.rawValue, into: &pending)
        Self.put(outcome.reason, into: &pending)
        Self.put(Int64(outcome.records), into: &pending)
        Self.put(Int64(outcome.quarantined.count), into: &pending)
        for item in outcome.quarantined { Self.put(item, into: &pending) }
        count += 1
        if pending.count >= Self.flushSize { try flush() }
    }

    /// Calls `body` with each outcome, in the order they were appended.
    public func forEach(_ body: (DocumentOutcome) throws -> Void) throws {
        try flush()
        var reader = Reader(descriptor: descriptor, end: written)
        for _ in 0..<count { try body(try reader.outcome()) }
    }

    private func flush() throws {
        var offset = 0
        while offset < pending.count {
            let done = pending[offset...].withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(written) + off_t(offset)) }
            guard done > 0 else { throw InputError.io(path: "spool", reason: "cannot write the ingest's outcomes: \(String(cString: strerror(errno)))") }
            offset += done
        }
        written += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    private static func put(_ value: Int64, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A string as its UTF-8 length and bytes; nil as length -1.
    private static func put(_ value: String?, into bytes: inout [UInt8]) {
        guard var text = value else { return put(Int64(-1), into: &bytes) }
        text.withUTF8 { utf8 in
            put(Int64(utf8.count), into: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    /// Reads the spool back through a buffer, in order.
    private struct Reader {
        let descriptor: Int32
        let end: Int64
        var offset: Int64 = 0
        var buffer: [UInt8] = []
        var position = 0

        init(descriptor: Int32, end: Int64) {
            self.descriptor = descriptor
            self.end = end
        }

        mutating func outcome() throws -> DocumentOutcome {
            let path = try string() ?? ""
            let kind = DocumentKind(rawValue: try string() ?? "") ?? .unknown
            let sha256 = try string() ?? ""
            let size = Int(try integer())
            let status = DocumentOutcome.Status(rawValue: try string() ?? "") ?? .rejected
            let reason = try string()
            let records = Int(try integer())
            let quarantined = try (0..<Int(try integer())).map { _ in try string() ?? "" }
            return DocumentOutcome(path: path, kind: kind, sha256: sha256, size: size, status: status, reason: reason,
                                   records: records, quarantined: quarantined)
        }

        private mutating func integer() throws -> Int64 {
            let bytes = try take(8)
            return bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
        }

        private mutating func string() throws -> String? {
            let length = try integer()
            guard length >= 0 else { return nil }
            return String(decoding: try take(Int(length)), as: UTF8.self)
        }

        private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            if buffer.count - position < count {
                let wanted = Int(min(Int64(max(count, 256 << 10)), end - offset))
                var fresh = Array(buffer[position...])
                let start = fresh.count
                fresh.append(contentsOf: repeatElement(0, count: wanted))
                let read = fresh.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + start, wanted, off_t(offset)) }
                guard read >= 0, start + read >= count else {
                    throw InputError.io(path: "spool", reason: "cannot read the ingest's outcomes back")
                }
                offset += Int64(read)
                fresh.removeLast(wanted - read)
                buffer = fresh
                position = 0
            }
            defer { position += count }
            return buffer[position..<(position + count)]
        }
    }
}
