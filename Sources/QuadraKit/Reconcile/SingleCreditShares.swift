/// How an IUV's `/RFB/` and `/RFS/` credits are shared among its receipts that no flow reports: one
/// receipt after another, in key order (by IUR), each taking its creditor's share while the credits
/// left cover it; the first they do not cover takes what is left, falling short (its claim names the
/// rest), and leaves nothing to the receipts after it. A notice paid twice and credited once is one
/// payment cashed and one still waiting for its money, not two cashed on one credit; credited twice,
/// both are cashed. Which of two payments of the same notice the PSP meant is not in the credit: the
/// order only makes the answer the same every night. Receipts outside the pass (paid before the
/// look-back) keep their stored verdicts, and what those cashed is taken before this pass begins
/// (`single_credit.outside`).
///
/// Keys reach the reconciler in key order, so an IUV's keys arrive together and the running sum is
/// one IUV's at a time; the keys of one receipt (its transfers to the creditor) share its decision,
/// and a shortfall is named on its first key only.
struct SingleCreditShares {
    private var iuv: (creditor: String, iuv: String)?
    /// What the receipts before, in this IUV, took of its credits.
    private var taken: Int64 = 0
    /// The receipt last judged and what its credits left it.
    private var receipt: (iur: String, left: Int64)?

    /// `evidence` with the IUV's credits that the receipts before it left (`singleCreditCents`).
    mutating func left(for evidence: KeyEvidence) -> KeyEvidence {
        if iuv?.creditor != evidence.key.creditor || iuv?.iuv != evidence.key.iuv {
            (iuv, taken, receipt) = ((evidence.key.creditor, evidence.key.iuv), 0, nil)
        }
        guard let credits = evidence.singleCreditCents, evidence.paid != nil, evidence.reported == nil else { return evidence }
        var evidence = evidence
        if let receipt, receipt.iur == evidence.key.iur {
            // A receipt's later keys see what its first key saw; its shortfall is already named.
            evidence.singleCreditCents = receipt.left
            evidence.shortfallNamedOnAnotherKey = true
        } else {
            evidence.singleCreditCents = credits - taken
        }
        return evidence
    }

    /// Notes what `verdict` on `evidence` took, once per receipt: its share when the credits alone
    /// cashed it, else what was left (nothing remains for the receipts after a short one).
    mutating func record(_ evidence: KeyEvidence, _ verdict: Classifier.Verdict) {
        guard let paid = evidence.paid, let left = evidence.singleCreditCents, evidence.reported == nil,
              receipt?.iur != evidence.key.iur else { return }
        receipt = (evidence.key.iur, left)
        taken += verdict.label == .rtTes ? paid.creditorShareCents : max(0, min(left, paid.creditorShareCents))
    }
}
