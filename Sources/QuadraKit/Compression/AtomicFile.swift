import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A file written under a temporary name (`NAME.tmp-<pid>`, same folder; `.NAME.tmp-<pid>` when
/// hidden, so that ingestion passes it over) and renamed into place only once complete and flushed,
/// then the folder flushed, so a half-written file never exists under its final name and a renamed
/// one survives a power cut.
///
/// ```swift
/// let file = try AtomicFile(path: "Reports/2026-11-20/treasury.csv.gz", mode: 0o600)
/// try file.write(bytes)
/// let written = try file.commit()   // size and SHA-256 of what landed
/// ```
///
/// The mode is set with `fchmod`, so the umask cannot widen or narrow it. A file dropped without
/// `commit()` is removed.
public final class AtomicFile {
    /// What landed under the final name.
    public struct Written: Sendable, Equatable {
        public var size: Int
        public var sha256: String
    }

    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var hasher = SHA256()
    private var size = 0

    public init(path: String, mode: mode_t, hiddenWhileWritten: Bool = false) throws {
        self.path = path
        if hiddenWhileWritten, let slash = path.lastIndex(of: "/") {
            temporaryPath = "\(path[...slash]).\(path[path.index(after: slash)...]).tmp-\(getpid())"
        } else {
            temporaryPath = hiddenWhileWritten ? ".\(path).tmp-\(getpid())" : "\(path).tmp-\(getpid())"
        }
        unlink(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw ReportError.io(path: temporaryPath, reason: Self.lastError) }
        guard fchmod(descriptor, mode) == 0 else { throw ReportError.io(path: temporaryPath, reason: Self.lastError) }
    }

    /// Whether `name` is a temporary name (`….tmp-<pid>`) whose writer has gone: a run killed while
    /// writing left it, never renamed into place. A live writer's file is not an orphan, whoever wrote it.
    public static func isOrphan(_ name: String) -> Bool {
        guard let marker = name.range(of: ".tmp-", options: .backwards),
              let pid = Int32(name[marker.upperBound...]), pid > 0 else { return false }
        return !(pid == getpid() || kill(pid, 0) == 0 || errno == EPERM)
    }

    /// Removes the orphans (files or folders) in `folder` whose names begin with `prefix`. The caller
    /// holds the store lock, so no other Quadra command of this store is writing there.
    static func removeOrphans(in folder: String, named prefix: String = "") {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) && isOrphan(name) {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        size += bytes.count
        var offset = 0
        while offset < bytes.count {
            let done = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if done < 0 {
                if errno == EINTR { continue }
                throw ReportError.io(path: temporaryPath, reason: Self.lastError)
            }
            offset += done
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes the bytes to disk, renames the file into place and flushes the folder, so the rename
    /// itself is on disk when this returns.
    public func commit() throws -> Written {
        guard fsync(descriptor) == 0 else { throw ReportError.io(path: temporaryPath, reason: Self.lastError) }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let reason = Self.lastError
            unlink(temporaryPath)
            throw ReportError.io(path: path, reason: reason)
        }
        let folder = open(path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw ReportError.io(path: path, reason: Self.lastError) }
        defer { close(folder) }
        guard fsync(folder) == 0 else { throw ReportError.io(path: path, reason: Self.lastError) }
        return Written(size: size, sha256: hasher.finalize().hexString)
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}

/// The system call, named apart from `AtomicFile.write` so the method can reach it.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
