/// One item of the investigation list: what is wrong, how badly, where, and by how much.
public struct Discrepancy: Sendable, Equatable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case error, warning, info

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var code: String
    public var severity: Severity
    /// The transfer key concerned, when it is about one key.
    public var key: TransferKey?
    /// The flow concerned (its id), when it is about a flow.
    public var flowId: String?
    /// The PSP of that flow: flow ids are unique only per PSP and creditor.
    public var pspId: String?
    /// The creditor, for flow- and movement-level items that have no key.
    public var creditor: String?
    /// The bank's reference of the movement concerned.
    public var treasuryReference: String?
    /// The IUV a movement-level item's credit names (`/RFB/`), so that it is found by IUV; a key's is its key's.
    public var iuv: String?
    /// The earlier, reference side's amount (position against receipt, receipt against flow row, flow total against credit).
    public var expectedCents: Int64?
    public var actualCents: Int64?
    public var message: String

    /// A discrepancy of `code`, as grave as the code usually is unless `severity` says otherwise.
    public init(_ code: DiscrepancyCode, _ severity: Severity? = nil, key: TransferKey? = nil, flowId: String? = nil,
                pspId: String? = nil, creditor: String? = nil, treasuryReference: String? = nil, iuv: String? = nil,
                expected: Int64? = nil, actual: Int64? = nil, message: String) {
        self.code = code.rawValue
        self.severity = severity ?? code.severity
        self.key = key
        self.flowId = flowId
        self.pspId = pspId
        self.creditor = creditor ?? key?.creditor
        self.treasuryReference = treasuryReference
        self.iuv = key?.iuv ?? iuv
        self.expectedCents = expected
        self.actualCents = actual
        self.message = message
    }

    /// The item that raised it: a run resolves only the discrepancies of the items it classified,
    /// so a key, flow, movement or position that nothing touched keeps its discrepancies as they were.
    public var item: String {
        if let key, key.transferIndex > 0 { return Self.item(key: key) }
        if let key { return Self.item(option: key.iuv, creditor: creditor ?? key.creditor) }
        if let treasuryReference { return Self.item(movement: treasuryReference, creditor: creditor) }
        if let flowId { return Self.item(flow: flowId, psp: pspId ?? "", creditor: creditor) }
        return Self.item(creditor: creditor ?? "")
    }

    /// A creditor-wide discrepancy (`SOURCE_SILENT`) is the creditor's own item.
    public static func item(creditor: String) -> String { "creditor:\(creditor)" }

    public static func item(key: TransferKey) -> String { "key:\(key)" }
    /// A position's discrepancy names one of its options: the position's paid options are its items.
    public static func item(option iuv: String, creditor: String) -> String { "option:\(creditor)/\(iuv)" }
    public static func item(movement reference: String, creditor: String?) -> String { "movement:\(creditor ?? "")/\(reference)" }
    public static func item(flow flowId: String, psp: String, creditor: String?) -> String { "flow:\(creditor ?? "")/\(psp)/\(flowId)" }

    /// Escalation is not resolution: a discrepancy gone from its item while the item raised tonight a
    /// new one as grave or graver (`TES_PARTIAL` → `TES_AMOUNT_MISMATCH`, `FDR_OVERDUE` →
    /// `RT_IUF_AMOUNT_MISMATCH`) was replaced by it; the gravest such code, else nil (resolved).
    public static func replacement(of code: String, severity: Severity, among raisedTonight: [Discrepancy]) -> String? {
        raisedTonight.filter { $0.code != code && $0.severity <= severity }
            .min { ($0.severity, $0.code) < ($1.severity, $1.code) }?.code
    }

    /// What makes two runs' items the same item: the amounts and message may move, the identity does not.
    public var identity: String {
        [code, creditor ?? "", key?.description ?? "", pspId ?? "", flowId ?? "", treasuryReference ?? ""].joined(separator: "|")
    }
}
