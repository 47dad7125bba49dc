/// The rules for a flow's credit and for treasury movements: discrepancies raised once per flow or
/// per movement, never once per key.
extension Classifier {
    /// A current flow of a served creditor, with what was credited for it.
    public struct FlowEvidence: Sendable, Equatable {
        public var creditor: String
        public var flowId: String
        public var pspId: String
        public var settlementDate: CivilDate?
        /// Sum of the flow's current rows.
        public var totalCents: Int64
        /// Credits naming the flow, net of reversals.
        public var creditedCents: Int64
        public var findings: [FlowFinding]
        public var creditorExpectsTreasury: Bool

        public init(creditor: String, flowId: String, pspId: String, settlementDate: CivilDate?, totalCents: Int64,
                    creditedCents: Int64, findings: [FlowFinding] = [], creditorExpectsTreasury: Bool = true) {
            self.creditor = creditor
            self.flowId = flowId
            self.pspId = pspId
            self.settlementDate = settlementDate
            self.totalCents = totalCents
            self.creditedCents = creditedCents
            self.findings = findings
            self.creditorExpectsTreasury = creditorExpectsTreasury
        }
    }

    /// Whether a flow's credit is complete, pending, partial or wrong; and its findings as discrepancies.
    public func classify(_ flow: FlowEvidence) -> [Discrepancy] {
        var found = flow.findings.map { finding in
            Discrepancy(finding.code.rawValue, Self.severity(of: finding.code), flowId: flow.flowId, pspId: flow.pspId,
                        creditor: flow.creditor, message: "flow \(flow.flowId): \(finding.detail)")
        }
        guard flow.creditorExpectsTreasury else { return found }
        let due = flow.settlementDate.map(deadlines.creditDue(settlementDate:))
        let overdue = due.map(isOverdue) ?? false
        func raise(_ code: String, _ severity: Discrepancy.Severity, _ message: String) {
            found.append(Discrepancy(code, severity, flowId: flow.flowId, pspId: flow.pspId, creditor: flow.creditor,
                                     expected: flow.totalCents, actual: flow.creditedCents, message: message))
        }
        let dueText = due.map { "by \($0)" } ?? "(no settlement date)"
        if flow.creditedCents == 0 {
            if overdue { raise("TES_OVERDUE", .error, "flow \(flow.flowId) of \(Money.format(flow.totalCents)) not credited \(dueText)") }
        } else if flow.creditedCents > flow.totalCents {
            raise("TES_AMOUNT_MISMATCH", .error, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)), more than its \(Money.format(flow.totalCents))")
        } else if flow.creditedCents < flow.totalCents {
            if overdue {
                raise("TES_AMOUNT_MISMATCH", .error, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)) of \(Money.format(flow.totalCents)) \(dueText)")
            } else {
                raise("TES_PARTIAL", .warning, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)) of \(Money.format(flow.totalCents)) so far, due \(dueText)")
            }
        }
        return found
    }

    /// A treasury credit and whether its causale names something the store knows.
    public struct MovementEvidence: Sendable, Equatable {
        public enum Reference: Sendable, Equatable {
            case flow(String)
            case payment(String)
            case none
        }

        public var creditor: String?
        public var reference: String
        public var amountCents: Int64
        public var causale: String
        public var parsed: Reference
        /// The flow or IUV named is known to the store for this creditor.
        public var known: Bool
        /// For a flow credit: the flow's credited total differs from its rows.
        public var flowCreditDiffers: Bool
        /// The bank reversed this credit (STORNATO / RvslInd): the money is gone again.
        public var reversed: Bool

        public init(creditor: String?, reference: String, amountCents: Int64, causale: String, parsed: Reference,
                    known: Bool, flowCreditDiffers: Bool = false, reversed: Bool = false) {
            self.creditor = creditor
            self.reference = reference
            self.amountCents = amountCents
            self.causale = causale
            self.parsed = parsed
            self.known = known
            self.flowCreditDiffers = flowCreditDiffers
            self.reversed = reversed
        }
    }

    /// The movement-level label (`MATCHED`, `IUF_TES_DIV_IMP`, `TES_NO_IUF_OR_IUV`, `TES_NO_MATCH`) and its discrepancy.
    public func classify(_ movement: MovementEvidence) -> (label: String, discrepancy: Discrepancy?) {
        func raise(_ code: String, _ severity: Discrepancy.Severity, _ message: String) -> Discrepancy {
            Discrepancy(code, severity, creditor: movement.creditor, treasuryReference: movement.reference,
                        actual: movement.amountCents, message: message)
        }
        switch movement.parsed {
        case .none:
            return ("TES_NO_MATCH", raise("CAUSALE_UNPARSEABLE", .warning,
                                          "credit \(movement.reference) of \(Money.format(movement.amountCents)) carries no pagoPA reference: '\(movement.causale)'"))
        case let .flow(id) where !movement.known, let .payment(id) where !movement.known:
            let reversed = movement.reversed ? " (since reversed by the bank)" : ""
            return ("TES_NO_IUF_OR_IUV", raise("TES_UNKNOWN_REFERENCE", movement.reversed ? .info : .error,
                                               "credit \(movement.reference) of \(Money.format(movement.amountCents)) names \(id), which no flow or payment of the creditor carries\(reversed)"))
        default:
            return (movement.flowCreditDiffers ? "IUF_TES_DIV_IMP" : "MATCHED", nil)
        }
    }

    /// Totals and counts that do not add up make a flow untrustworthy; the rest is for the record.
    static func severity(of code: FlowFinding.Code) -> Discrepancy.Severity {
        switch code {
        case .countMismatch, .totalMismatch, .duplicateRow, .badRow, .badHeader: return .error
        case .badId, .unknownOutcome, .unknownReceiver: return .warning
        }
    }
}

extension Classifier {
    /// What was paid on one debt position: its paid options, whether each is an instalment, and how
    /// many distinct receipts paid each.
    public struct PositionPayments: Sendable, Equatable {
        public struct Option: Sendable, Equatable {
            public var iuv: String
            public var isPartialPayment: Bool
            public var receipts: Int
            public var paidCents: Int64

            public init(iuv: String, isPartialPayment: Bool, receipts: Int, paidCents: Int64) {
                self.iuv = iuv
                self.isPartialPayment = isPartialPayment
                self.receipts = receipts
                self.paidCents = paidCents
            }
        }

        public var creditor: String
        public var iupd: String
        public var paidOptions: [Option]

        public init(creditor: String, iupd: String, paidOptions: [Option]) {
            self.creditor = creditor
            self.iupd = iupd
            self.paidOptions = paidOptions
        }
    }

    /// A position is paid once: by its single option, or by the instalments of one plan. An option
    /// paid twice, or a single option paid beside anything else, is money to give back.
    public func classify(_ position: PositionPayments) -> Discrepancy? {
        let twice = position.paidOptions.filter { $0.receipts > 1 }
        let singles = position.paidOptions.filter { !$0.isPartialPayment }
        guard !twice.isEmpty || (!singles.isEmpty && position.paidOptions.count > 1) else { return nil }
        let subject = (twice.first ?? singles.first ?? position.paidOptions[0]).iuv
        let total = Money.sum(position.paidOptions.map(\.paidCents)) ?? .max
        let what = twice.isEmpty
            ? "\(position.paidOptions.count) options paid where one settles it"
            : "option \(subject) paid \(twice.first!.receipts) times"
        return Discrepancy("OVERPAYMENT", .error, key: TransferKey(creditor: position.creditor, iuv: subject, iur: "", transferIndex: 0),
                           actual: total, message: "position \(position.iupd): \(what), \(Money.format(total)) received in all")
    }
}
