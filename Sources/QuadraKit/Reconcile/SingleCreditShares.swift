/// How an IUV's `/RFB/` and `/RFS/` credits are shared among its receipts that no flow reports: one
/// receipt after another, in key order (by IUR), each taking its creditor's share while the credits
/// left cover it. A notice paid twice and credited once is one payment cashed and one still waiting for
/// its money, not two cashed on one credit; credited twice, both are cashed. Which of two payments of
/// the same notice the PSP meant is not in the credit: the order only makes the answer the same every
/// night.
///
/// Keys reach the reconciler in key order, so an IUV's keys arrive together and the running sum is
/// one IUV's at a time; the keys of one receipt (its transfers to the creditor) share its decision.
struct SingleCreditShares {
    private var iuv: (creditor: String, iuv: String)?
    /// What the receipts before, in this IUV, took of its credits.
    private var taken: Int64 = 0
    /// The receipt last judged, and whether its share was covered.
    private var receipt: (iur: String, covered: Bool)?

    /// `evidence` with the IUV's credits that the receipts before it left (`singleCreditCents`).
    mutating func left(for evidence: KeyEvidence) -> KeyEvidence {
        if iuv?.creditor != evidence.key.creditor || iuv?.iuv != evidence.key.iuv {
            (iuv, taken, receipt) = ((evidence.key.creditor, evidence.key.iuv), 0, nil)
        }
        guard let credits = evidence.singleCreditCents, let paid = evidence.paid, evidence.reported == nil else { return evidence }
        var evidence = evidence
        // A receipt's later keys see what its first key saw.
        let before = receipt?.iur == evidence.key.iur && receipt?.covered == true ? taken - paid.creditorShareCents : taken
        evidence.singleCreditCents = credits - before
        return evidence
    }

    /// Notes what `verdict` on `evidence` took: a receipt cashed by the credits alone takes its share, once.
    mutating func record(_ evidence: KeyEvidence, _ verdict: Classifier.Verdict) {
        guard let paid = evidence.paid, evidence.reported == nil, receipt?.iur != evidence.key.iur else { return }
        let covered = verdict.label == .rtTes
        receipt = (evidence.key.iur, covered)
        if covered { taken += paid.creditorShareCents }
    }
}
