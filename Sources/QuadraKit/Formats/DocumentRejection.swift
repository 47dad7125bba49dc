/// Why a document, or one item inside it, was refused: where (element path or line) and what is wrong.
///
/// The reason is one line a clerk can act on; the location lets them find the spot in the file.
public struct DocumentRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Element path such as `receipt/transferList/transfer[2]/transferAmount`, or a JSON path.
    public var element: String?
    public var line: Int?
    public var reason: String

    public init(element: String? = nil, line: Int? = nil, reason: String) {
        self.element = element
        self.line = line
        self.reason = reason
    }

    public var description: String {
        var location: [String] = []
        if let element { location.append(element) }
        if let line, line > 0 { location.append("line \(line)") }
        return location.isEmpty ? reason : "\(location.joined(separator: ", ")): \(reason)"
    }
}
