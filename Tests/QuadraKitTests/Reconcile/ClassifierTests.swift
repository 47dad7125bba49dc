import Testing
@testable import QuadraKit

@Suite struct ClassifierTests {
    static let key = TransferKey(creditor: "80000000002", iuv: "01261010000041774", iur: "a2ac77fd36c68c2af238f89b35daa570", transferIndex: 1)
    static let monday = CivilDate(iso: "2026-11-16")!

    static func paid(_ cents: Int64 = 20400, day: CivilDate = monday) -> KeyEvidence.Paid {
        var paid = KeyEvidence.Paid(amountCents: cents, paymentDay: day, pspId: "ESMPITMM", creditorShareCents: cents, receiptTotalCents: cents)
        paid.taxonomyCode = "0101101IM"
        paid.iban = "IT60X0542811101000000123456"
        return paid
    }

    static func reported(_ cents: Int64? = 20400, credited: Int64 = 20400, total: Int64 = 20400,
                         outcome: FlowOutcome = .executed) -> KeyEvidence.Reported {
        KeyEvidence.Reported(amountCents: cents, outcome: outcome, flowId: "2026-11-17ESMPITMM-S0001726", pspId: "ESMPITMM",
                             revision: 1, settlementDate: CivilDate(iso: "2026-11-17"), flowTotalCents: total, creditedCents: credited)
    }

    static func planned(_ cents: Int64 = 20400) -> KeyEvidence.Planned {
        var planned = KeyEvidence.Planned(amountCents: cents, optionAmountCents: cents, iupd: "IUPD-1", beneficiary: "80000000002")
        planned.taxonomyCode = "0101101IM"
        planned.iban = "IT60X0542811101000000123456"
        return planned
    }

    static func evidence(paid: KeyEvidence.Paid? = paid(), planned: KeyEvidence.Planned? = nil,
                         reported: KeyEvidence.Reported? = nil, expectsPositions: Bool = false) -> KeyEvidence {
        var evidence = KeyEvidence(key: key, creditorExpectsPositions: expectsPositions)
        evidence.paid = paid
        evidence.planned = planned
        evidence.reported = reported
        evidence.siblings = .init(receipts: paid == nil ? 0 : 1, reportedIURs: reported == nil ? 0 : 1)
        evidence.taxonomyValidOnPaymentDay = true
        evidence.creditorIBANs = ["IT60X0542811101000000123456"]
        return evidence
    }

    func verdict(_ evidence: KeyEvidence, asOf: String = "2026-11-30") -> Classifier.Verdict {
        Classifier(asOf: CivilDate(iso: asOf)!).classify(evidence)
    }

    func codes(_ verdict: Classifier.Verdict) -> [String] { verdict.discrepancies.map(\.code).sorted() }

    @Test func everythingAgreesAndIsCredited() {
        let result = verdict(Self.evidence(planned: Self.planned(), reported: Self.reported(), expectsPositions: true))
        #expect(result.label == .iudRtIufTes && result.state == .cashed && result.anomalies.isEmpty && result.discrepancies.isEmpty)
    }

    @Test func withoutAPositionTheCreditedKeyIsRtIufTes() {
        let result = verdict(Self.evidence(reported: Self.reported()))
        #expect(result.label == .rtIufTes && result.state == .cashed && result.discrepancies.isEmpty)
    }

    @Test func reportedButNotCreditedYetIsReportedAndPending() {
        let result = verdict(Self.evidence(planned: Self.planned(), reported: Self.reported(credited: 0), expectsPositions: true), asOf: "2026-11-18")
        #expect(result.label == .iudRtIuf && result.state == .reported && result.anomalies.isEmpty)
        #expect(verdict(Self.evidence(reported: Self.reported(credited: 0)), asOf: "2026-11-18").label == .rtIuf)
    }

    @Test func aFlowNotCreditedAfterItsDeadlineIsIufNoTes() {
        #expect(verdict(Self.evidence(reported: Self.reported(credited: 0)), asOf: "2026-11-18").anomalies.isEmpty)
        let late = verdict(Self.evidence(reported: Self.reported(credited: 0)), asOf: "2026-11-19")
        #expect(late.anomalies == [.iufNoTes] && late.state == .reported)
    }

    /// Credited less than the flow's total and overdue: IUF_TES_DIV_IMP. Credited more: the money is
    /// there, the key is cashed and the excess is the flow's discrepancy, not the key's.
    @Test func aFlowCreditedLessIsIufTesDivImpAndMoreStaysCashed() {
        let over = verdict(Self.evidence(reported: Self.reported(credited: 30000)))
        #expect(over.anomalies.isEmpty && over.state == .cashed)
        #expect(verdict(Self.evidence(reported: Self.reported(credited: 10000)), asOf: "2026-11-18").anomalies.isEmpty)
        #expect(verdict(Self.evidence(reported: Self.reported(credited: 10000)), asOf: "2026-11-19").anomalies == [.iufTesDivImp])
    }

    @Test func aPaymentCreditedAloneIsRtTesAndNeverOverdueForAFlow() {
        var evidence = Self.evidence()
        evidence.singleCreditCents = 20400
        let result = verdict(evidence, asOf: "2027-01-31")
        #expect(result.label == .rtTes && result.state == .cashed && result.discrepancies.isEmpty)
    }

    /// Credited alone twice, the money is there: still cashed (the excess is its credit's item);
    /// credited less than the creditor's share, not cashed, and the shortfall is its item. The share, not the transfer's amount.
    @Test func aPaymentCreditedAloneTwiceStaysCashedAndLessIsNot() {
        var evidence = Self.evidence()
        evidence.paid?.creditorShareCents = 30000
        evidence.singleCreditCents = 60000
        let twice = verdict(evidence, asOf: "2026-11-18")
        #expect(twice.label == .rtTes && twice.state == .cashed && twice.discrepancies.isEmpty)
        evidence.singleCreditCents = 20400
        let less = verdict(evidence, asOf: "2026-11-18")
        #expect(less.label == nil && less.state == .paid && less.anomalies == [.iufTesDivImp])
        #expect(less.discrepancies.map { "\($0.code) \($0.expectedCents ?? 0) \($0.actualCents ?? 0)" } == ["TES_AMOUNT_MISMATCH 30000 20400"],
                "credited alone short: the rest is claimed from the PSP, no flow is chased")
        #expect(verdict(evidence, asOf: "2026-12-18").discrepancies.map(\.code) == ["TES_AMOUNT_MISMATCH"])
    }

    /// An IUV's credits alone pay its receipts one after another, in key order: three receipts of 300.00
    /// (the first two with two transfers each to the creditor) and 600.00 credited cash the first two,
    /// both keys of each; the third waits. A receipt a flow reports takes nothing; the next IUV starts afresh.
    @Test func anIUVsCreditsAlonePayItsReceiptsOneAfterAnother() {
        var shares = SingleCreditShares()
        func judge(_ iur: String, _ index: Int, iuv: String = Self.key.iuv, reported: KeyEvidence.Reported? = nil) -> String {
            var evidence = Self.evidence(reported: reported)
            evidence.key = TransferKey(creditor: Self.key.creditor, iuv: iuv, iur: iur, transferIndex: index)
            evidence.paid?.creditorShareCents = 30000
            evidence.singleCreditCents = 60000
            evidence = shares.left(for: evidence)
            let verdict = verdict(evidence, asOf: "2026-11-18")
            shares.record(evidence, verdict)
            return "\(iur)/\(index) \(verdict.state.rawValue)"
        }
        let judged = [judge("A", 1), judge("A", 2), judge("B", 1), judge("B", 2), judge("C", 1), judge("D", 1, reported: Self.reported()),
                      judge("A", 1, iuv: "01261010000041775")]
        #expect(judged == ["A/1 CASHED", "A/2 CASHED", "B/1 CASHED", "B/2 CASHED", "C/1 PAID", "D/1 CASHED", "A/1 CASHED"])
    }

    /// Credits falling short: the first receipt they do not cover takes what is left and names the rest,
    /// once (on its first key); the receipts after it see nothing left and claim nothing.
    @Test func creditsFallingShortNameTheShortfallOnce() {
        var shares = SingleCreditShares()
        func judge(_ iur: String, _ index: Int) -> String {
            var evidence = Self.evidence()
            evidence.key = TransferKey(creditor: Self.key.creditor, iuv: Self.key.iuv, iur: iur, transferIndex: index)
            evidence.paid?.creditorShareCents = 30000
            evidence.singleCreditCents = 40000
            evidence = shares.left(for: evidence)
            let verdict = verdict(evidence, asOf: "2026-11-18")
            shares.record(evidence, verdict)
            return "\(iur)/\(index) \(verdict.state.rawValue) \(verdict.discrepancies.map { "\($0.code) \($0.expectedCents ?? 0) \($0.actualCents ?? 0)" })"
        }
        #expect([judge("A", 1), judge("B", 1), judge("B", 2), judge("C", 1)]
                == ["A/1 CASHED []", "B/1 PAID [\"TES_AMOUNT_MISMATCH 30000 10000\"]", "B/2 PAID []", "C/1 PAID []"])
    }

    @Test func aReceiptWaitingForItsFlowIsPaidUntilDPlusTwoWorkingDays() {
        #expect(verdict(Self.evidence(), asOf: "2026-11-18").discrepancies.isEmpty)
        let late = verdict(Self.evidence(), asOf: "2026-11-19")
        #expect(late.state == .paid && late.label == nil && late.anomalies == [.rtNoIuf])
        #expect(codes(late) == ["FDR_OVERDUE"])
        #expect(late.discrepancies.first?.expectedCents == 20400)
    }

    @Test func theFlowDeadlineSkipsAWeekend() {
        let friday = Self.evidence(paid: Self.paid(day: CivilDate(iso: "2026-11-20")!))
        #expect(verdict(friday, asOf: "2026-11-24").discrepancies.isEmpty, "Friday + 2 working days is Tuesday")
        #expect(codes(verdict(friday, asOf: "2026-11-25")) == ["FDR_OVERDUE"])
    }

    @Test func theFlowDeadlineSkipsEaster() {
        let thursday = Self.evidence(paid: Self.paid(day: CivilDate(iso: "2026-04-02")!))
        #expect(verdict(thursday, asOf: "2026-04-08").discrepancies.isEmpty, "Good Friday and Easter Monday are not working days")
        #expect(codes(verdict(thursday, asOf: "2026-04-09")) == ["FDR_OVERDUE"])
    }

    @Test func aFlowRowWithAnotherAmountIsRtNoIuf() {
        let result = verdict(Self.evidence(reported: Self.reported(20000, credited: 20000, total: 20000)))
        #expect(result.label == nil && result.anomalies == [.rtNoIuf] && result.state == .paid)
        let mismatch = result.discrepancies.first
        #expect(mismatch?.code == "RT_IUF_AMOUNT_MISMATCH" && mismatch?.expectedCents == 20400 && mismatch?.actualCents == 20000)
    }

    @Test(arguments: [(FlowOutcome.executed, Discrepancy.Severity.error), (.standIn, .error), (.standInNoRPT, .warning), (.noRPT, .warning)])
    func aFlowRowWithoutReceiptIsIuvNoRt(outcome: FlowOutcome, severity: Discrepancy.Severity) {
        let result = verdict(Self.evidence(paid: nil, reported: Self.reported(outcome: outcome)))
        #expect(result.state == .anomaly && result.anomalies == [.iuvNoRt] && result.label == nil)
        #expect(result.discrepancies.map(\.code) == ["REPORTED_WITHOUT_RECEIPT"] && result.discrepancies.first?.severity == severity)
    }

    @Test func aRevokedRowIsReportedAsRevoked() {
        let result = verdict(Self.evidence(paid: nil, reported: Self.reported(outcome: .revoked)))
        #expect(codes(result) == ["REVOKED_PAYMENT"])
    }

    @Test func aPositionMarkedPaidWithoutReceiptIsIudNoRt() {
        let result = verdict(Self.evidence(paid: nil, planned: Self.planned()))
        #expect(result.state == .anomaly && result.anomalies == [.iudNoRt] && codes(result) == ["POSITION_PAID_NO_RECEIPT"])
    }

    @Test func aReceiptWithoutPositionMattersOnlyForCreditorsThatLoadThem() {
        #expect(verdict(Self.evidence(reported: Self.reported())).anomalies.isEmpty)
        let result = verdict(Self.evidence(reported: Self.reported(), expectsPositions: true))
        #expect(result.anomalies == [.rtNoIud] && codes(result) == ["RECEIPT_WITHOUT_POSITION"] && result.label == .rtIufTes)
    }

    @Test func positionChecks() {
        var planned = Self.planned(20000)
        planned.taxonomyCode = "0101100IM"
        planned.positionStatus = "INVALID"
        planned.dueDate = CivilDate(iso: "2026-11-10")
        let result = verdict(Self.evidence(planned: planned, reported: Self.reported(), expectsPositions: true))
        #expect(codes(result) == ["PAID_AFTER_DUE_DATE", "POSITION_AMOUNT_MISMATCH", "POSITION_NOT_PAYABLE", "TAXONOMY_MISMATCH", "TRANSFER_PLAN_MISMATCH"])
        #expect(result.label == .rtIufTes, "the plan disagrees, so the position side does not count")
    }

    @Test func paymentChecks() {
        var paid = Self.paid()
        paid.standIn = true
        paid.iban = "IT02A0301503200000003517230"
        var evidence = Self.evidence(paid: paid, reported: Self.reported())
        evidence.taxonomyValidOnPaymentDay = false
        #expect(codes(verdict(evidence)) == ["IBAN_NOT_CREDITOR_ACCOUNT", "STAND_IN_PAYMENT", "TAXONOMY_NOT_VALID_ON_DATE"])
        evidence.taxonomyValidOnPaymentDay = nil
        #expect(codes(verdict(evidence)).contains("TAXONOMY_UNKNOWN"))
    }

    @Test func twoReceiptsForOneTransferAreADoublePayment() {
        var evidence = Self.evidence(reported: Self.reported())
        evidence.siblings = .init(receipts: 2, reportedIURs: 1)
        let result = verdict(evidence)
        #expect(result.anomalies == [.doppi] && codes(result) == ["DOUBLE_PAYMENT"])
        var unreported = Self.evidence()
        unreported.siblings = .init(receipts: 2, reportedIURs: 1)
        #expect(codes(verdict(unreported)) == ["DOUBLE_PAYMENT"], "a flow reports the IUV under the other IUR")
        unreported.siblings = .init(receipts: 2, reportedIURs: 0)
        #expect(codes(verdict(unreported)) == ["DOUBLE_PAYMENT", "FDR_OVERDUE"],
                "paid twice explains one payment too many, not a PSP that reports neither")
    }

    @Test func oneReceiptAndOneRowWithAnotherIURAreAnIURMismatch() {
        var receiptSide = Self.evidence()
        receiptSide.siblings = .init(receipts: 1, reportedIURs: 1)
        #expect(codes(verdict(receiptSide)) == ["IUR_MISMATCH"])
        #expect(verdict(receiptSide).discrepancies.first?.expectedCents == receiptSide.paid?.amountCents, "the receipt's amount")
        var flowSide = Self.evidence(paid: nil, reported: Self.reported())
        flowSide.siblings = .init(receipts: 1, reportedIURs: 1)
        let result = verdict(flowSide)
        #expect(codes(result) == ["IUR_MISMATCH"] && result.anomalies == [.iurMismatch, .iuvNoRt])
    }

    @Test func aPositionPaidOnceIsFineAndPaidTwiceIsAnOverpayment() {
        let classifier = Classifier(asOf: Self.monday)
        typealias Option = Classifier.PositionPayments.Option
        let plan = Classifier.PositionPayments(creditor: "80000000002", iupd: "IMU", paidOptions: [
            Option(iuv: "A", isPartialPayment: true, receipts: 1, paidCents: 15079),
            Option(iuv: "B", isPartialPayment: true, receipts: 1, paidCents: 15079),
        ])
        #expect(classifier.classify(plan) == nil, "instalments of one plan")
        let single = Classifier.PositionPayments(creditor: "80000000002", iupd: "TARI", paidOptions: [
            Option(iuv: "A", isPartialPayment: false, receipts: 1, paidCents: 45237),
            Option(iuv: "B", isPartialPayment: true, receipts: 1, paidCents: 15079),
        ])
        #expect(classifier.classify(single)?.code == "OVERPAYMENT")
        #expect(classifier.classify(single)?.actualCents == 60316 && classifier.classify(single)?.expectedCents == 45237,
                "the single option settles it: the instalment is the excess")
        let twice = Classifier.PositionPayments(creditor: "80000000002", iupd: "CDS", paidOptions: [
            Option(iuv: "A", isPartialPayment: false, receipts: 2, paidCents: 11920, onePaymentCents: 5960),
        ])
        #expect(classifier.classify(twice)?.message.contains("paid 2 times") == true)
        #expect(classifier.classify(twice)?.expectedCents == 5960 && classifier.classify(twice)?.actualCents == 11920)
        let instalmentTwice = Classifier.PositionPayments(creditor: "80000000002", iupd: "IMU", paidOptions: [
            Option(iuv: "A", isPartialPayment: true, receipts: 2, paidCents: 30158, onePaymentCents: 15079),
            Option(iuv: "B", isPartialPayment: true, receipts: 1, paidCents: 15079),
        ])
        #expect(classifier.classify(instalmentTwice)?.expectedCents == 30158, "one payment of each instalment paid")
    }

    @Test func flowLevelCreditRules() {
        let classifier = Classifier(asOf: CivilDate(iso: "2026-11-18")!)
        func flow(credited: Int64, findings: [FlowFinding] = []) -> Classifier.FlowEvidence {
            .init(creditor: "80000000002", flowId: "F", pspId: "P", settlementDate: CivilDate(iso: "2026-11-17"),
                  totalCents: 1000, creditedCents: credited, findings: findings)
        }
        #expect(classifier.classify(flow(credited: 0)).isEmpty, "credit due by 2026-11-18 inclusive")
        #expect(classifier.classify(flow(credited: 400)).map(\.code) == ["TES_PARTIAL"])
        let over = classifier.classify(flow(credited: 2000))
        #expect(over.map(\.code) == ["TES_AMOUNT_MISMATCH"] && over.first?.message.contains("claim 10.00 back") == true)
        #expect(classifier.classify(flow(credited: 1000)).isEmpty)
        let late = Classifier(asOf: CivilDate(iso: "2026-11-19")!)
        #expect(late.classify(flow(credited: 0)).map(\.code) == ["TES_OVERDUE"])
        #expect(late.classify(flow(credited: 400)).map(\.code) == ["TES_AMOUNT_MISMATCH"])
        var declared = flow(credited: 1000, findings: [FlowFinding(.totalMismatch, "declares 9.00")])
        declared.declaredTotalCents = 900
        let found = classifier.classify(declared)
        #expect(found.map(\.code) == ["FDR_TOTAL_MISMATCH"] && found.first?.severity == .error)
        #expect(found.first?.expectedCents == 900 && found.first?.actualCents == 1000, "the declared total against the rows' sum")
    }

    @Test func movementRules() {
        let classifier = Classifier(asOf: Self.monday)
        func movement(_ parsed: Classifier.MovementEvidence.Reference, known: Bool, reversed: Bool = false, differs: Bool = false) -> Classifier.MovementEvidence {
            .init(creditor: "80000000002", reference: "R1", amountCents: 100, causale: "x", parsed: parsed, known: known,
                  flowCredit: .init(totalCents: 100, netCents: differs ? 60 : 100, creditedBeforeCents: 0), reversed: reversed)
        }
        #expect(classifier.classify(movement(.flow("F"), known: true)).label == .matched)
        #expect(classifier.classify(movement(.flow("F"), known: true, differs: true)).label == .iufTesDivImp)
        let unknown = classifier.classify(movement(.payment("X"), known: false))
        #expect(unknown.label == .tesNoIufOrIuv && unknown.discrepancy?.code == "TES_UNKNOWN_REFERENCE" && unknown.discrepancy?.severity == .error)
        #expect(classifier.classify(movement(.flow("F"), known: false, reversed: true)).discrepancy?.severity == .info)
        // Credited twice: the credit that completes the total matches, the later one is the excess.
        func twice(before: Int64) -> Classifier.MovementEvidence {
            .init(creditor: "80000000002", reference: "R1", amountCents: 100, causale: "x", parsed: .flow("F"), known: true,
                  flowCredit: .init(totalCents: 100, netCents: 200, creditedBeforeCents: before))
        }
        #expect(classifier.classify(twice(before: 0)).label == .matched)
        #expect(classifier.classify(twice(before: 100)) == (.iufTesDivImp, nil), "a flow's excess is the flow's item")
        // A payment credited three times: each excess credit names its own part of the excess.
        func payment(before: Int64, net: Int64 = 300) -> Classifier.MovementEvidence {
            .init(creditor: "80000000002", reference: "R\(before)", amountCents: 100, causale: "x", parsed: .payment("X"), known: true,
                  flowCredit: .init(totalCents: 100, netCents: net, creditedBeforeCents: before))
        }
        #expect(classifier.classify(payment(before: 0)) == (.matched, nil))
        for before: Int64 in [100, 200] {
            let excess = classifier.classify(payment(before: before))
            #expect(excess.label == .iufTesDivImp && excess.discrepancy?.code == "TES_AMOUNT_MISMATCH"
                    && excess.discrepancy?.treasuryReference == "R\(before)" && excess.discrepancy?.message.contains("claim 1.00 back") == true)
        }
        // Credited less: a credit paying whole receipts matches (a notice paid twice, credited once),
        // one falling short of the next receipt does not; the key left short is the item.
        func less(amount: Int64, covered: Int64) -> Classifier.MovementEvidence {
            .init(creditor: "80000000002", reference: "R", amountCents: amount, causale: "x", parsed: .payment("X"), known: true,
                  flowCredit: .init(totalCents: 200, netCents: amount, creditedBeforeCents: 0, coveredCents: covered))
        }
        #expect(classifier.classify(less(amount: 100, covered: 100)) == (.matched, nil))
        #expect(classifier.classify(less(amount: 60, covered: 0)) == (.iufTesDivImp, nil), "its key names the shortfall")
        #expect(classifier.classify(less(amount: 160, covered: 100)) == (.iufTesDivImp, nil))
        var unserved = movement(.flow("F"), known: false)
        unserved.creditor = nil
        #expect(classifier.classify(unserved) == (.tesNoMatch, nil), "a credit on no served creditor's account is nobody's item")
        let garbage = classifier.classify(movement(.none, known: false))
        #expect(garbage.label == .tesNoMatch && garbage.discrepancy?.code == "CAUSALE_UNPARSEABLE" && garbage.discrepancy?.severity == .warning)
    }
}
