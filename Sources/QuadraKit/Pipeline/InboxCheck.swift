#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// What makes an inbox trustworthy before a night is read from it (`[inbox]` in `quadra.toml`). An
/// inbox on a network share that failed to mount is an empty local folder: without a check the
/// night would reconcile nothing new and exit 0.
///
/// ```toml
/// [inbox]
/// require_mount = true          # the inbox folder is itself a mount point
/// sentinel = ".quadra-inbox"    # a file that exists only on the real share
/// ```
public struct InboxCheck: Sendable, Equatable {
    public var requireMount = false
    public var sentinel: String?

    public init(requireMount: Bool = false, sentinel: String? = nil) {
        self.requireMount = requireMount
        self.sentinel = sentinel
    }

    /// Why the inbox at `path` cannot be trusted (exit 74).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Throws when the folder is missing, not a folder, not a mount point when one is required, or
    /// lacks its sentinel. (An inbox with no document is judged after listing, see `NightlyRun`.)
    public func verify(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "inbox \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Problem(description: "inbox \(path) is not a folder") }
        if requireMount {
            let table = FileManager.default.contents(atPath: "/proc/self/mountinfo").map { String(decoding: $0, as: UTF8.self) }
            guard Self.isMountPoint(path, mountInfo: table) else {
                throw Problem(description: "inbox \(path) is not a mount point ([inbox] require_mount): is the share mounted?")
            }
        }
        if let sentinel {
            var marker = stat()
            guard stat(path + "/" + sentinel, &marker) == 0 else {
                throw Problem(description: "inbox \(path) has no \(sentinel) ([inbox] sentinel): is the share mounted?")
            }
        }
    }

    /// A folder on another device than its parent's is a mount point, and so is `/`. A bind mount
    /// (a share mounted elsewhere and bound into place, as containers and many NAS setups do) is on
    /// its parent's device, and only the kernel's mount table tells it: on Linux every mount point is
    /// listed in `/proc/self/mountinfo` (proc(5)), given as `mountInfo` when it exists.
    static func isMountPoint(_ path: String, mountInfo: String?) -> Bool {
        var info = stat(), parent = stat()
        guard stat(path, &info) == 0 else { return false }
        if stat(path + "/..", &parent) == 0, parent.st_dev != info.st_dev || parent.st_ino == info.st_ino { return true }
        guard let mountInfo, let resolved = realpath(path, nil) else { return false }
        defer { free(resolved) }
        return mountPoints(inMountInfo: mountInfo).contains(String(cString: resolved))
    }

    /// The mount points a `/proc/self/mountinfo` lists: the fifth field of each line, with the
    /// kernel's octal escapes (`\040` for a space, `\011`, `\012`, `\134`) undone.
    static func mountPoints(inMountInfo table: String) -> Set<String> {
        Set(table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 4 ? unescaped(fields[4]) : nil
        })
    }

    private static func unescaped(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var rest = Array(field.utf8)[...]
        while let byte = rest.popFirst() {
            let digits = rest.prefix(3)
            let octal = digits.count == 3 && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }
            let value = digits.reduce(0) { $0 << 3 | Int($1 & 7) }
            if byte == UInt8(ascii: "\\"), octal, value <= 255 {
                bytes.append(UInt8(value))
                rest = rest.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
