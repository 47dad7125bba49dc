/// The reconciliation rules, in one place: what each label means and when each discrepancy is raised.
///
/// A key is labelled with the most complete reconciliation that holds:
/// - `IUD_RT_IUF_TES`: position, receipt and flow row agree to the cent, and the flow is credited in full;
/// - `RT_IUF_TES`: receipt and flow row agree, and the flow is credited in full;
/// - `RT_TES`: a receipt with no flow row, credited alone by `/RFB/` or `/RFS/` credits of at least the
///   creditor's share, of what its IUV's credits leave after the receipts before it (`SingleCreditShares`);
///   credited twice, the money is there: the excess credit is the item;
/// - `IUD_RT_IUF`: position, receipt and flow row agree; credit not (yet) complete;
/// - `RT_IUF`: receipt and flow row agree; credit not (yet) complete.
///
/// A piece that is missing but not yet due is pending: it raises nothing. The classifier reads no
/// clock: everything is relative to the run's as-of date.
public struct Classifier: Sendable {
    public var asOf: CivilDate
    public var deadlines: Deadlines

    public init(asOf: CivilDate, deadlines: Deadlines = Deadlines()) {
        self.asOf = asOf
        self.deadlines = deadlines
    }

    /// The verdict on one key.
    public struct Verdict: Sendable, Equatable {
        public var label: Label?
        public var anomalies: [Label]
        public var state: KeyState
        public var discrepancies: [Discrepancy]
    }

    public func classify(_ evidence: KeyEvidence) -> Verdict {
        var rules = KeyRules(evidence: evidence, classifier: self)
        return rules.verdict()
    }

    /// Is a piece due by `day` overdue on the as-of date?
    func isOverdue(_ day: CivilDate) -> Bool { asOf > day }
}

/// The rules for one key, applied in the order an accountant would check them.
private struct KeyRules {
    let evidence: KeyEvidence
    let classifier: Classifier
    var anomalies = Set<Label>()
    var found: [Discrepancy] = []

    init(evidence: KeyEvidence, classifier: Classifier) {
        self.evidence = evidence
        self.classifier = classifier
    }

    private var key: TransferKey { evidence.key }

    mutating func verdict() -> Classifier.Verdict {
        let paid = evidence.paid, planned = evidence.planned, reported = evidence.reported
        let doublePayment = evidence.siblings.receipts >= 2 || evidence.siblings.reportedIURs >= 2
        let iurMismatch = !doublePayment && evidence.siblings.receipts == 1 && evidence.siblings.reportedIURs == 1
            && (paid == nil) != (reported == nil)
        if doublePayment {
            anomalies.insert(.doppi)
            raise(.doublePayment, actual: paid?.amountCents ?? reported?.amountCents,
                  "IUV \(key.iuv) index \(key.transferIndex) paid or reported under \(max(evidence.siblings.receipts, evidence.siblings.reportedIURs)) different IURs")
        }
        if iurMismatch {
            anomalies.insert(.iurMismatch)
            raise(.iurMismatch, expected: paid?.amountCents, actual: reported?.amountCents,
                  "IUV \(key.iuv) index \(key.transferIndex) is reported with an IUR other than its receipt's")
        }

        // A revoked payment is never settled, whatever its row's amount.
        let agreesWithFlow = paid != nil && reported?.outcome != .revoked && reported?.amountCents == paid?.amountCents
        let agreesWithPlan = planned != nil && planned?.amountCents == paid?.amountCents
        // Over-credited is credited: the money is there, the excess is the flow's discrepancy.
        let flowCredited = reported.map { [.credited, .overCredited].contains(creditStatus(of: $0)) } ?? false
        // Over-credited alone is credited too: the excess is its credit's discrepancy (`classify(_ movement:)`).
        let creditedAlone = paid.map { reported == nil && (evidence.singleCreditCents ?? 0) >= $0.creditorShareCents } ?? false

        let label: Label?
        switch true {
        case agreesWithFlow && agreesWithPlan && flowCredited: label = .iudRtIufTes
        case agreesWithFlow && flowCredited: label = .rtIufTes
        case creditedAlone: label = .rtTes
        case agreesWithFlow && agreesWithPlan: label = .iudRtIuf
        case agreesWithFlow: label = .rtIuf
        default: label = nil
        }

        if let paid {
            // A payment no flow reports under its IUR is explained when a flow reports its IUV and
            // index under another; a notice paid twice that no flow reports at all is still unreported.
            checkReported(paid, creditedAlone: creditedAlone,
                          alreadyExplained: iurMismatch || (doublePayment && evidence.siblings.reportedIURs > 0))
            checkPlanned(paid)
            checkPayment(paid)
        } else if let reported {
            if !iurMismatch && !doublePayment { reportedWithoutReceipt(reported) }
            anomalies.insert(.iuvNoRt)
        } else if planned != nil {
            anomalies.insert(.iudNoRt)
            raise(.positionPaidNoReceipt, expected: planned?.amountCents,
                  "position \(planned?.iupd ?? "") is marked paid but no receipt backs IUV \(key.iuv)")
        }
        if let reported, evidence.creditorExpectsTreasury { checkCredit(reported) }

        let state: KeyState
        switch label {
        case .iudRtIufTes?, .rtIufTes?, .rtTes?: state = .cashed
        case .iudRtIuf?, .rtIuf?: state = .reported
        default: state = paid == nil ? .anomaly : .paid
        }
        return Classifier.Verdict(label: label, anomalies: anomalies.sorted(), state: state, discrepancies: found)
    }

    /// Receipt against flow row: reported on time and for the same amount.
    private mutating func checkReported(_ paid: KeyEvidence.Paid, creditedAlone: Bool, alreadyExplained: Bool) {
        guard let reported = evidence.reported else {
            // Credited alone, short: the PSP paid it singly, and what is missing is the rest of its money.
            if !creditedAlone, let left = evidence.singleCreditCents, left > 0 {
                anomalies.insert(.iufTesDivImp)
                guard !evidence.shortfallNamedOnAnotherKey else { return }
                raise(.tesAmountMismatch, expected: paid.creditorShareCents, actual: left,
                      "credits of IUV \(key.iuv) alone pay \(Money.format(left)) of the creditor's \(Money.format(paid.creditorShareCents)) of this payment: claim \(Money.format(paid.creditorShareCents - left)) from PSP \(paid.pspId)")
                return
            }
            let due = classifier.deadlines.flowDue(paymentDay: paid.paymentDay)
            if !creditedAlone && !alreadyExplained && classifier.isOverdue(due) {
                anomalies.insert(.rtNoIuf)
                raise(.fdrOverdue, expected: paid.amountCents,
                      "paid on \(paid.paymentDay) through PSP \(paid.pspId), not reported by \(due)")
            }
            return
        }
        // A revocation is reported with the payment's amount negated (the FdR annotation), or as paid.
        let sameAmount = reported.outcome == .revoked
            ? reported.amountCents?.magnitude == paid.amountCents.magnitude
            : reported.amountCents == paid.amountCents
        if !sameAmount {
            anomalies.insert(.rtNoIuf)
            raise(.rtIufAmountMismatch, flow: reported, expected: paid.amountCents, actual: reported.amountCents,
                  "flow \(reported.flowId) reports \(Self.euro(reported.amountCents)) for a transfer of \(Money.format(paid.amountCents))")
        }
        if reported.outcome == .revoked {
            raise(.revokedPayment, flow: reported, actual: reported.amountCents,
                  "flow \(reported.flowId) reports this payment as revoked (code 3)")
        }
    }

    /// Receipt against the position's plan, for creditors that load positions.
    private mutating func checkPlanned(_ paid: KeyEvidence.Paid) {
        guard let planned = evidence.planned else {
            if evidence.creditorExpectsPositions {
                anomalies.insert(.rtNoIud)
                raise(.receiptWithoutPosition, actual: paid.amountCents, "IUV \(key.iuv) was paid but no debt position holds it")
            }
            return
        }
        if planned.optionAmountCents != paid.receiptTotalCents {
            raise(.positionAmountMismatch, expected: planned.optionAmountCents, actual: paid.receiptTotalCents,
                  "position \(planned.iupd) asks \(Money.format(planned.optionAmountCents)) for IUV \(key.iuv), the receipt paid \(Money.format(paid.receiptTotalCents))")
        }
        let sameIBAN = planned.iban == nil || paid.iban == nil || IBAN.normalized(planned.iban!) == IBAN.normalized(paid.iban!)
        if planned.amountCents != paid.amountCents || planned.beneficiary != key.creditor || !sameIBAN {
            raise(.transferPlanMismatch, expected: planned.amountCents, actual: paid.amountCents,
                  "transfer \(key.transferIndex) of IUV \(key.iuv) differs from the plan of position \(planned.iupd) (beneficiary, IBAN or amount)")
        }
        if let plannedCode = planned.taxonomyCode, let paidCode = paid.taxonomyCode, plannedCode != paidCode {
            raise(.taxonomyMismatch, "the receipt's category \(paidCode) is not the position's \(plannedCode)")
        }
        if let status = planned.positionStatus, ["DRAFT", "INVALID", "EXPIRED"].contains(status) {
            raise(.positionNotPayable, actual: paid.amountCents, "position \(planned.iupd) was \(status) when IUV \(key.iuv) was paid")
        }
        if let due = planned.dueDate, paid.paymentDay > due {
            raise(.paidAfterDueDate, "IUV \(key.iuv) was paid on \(paid.paymentDay), after its due date \(due)")
        }
    }

    /// What the receipt itself says: stand-in, account, taxonomy.
    private mutating func checkPayment(_ paid: KeyEvidence.Paid) {
        let standInOutcome = evidence.reported.map { $0.outcome == .standIn || $0.outcome == .standInNoRPT } ?? false
        if paid.standIn || standInOutcome {
            raise(.standInPayment, "paid while the creditor's station was in Stand-In: amount and position may be stale")
        }
        if let iban = paid.iban, !evidence.creditorIBANs.isEmpty, !evidence.creditorIBANs.contains(IBAN.normalized(iban)) {
            raise(.ibanNotCreditorAccount, "transfer credited to \(iban), not an account of creditor \(key.creditor)")
        }
        switch (paid.taxonomyCode, evidence.taxonomyValidOnPaymentDay) {
        case (nil, _), (_, nil):
            raise(.taxonomyUnknown, "category '\(paid.category ?? "")' is not in the taxonomy table")
        case (let code?, false?):
            raise(.taxonomyNotValidOnDate, "category \(code) was not valid on \(paid.paymentDay)")
        default:
            break
        }
    }

    /// A flow row with no receipt: outcomes 0 and 4 promise one, 8 and 9 say there may be none.
    private mutating func reportedWithoutReceipt(_ reported: KeyEvidence.Reported) {
        switch reported.outcome {
        case .standInNoRPT, .noRPT:
            raise(.reportedWithoutReceipt, severity: .warning, flow: reported, actual: reported.amountCents,
                  "flow \(reported.flowId) reports IUR \(key.iur) executed without a receipt (\(reported.outcome.rawValue)): look it up by IUR")
        case .revoked:
            raise(.revokedPayment, flow: reported, actual: reported.amountCents,
                  "flow \(reported.flowId) reports IUR \(key.iur) as revoked and no receipt exists")
        case .executed, .standIn, .unknown:
            raise(.reportedWithoutReceipt, flow: reported, actual: reported.amountCents,
                  "flow \(reported.flowId) reports IUR \(key.iur) as paid (\(reported.outcome.rawValue)) but no receipt exists")
        }
    }

    /// The credit of the key's flow: anomaly labels only; the flow's own discrepancies are raised once per flow.
    private mutating func checkCredit(_ reported: KeyEvidence.Reported) {
        switch creditStatus(of: reported) {
        case .notCredited: anomalies.insert(.iufNoTes)
        case .partial where classifier.isCreditOverdue(settlementDate: reported.settlementDate): anomalies.insert(.iufTesDivImp)
        case .pending, .partial, .credited, .overCredited, .incomplete: break
        }
    }

    private func creditStatus(of reported: KeyEvidence.Reported) -> FlowCreditStatus {
        classifier.creditStatus(totalCents: reported.flowTotalCents, creditedCents: reported.creditedCents,
                                settlementDate: reported.settlementDate)
    }

    private mutating func raise(_ code: DiscrepancyCode, severity: Discrepancy.Severity? = nil, flow: KeyEvidence.Reported? = nil,
                                expected: Int64? = nil, actual: Int64? = nil, _ message: String) {
        found.append(Discrepancy(code, severity, key: key, flowId: flow?.flowId, pspId: flow?.pspId,
                                 expected: expected, actual: actual, message: message))
    }

    private static func euro(_ cents: Int64?) -> String { cents.map(Money.format) ?? "an unreadable amount" }
}
