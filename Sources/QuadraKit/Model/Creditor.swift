/// A creditor entity (EC) Quadra serves, as the configuration names it.
public struct Creditor: Sendable, Equatable {
    public var fiscalCode: String
    public var name: String
    /// In electronic form (`IBAN.normalized`).
    public var ibans: [String]
    /// OPI `conto_evidenza` codes of the creditor's treasury journal.
    public var opiAccounts: [String]
    /// Debt positions are loaded for this creditor: a payment with no position is then worth reporting.
    public var expectsPositions: Bool
    /// Treasury documents are loaded for this creditor: a flow never credited is then worth reporting.
    public var expectsTreasury: Bool

    public init(fiscalCode: String, name: String, ibans: [String] = [], opiAccounts: [String] = [],
                expectsPositions: Bool = true, expectsTreasury: Bool = true) {
        self.fiscalCode = fiscalCode
        self.name = name
        self.ibans = ibans
        self.opiAccounts = opiAccounts
        self.expectsPositions = expectsPositions
        self.expectsTreasury = expectsTreasury
    }
}
