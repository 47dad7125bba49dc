/// Answers "whose account is this?" for the served creditors.
///
/// ```swift
/// let directory = CreditorDirectory([comune])
/// directory.creditor(forIBAN: "it60 x054 2811 1010 0000 0123 456")   // "80000000002"
/// ```
///
/// An OPI `conto_evidenza` such as `0000001` is only unique within one treasurer's journal, so it is
/// looked up together with the fiscal code the journal's header names.
public struct CreditorDirectory: Sendable, Equatable {
    public private(set) var creditors: [Creditor]
    private var byIBAN: [String: String] = [:]

    public init(_ creditors: [Creditor] = []) {
        self.creditors = creditors
        for creditor in creditors {
            for iban in creditor.ibans { byIBAN[IBAN.normalized(iban)] = creditor.fiscalCode }
        }
    }

    public func creditor(forIBAN iban: String) -> String? {
        byIBAN[IBAN.normalized(iban)]
    }

    /// The creditor a movement on `account` belongs to: an IBAN's owner, or for an OPI journal the
    /// owner of the `conto_evidenza` below. Asked at ingest and again when the configuration changes,
    /// so that a credit booked before its creditor (or its account) was configured is that creditor's now.
    public func creditor(ofMovementOn account: String, format: DocumentKind, journalFiscalCode: String?) -> String? {
        format == .opiJournal ? creditor(forOPIAccount: account, journalFiscalCode: journalFiscalCode) : creditor(forIBAN: account)
    }

    /// The creditor of a journal's account: the header's creditor when it is served and either lists
    /// this account or lists no OPI account at all. A journal whose header names no creditor belongs
    /// to the one creditor that lists the account, if only one does.
    public func creditor(forOPIAccount account: String, journalFiscalCode: String?) -> String? {
        guard let journalFiscalCode else {
            let listing = creditors.filter { $0.opiAccounts.contains(account) }
            return listing.count == 1 ? listing[0].fiscalCode : nil
        }
        guard let owner = creditors.first(where: { $0.fiscalCode == journalFiscalCode }),
              owner.opiAccounts.isEmpty || owner.opiAccounts.contains(account) else { return nil }
        return owner.fiscalCode
    }
}
