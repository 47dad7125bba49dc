/// What a reconciliation run found, in numbers: for the run's summary line and the manifest.
public struct ReconciliationSummary: Sendable, Codable, Equatable {
    public var asOf: String
    /// False when every key of the look-back was classified (a first run, or `--full`).
    public var incremental = false
    /// Keys classified by this run (touched since the previous run, or still open).
    public var keys = 0
    /// Among them, those whose verdict row was written because it changed.
    public var changedKeys = 0
    public var keysByState: [String: Int] = [:]
    public var keysByLabel: [String: Int] = [:]
    /// Receipt amounts summed per state (keys with no receipt add nothing).
    public var centsByState: [String: Int64] = [:]
    /// Discrepancies by status (`new`, `open`, `resolved` or `escalated` today).
    public var discrepancies: [String: Int] = [:]

    public init(asOf: String) {
        self.asOf = asOf
    }

    mutating func count(_ verdict: Classifier.Verdict, rtAmount: Int64, changed: Bool) {
        keys += 1
        if changed { changedKeys += 1 }
        keysByState[verdict.state.rawValue, default: 0] += 1
        keysByLabel[verdict.label?.rawValue ?? "(none)", default: 0] += 1
        centsByState[verdict.state.rawValue, default: 0] += rtAmount
    }

    /// One line for logs. The states count the keys classified, so they stand beside them, not
    /// beside the changed ones (they once did, and summed to more than those).
    public var line: String {
        let states = KeyState.allCases.map { "\($0.rawValue.lowercased()) \(keysByState[$0.rawValue] ?? 0)" }.joined(separator: ", ")
        let items = ["new", "open", "resolved", "escalated"].map { "\($0) \(discrepancies[$0] ?? 0)" }.joined(separator: ", ")
        return "as of \(asOf): \(keys) keys classified (\(incremental ? "" : "all; ")\(states)), \(changedKeys) changed; discrepancies \(items)"
    }
}
