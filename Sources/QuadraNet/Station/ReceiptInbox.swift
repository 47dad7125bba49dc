import Foundation
import QuadraKit
#if canImport(Glibc)
import Glibc
#endif

/// The inbox folder the broadcast station writes accepted receipts into, one file per receipt, and
/// the index of what it already holds, so that a receipt pagoPA sends again is answered as a
/// duplicate and never written twice.
///
/// ```swift
/// let inbox = try ReceiptInbox(folder: "/var/lib/quadra/inbox")
/// switch try inbox.store(receipt, creditor: "80000000002", body: bytes) { … }
/// ```
///
/// A receipt lands as `DIR/YYYY/MM/DD/<creditor>_<receiptId>_<digest>.xml` (the Italian day of
/// arrival; the request body as received, SOAP envelope and all): written under a hidden temporary
/// name, `fsync`ed, renamed, and the folder `fsync`ed before `store` returns, so an OK is never
/// sent for a file a crash can lose. The name carries the receipt id and the first 16 hex digits of
/// the receipt's content digest, so the index is rebuilt at start from names alone, without
/// reading a file. Files moved out by `quadra run --archive` leave the index at the next start: a
/// receipt sent again after that lands again, and ingestion files it as a duplicate.
public final class ReceiptInbox: @unchecked Sendable {
    public enum Delivery: Equatable, Sendable {
        case stored(path: String)
        /// The same receipt (same id, same content) is already in the inbox.
        case duplicate(path: String)
        /// Another receipt with the same id is already in the inbox.
        case conflict(path: String)
    }

    public let folder: String
    private let mode: mode_t
    /// Guards `known` and `writing`; waiters on it are deliveries of a receipt being written.
    private let condition = NSCondition()
    private var known: [String: (digest: String, path: String)] = [:]
    /// Receipt ids being written now: a second delivery of one waits for the first to land.
    private var writing: Set<String> = []

    /// Scans the folder for receipts written before (and removes temporary files a crash left).
    public init(folder: String, groupReadable: Bool = false) throws {
        self.folder = folder
        mode = groupReadable ? 0o640 : 0o600
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("."), name.contains(".xml.tmp-") {
                // Only a dead writer's: `quadra fetch` writes its receipts here under the same names.
                if AtomicFile.isOrphan(name) { unlink("\(folder)/\(relative)") }
            } else if let (receiptId, digest) = Self.parse(name) {
                known[receiptId] = (digest, "\(folder)/\(relative)")
            }
        }
    }

    /// How many receipts the inbox holds.
    public var count: Int {
        condition.withLock { known.count }
    }

    /// Writes a receipt durably unless the inbox holds one with its id already.
    /// - Parameter body: the bytes to write (the request as received).
    public func store(_ receipt: Receipt, creditor: String, body: [UInt8], now: Date = Date()) throws -> Delivery {
        let digest = String(receipt.contentDigest.prefix(16))
        let id = receipt.receiptId
        if let earlier = reserve(id, digest: digest) { return earlier }
        var landed: String?
        defer { release(id, digest: digest, path: landed) }
        let day = RomeTime.localDate(ofUTC: RomeTime.utc(fromEpochSeconds: Int64(now.timeIntervalSince1970)))!.description
        let dayFolder = try makeFolder(day.split(separator: "-").map(String.init))
        let path = "\(dayFolder)/\(creditor)_\(id)_\(digest).xml"
        let file = try AtomicFile(path: path, mode: mode, hiddenWhileWritten: true)
        try file.write(body)
        _ = try file.commit()
        landed = path
        return .stored(path: path)
    }

    /// Marks a receipt id as being written, or tells what the inbox already holds under it.
    private func reserve(_ id: String, digest: String) -> Delivery? {
        condition.lock()
        defer { condition.unlock() }
        while writing.contains(id) { condition.wait() }
        if let earlier = known[id] {
            return earlier.digest == digest ? .duplicate(path: earlier.path) : .conflict(path: earlier.path)
        }
        writing.insert(id)
        return nil
    }

    private func release(_ id: String, digest: String, path: String?) {
        condition.lock()
        writing.remove(id)
        if let path { known[id] = (digest, path) }
        condition.broadcast()
        condition.unlock()
    }

    /// `DIR/YYYY/MM/DD`, each folder created and its parent flushed, so a new day's folder survives a crash.
    private func makeFolder(_ components: [String]) throws -> String {
        var path = folder
        for component in components {
            let parent = path
            path += "/\(component)"
            if mkdir(path, 0o750) == 0 {
                let descriptor = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if descriptor >= 0 {
                    fsync(descriptor)
                    close(descriptor)
                }
            } else if errno != EEXIST {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        return path
    }

    /// Receipt id and digest prefix from `<creditor>_<receiptId>_<digest>.xml`.
    static func parse(_ name: String) -> (String, String)? {
        guard name.hasSuffix(".xml"), !name.hasPrefix(".") else { return nil }
        let stem = name.dropLast(4)
        guard let first = stem.firstIndex(of: "_"), let last = stem.lastIndex(of: "_"), first < last else { return nil }
        let receiptId = String(stem[stem.index(after: first)..<last])
        let digest = String(stem[stem.index(after: last)...])
        guard digest.count == 16, isUsableReceiptId(receiptId) else { return nil }
        return (receiptId, digest)
    }

    /// A receipt id that can be part of a file name: letters, digits, `-` and `_`, at most 64 (pagoPA's are 35 at most).
    public static func isUsableReceiptId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}

private extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
    }
}
