/// The labels accountants in this field already use (MyPivot / Piattaforma Unitaria vocabulary).
public enum Label: String, Sendable, Codable, CaseIterable, Comparable {
    // Reconciliation labels: the most complete that holds.
    case iudRtIufTes = "IUD_RT_IUF_TES"
    case iudRtIuf = "IUD_RT_IUF"
    case rtIufTes = "RT_IUF_TES"
    case rtTes = "RT_TES"
    case rtIuf = "RT_IUF"
    // Anomaly labels.
    case rtNoIuf = "RT_NO_IUF"
    case rtNoIud = "RT_NO_IUD"
    case iudNoRt = "IUD_NO_RT"
    case iuvNoRt = "IUV_NO_RT"
    case iufNoTes = "IUF_NO_TES"
    case iufTesDivImp = "IUF_TES_DIV_IMP"
    case doppi = "DOPPI"
    case iurMismatch = "IUR_MISMATCH"

    public static func < (lhs: Label, rhs: Label) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a key stands for accounting.
public enum KeyState: String, Sendable, Codable, CaseIterable {
    /// Paid, reported and credited (`IUD_RT_IUF_TES`, `RT_IUF_TES` or `RT_TES`).
    case cashed = "CASHED"
    /// Paid and reported (`IUD_RT_IUF` or `RT_IUF`), credit not yet seen.
    case reported = "REPORTED"
    /// A receipt, nothing more yet.
    case paid = "PAID"
    /// No receipt: money reported, or a position marked paid, that no receipt backs.
    case anomaly = "ANOMALY"
}

/// What a treasury credit is, for the office that must book it.
public enum MovementLabel: String, Sendable, Codable, CaseIterable {
    /// It pays a flow (the credits that complete its total) or a single payment the store knows.
    case matched = "MATCHED"
    /// It names a flow whose credits do not add up to its total: a credit of a flow credited short,
    /// or the excess one of a flow credited more.
    case iufTesDivImp = "IUF_TES_DIV_IMP"
    /// It names a flow or IUV the creditor has not.
    case tesNoIufOrIuv = "TES_NO_IUF_OR_IUV"
    /// It names nothing Quadra reconciles (no pagoPA reference, or no served creditor's account).
    case tesNoMatch = "TES_NO_MATCH"
}
