#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The advisory lock that keeps one writer at a time on a store (`<db>.lock`, `flock`).
///
/// The kernel drops it when the process dies, so a killed run never leaves a stale lock behind.
public final class StoreLock {
    private let descriptor: Int32

    public enum Failure: Error, CustomStringConvertible {
        case held(path: String)
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case let .held(path): return "another Quadra run holds the store lock \(path)"
            case let .cannotOpen(path, reason): return "cannot open lock file \(path): \(reason)"
            }
        }
    }

    /// Takes the lock without waiting; throws `Failure.held` when another process has it.
    ///
    /// The descriptor becomes the lock's only once it holds the lock: a class whose properties are all set
    /// runs its `deinit` when its initializer throws, and that `deinit` closed the refused descriptor a
    /// second time, by then maybe a file another thread had just opened under the same number.
    public init(databasePath: String) throws {
        let path = databasePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Failure.held(path: path)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
