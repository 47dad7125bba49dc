/// What a reconciliation run found, in numbers: for the run's summary line and the manifest.
public struct ReconciliationSummary: Sendable, Codable, Equatable {
    public var asOf: String
    public var keys = 0
    public var keysByState: [String: Int] = [:]
    public var keysByLabel: [String: Int] = [:]
    /// Receipt amounts summed per state (keys with no receipt add nothing).
    public var centsByState: [String: Int64] = [:]
    /// Discrepancies by status (`new`, `open`, `resolved` today).
    public var discrepancies: [String: Int] = [:]

    public init(asOf: String) {
        self.asOf = asOf
    }

    mutating func count(_ verdict: Classifier.Verdict, rtAmount: Int64) {
        keys += 1
        keysByState[verdict.state.rawValue, default: 0] += 1
        keysByLabel[verdict.label?.rawValue ?? "(none)", default: 0] += 1
        centsByState[verdict.state.rawValue, default: 0] += rtAmount
    }

    /// One line for logs.
    public var line: String {
        let states = KeyState.allCases.map { "\($0.rawValue.lowercased()) \(keysByState[$0.rawValue] ?? 0)" }.joined(separator: ", ")
        let items = ["new", "open", "resolved"].map { "\($0) \(discrepancies[$0] ?? 0)" }.joined(separator: ", ")
        return "as of \(asOf): \(keys) keys (\(states)); discrepancies \(items)"
    }
}
