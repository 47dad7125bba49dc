/// Why a report could not be written.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operating system refused a read or write.
    case io(path: String, reason: String)
    /// A report name that would land outside `OUT/<as-of>/`.
    case escapes(name: String)
    /// zlib refused to start or to compress.
    case compression(String)
    /// `--creditor` names a creditor the last reconciliation did not serve.
    case notServed(fiscalCode: String, served: [String])

    public var description: String {
        switch self {
        case let .io(path, reason): return "cannot write \(path): \(reason)"
        case let .escapes(name): return "report name \(name) would leave the report folder"
        case let .compression(reason): return "gzip: \(reason)"
        case let .notServed(fiscalCode, served):
            return "\(fiscalCode) is not a creditor the last reconciliation served (\(served.isEmpty ? "none" : served.joined(separator: ", ")))"
        }
    }
}
