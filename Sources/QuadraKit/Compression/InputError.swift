/// Why the bytes of an input could not be read at all (as opposed to read but refused).
public enum InputError: Error, CustomStringConvertible, Sendable {
    case io(path: String, reason: String)
    case gzip(String)
    /// A ZIP archive whose directory cannot be read, or an entry of it that cannot be inflated.
    case zip(String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "cannot read \(path): \(reason)"
        case let .gzip(reason), let .zip(reason): return reason
        }
    }
}
