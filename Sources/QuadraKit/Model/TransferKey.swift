/// The unit of reconciliation: one transfer paid to one creditor, (creditor, IUV, IUR, transfer index).
///
/// A multi-beneficiary receipt yields one key per served beneficiary; the secondary beneficiary's key
/// carries the primary creditor's IUV, which is why the IUR (the receipt id) is part of the key.
public struct TransferKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var creditor: String
    public var iuv: String
    public var iur: String
    public var transferIndex: Int

    public init(creditor: String, iuv: String, iur: String, transferIndex: Int) {
        self.creditor = creditor
        self.iuv = iuv
        self.iur = iur
        self.transferIndex = transferIndex
    }

    public static func < (lhs: TransferKey, rhs: TransferKey) -> Bool {
        (lhs.creditor, lhs.iuv, lhs.iur, lhs.transferIndex) < (rhs.creditor, rhs.iuv, rhs.iur, rhs.transferIndex)
    }

    public var description: String { "\(creditor)/\(iuv)/\(iur)/\(transferIndex)" }
}
