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
        /// Booking day of the credit with which the credits (in booking order) first reached the total.
        public var creditedOn: CivilDate?
        /// The total the flow's header declares, when it could be read.
        public var declaredTotalCents: Int64?

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

    /// The flow's credit status on the as-of date.
    public func creditStatus(of flow: FlowEvidence) -> FlowCreditStatus {
        creditStatus(totalCents: flow.totalCents, creditedCents: flow.creditedCents, settlementDate: flow.settlementDate)
    }

    /// An FdR-3 flow whose header or pages are not all in: it raises nothing about its keys until it
    /// is whole, and `FDR_INCOMPLETE` once the parts are overdue, naming what is missing. Its
    /// settlement date is the header's, else the date its flow id opens with. A later revision is due
    /// from the day it was published (`publishedOn`, its header's `fdrDate`) when that is later: a
    /// revision sent weeks after the settlement is not overdue the day it starts to arrive.
    public func classify(incompleteFlow flowId: String, pspId: String, creditor: String, settlementDate: CivilDate?,
                         revision: Int, publishedOn: CivilDate?, missing: String) -> Discrepancy? {
        guard let settled = settlementDate ?? CivilDate(iso: String(flowId.prefix(10))) else { return nil }
        let from = revision > 1 ? max(settled, publishedOn ?? settled) : settled
        let due = deadlines.partsDue(settlementDate: from)
        guard isOverdue(due) else { return nil }
        return Discrepancy(.fdrIncomplete, flowId: flowId, pspId: pspId, creditor: creditor,
                           message: "flow \(flowId) of PSP \(pspId) is not whole by \(due): \(missing)")
    }

    /// A flow received for a creditor this intermediary does not serve: money reported to the wrong
    /// place, or a creditor missing from the configuration; either way someone must look. Only a flow
    /// that arrived so (its ingest found the receiver unknown): the flows of a creditor served when
    /// they arrived and removed from the configuration since are no longer this intermediary's to chase.
    public func unknownReceiver(_ flow: FlowEvidence) -> Discrepancy? {
        guard flow.findings.contains(where: { $0.code == .unknownReceiver }) else { return nil }
        return Discrepancy(.fdrUnknownReceiver, flowId: flow.flowId,
                           pspId: flow.pspId, creditor: flow.creditor, expected: flow.totalCents,
                           message: "flow \(flow.flowId) of \(Money.format(flow.totalCents)) from PSP \(flow.pspId) is for \(flow.creditor), not a served creditor")
    }

    /// Working days a flow's complete credit came after it was due (settlement date + 1 working
    /// day); nil when on time, or not (yet) complete.
    public func creditDelay(of flow: FlowEvidence) -> Int? {
        guard [.credited, .overCredited].contains(creditStatus(of: flow)), let creditedOn = flow.creditedOn,
              let settled = flow.settlementDate else { return nil }
        let due = deadlines.creditDue(settlementDate: settled)
        let late = deadlines.calendar.workingDays(after: due, through: creditedOn)
        return late > 0 ? late : nil
    }

    /// A flow's findings as they stand tonight: the receiver is judged on the creditors served now (a
    /// flow that came before its creditor was configured is that creditor's now), never on the
    /// configuration its ingest saw. What the flow's verdict row lists, and what `classify` raises.
    public func findings(of flow: FlowEvidence, served: Bool) -> [FlowFinding] {
        served ? flow.findings.filter { $0.code != .unknownReceiver } : flow.findings
    }

    /// Whether a flow's credit is complete, pending, partial or wrong; and its findings as discrepancies.
    public func classify(_ flow: FlowEvidence) -> [Discrepancy] {
        // A declared total that is not the rows' sum carries both amounts, as every money discrepancy does.
        var found = findings(of: flow, served: true).map { finding in
            let amounts = finding.code == .totalMismatch
            return Discrepancy(finding.code.discrepancy, flowId: flow.flowId, pspId: flow.pspId, creditor: flow.creditor,
                               expected: amounts ? flow.declaredTotalCents : nil, actual: amounts ? flow.totalCents : nil,
                               message: "flow \(flow.flowId): \(finding.detail)")
        }
        guard flow.creditorExpectsTreasury else { return found }
        let due = flow.settlementDate.map(deadlines.creditDue(settlementDate:))
        func raise(_ code: DiscrepancyCode, _ message: String) {
            found.append(Discrepancy(code, flowId: flow.flowId, pspId: flow.pspId, creditor: flow.creditor,
                                     expected: flow.totalCents, actual: flow.creditedCents, message: message))
        }
        let dueText = due.map { "by \($0)" } ?? "(no settlement date)"
        switch creditStatus(of: flow) {
        case .notCredited:
            raise(.tesOverdue, "flow \(flow.flowId) of \(Money.format(flow.totalCents)) not credited \(dueText)")
        case .overCredited:
            let excess = Money.format(flow.creditedCents - flow.totalCents)
            raise(.tesAmountMismatch, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)), \(excess) more than its \(Money.format(flow.totalCents)): claim \(excess) back from PSP \(flow.pspId)")
        case .partial where isCreditOverdue(settlementDate: flow.settlementDate):
            raise(.tesAmountMismatch, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)) of \(Money.format(flow.totalCents)) \(dueText)")
        case .partial:
            raise(.tesPartial, "flow \(flow.flowId) credited \(Money.format(flow.creditedCents)) of \(Money.format(flow.totalCents)) so far, due \(dueText)")
        case .pending, .credited, .incomplete:
            break
        }
        if let late = creditDelay(of: flow), let due, let creditedOn = flow.creditedOn {
            found.append(Discrepancy(.tesLate, flowId: flow.flowId, pspId: flow.pspId, creditor: flow.creditor,
                                     expected: flow.totalCents, actual: flow.creditedCents,
                                     message: "flow \(flow.flowId) credited on \(creditedOn), \(late) working day\(late == 1 ? "" : "s") after it was due by \(due) (PSP \(flow.pspId))"))
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
        /// For a credit naming a current flow: that flow's total and credits; for one naming a paid
        /// IUV (`/RFB/`, `/RFS/`): what the IUV's receipts no flow reports paid the creditor (zero when
        /// a flow reports them all), and the IUV's credits.
        public var flowCredit: FlowCredit?
        /// The bank reversed this credit (STORNATO / RvslInd): the money is gone again.
        public var reversed: Bool
        /// The flow it names is in the store only in parts (header or pages still missing).
        public var awaitsParts: Bool

        /// What the flow a credit names holds and received: its total, its net credit (credits less
        /// reversals), and the credits booked before this one (by booking day, then reference).
        public struct FlowCredit: Sendable, Equatable {
            public var totalCents: Int64
            public var netCents: Int64
            public var creditedBeforeCents: Int64
            /// For an IUV's credits: what its receipts credited alone in full took of them (their
            /// keys `RT_TES`, `SingleCreditShares`); nil for a flow's.
            public var coveredCents: Int64?

            public init(totalCents: Int64, netCents: Int64, creditedBeforeCents: Int64, coveredCents: Int64? = nil) {
                self.totalCents = totalCents
                self.netCents = netCents
                self.creditedBeforeCents = creditedBeforeCents
                self.coveredCents = coveredCents
            }
        }

        public init(creditor: String?, reference: String, amountCents: Int64, causale: String, parsed: Reference,
                    known: Bool, flowCredit: FlowCredit? = nil, reversed: Bool = false, awaitsParts: Bool = false) {
            self.creditor = creditor
            self.reference = reference
            self.amountCents = amountCents
            self.causale = causale
            self.parsed = parsed
            self.known = known
            self.flowCredit = flowCredit
            self.reversed = reversed
            self.awaitsParts = awaitsParts
        }
    }

    /// The movement-level label (`MATCHED`, `IUF_TES_DIV_IMP`, `TES_NO_IUF_OR_IUV`, `TES_NO_MATCH`) and its discrepancy.
    public func classify(_ movement: MovementEvidence) -> (label: MovementLabel, discrepancy: Discrepancy?) {
        // A credit on no served creditor's account matches nothing Quadra reconciles, and is nobody's item.
        guard movement.creditor != nil else { return (.tesNoMatch, nil) }
        let iuv: String? = if case let .payment(iuv) = movement.parsed { iuv } else { nil }
        func raise(_ code: DiscrepancyCode, severity: Discrepancy.Severity? = nil, _ message: String) -> Discrepancy {
            Discrepancy(code, severity, creditor: movement.creditor, treasuryReference: movement.reference, iuv: iuv,
                        actual: movement.amountCents, message: message)
        }
        switch movement.parsed {
        case .none:
            return (.tesNoMatch, raise(.causaleUnparseable, "credit \(movement.reference) of \(Money.format(movement.amountCents)) carries no pagoPA reference: '\(movement.causale)'"))
        case .flow where !movement.known && movement.awaitsParts:
            // The flow is on its way in parts: the credit waits for it, and the flow's own
            // `FDR_INCOMPLETE` is the item to chase, not this credit.
            return (.tesNoIufOrIuv, nil)
        case let .flow(id) where !movement.known, let .payment(id) where !movement.known:
            let reversed = movement.reversed ? " (since reversed by the bank)" : ""
            return (.tesNoIufOrIuv, raise(.tesUnknownReference, severity: movement.reversed ? .info : nil,
                                               "credit \(movement.reference) of \(Money.format(movement.amountCents)) names \(id), which no flow or payment of the creditor carries\(reversed)"))
        default:
            // A flow credited more than its total (a PSP crediting it twice): the credits that complete
            // the total match, only the excess one does not. A flow credited less: none matches it. A
            // payment credited more: the same, and the excess credit is the item, naming its part of
            // the excess (one per credit, so that the claims add up to it); credited less, its keys stay
            // uncashed and are the item: the credits that pay whole receipts match (a notice paid twice
            // and credited once), the one that falls short of the next receipt does not.
            guard let credit = movement.flowCredit, credit.netCents != credit.totalCents else { return (.matched, nil) }
            if case .payment = movement.parsed, credit.netCents < credit.totalCents {
                let paysWholeReceipts = credit.creditedBeforeCents + movement.amountCents <= (credit.coveredCents ?? credit.netCents)
                return (paysWholeReceipts ? .matched : .iufTesDivImp, nil)
            }
            let completes = credit.netCents > credit.totalCents
                && credit.creditedBeforeCents + movement.amountCents <= credit.totalCents
            guard !completes else { return (.matched, nil) }
            guard let iuv else { return (.iufTesDivImp, nil) }
            let claim = min(movement.amountCents, credit.creditedBeforeCents + movement.amountCents - credit.totalCents)
            // The credit's own figures: what of it was due against what came, so that the rows add up.
            return (.iufTesDivImp, Discrepancy(
                .tesAmountMismatch, creditor: movement.creditor, treasuryReference: movement.reference, iuv: iuv,
                expected: movement.amountCents - claim, actual: movement.amountCents,
                message: "credit \(movement.reference) of \(Money.format(movement.amountCents)) pays IUV \(iuv) beyond what its receipts no flow reports paid the creditor (\(Money.format(credit.totalCents)), credited \(Money.format(credit.netCents))): claim \(Money.format(claim)) back from the PSP"))
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
            /// The smallest of its receipts: what one payment of the option came to.
            public var onePaymentCents: Int64

            public init(iuv: String, isPartialPayment: Bool, receipts: Int, paidCents: Int64, onePaymentCents: Int64? = nil) {
                self.iuv = iuv
                self.isPartialPayment = isPartialPayment
                self.receipts = receipts
                self.paidCents = paidCents
                self.onePaymentCents = onePaymentCents ?? paidCents
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
    /// paid twice, or a single option paid beside anything else, is money to give back: what was
    /// received (actual) less what settles the position (expected), one payment of its cheapest
    /// single option paid, else one of each instalment paid. The refund is that difference, once,
    /// not what was received in all.
    public func classify(_ position: PositionPayments) -> Discrepancy? {
        let twice = position.paidOptions.filter { $0.receipts > 1 }
        let singles = position.paidOptions.filter { !$0.isPartialPayment }
        guard !twice.isEmpty || (!singles.isEmpty && position.paidOptions.count > 1) else { return nil }
        let subject = (twice.first ?? singles.first ?? position.paidOptions[0]).iuv
        let total = Money.sum(position.paidOptions.map(\.paidCents)) ?? .max
        let settles = singles.map(\.onePaymentCents).min() ?? Money.sum(position.paidOptions.map(\.onePaymentCents)) ?? .max
        let what = twice.isEmpty
            ? "\(position.paidOptions.count) options paid where one settles it"
            : "option \(subject) paid \(twice.first!.receipts) times"
        return Discrepancy(.overpayment, key: TransferKey(creditor: position.creditor, iuv: subject, iur: "", transferIndex: 0),
                           expected: settles, actual: total,
                           message: "position \(position.iupd): \(what), \(Money.format(total)) received in all, \(Money.format(settles)) settles it")
    }
}
