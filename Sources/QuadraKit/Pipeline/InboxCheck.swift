#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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
            var parent = stat()
            guard stat(path + "/..", &parent) == 0, parent.st_dev != info.st_dev || parent.st_ino == info.st_ino else {
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
}
