/// One movement of money on a creditor's treasury or bank account, as a giornale di cassa, a camt.053
/// statement or a bank CSV reports it: a credit, or the reversal of an earlier credit.
///
/// A reversal never deletes the credit it cancels: both are kept, and the reversal points at the
/// credit (`reversesMovementId`, set by the store once the credit is known), so the history of the
/// account stays as the bank told it. Several movements may carry the same flow id (a flow credited
/// in parts, or a `LGPE-INTEGRAZIONE` top-up): each is its own movement.
public struct TreasuryMovement: Sendable, Equatable {
    public enum Sign: String, Sendable, Codable {
        case credit
        /// Cancels an earlier credit: OPI `STORNATO`, camt.053 `RvslInd` on a debit entry.
        case reversal
    }

    /// Stable across runs and documents: a digest of fields that name the movement at the bank, never
    /// of the file or page, so a journal sent again lands on the same rows.
    public var movementId: String
    public var format: DocumentKind
    /// The creditor's IBAN when the document names it, else the OPI `conto_evidenza`.
    public var account: String
    /// The served creditor the account belongs to; nil when no configured creditor owns it.
    public var creditorFiscalCode: String?
    public var bookingDate: String
    public var valueDate: String?
    public var amountCents: Int64
    public var sign: Sign
    /// The bank's own reference: OPI `numero_documento`, camt.053 `AcctSvcrRef` (else `NtryRef`).
    public var reference: String?
    /// The SCT's transaction reference (TRN): OPI `codice_riferimento_operazione`, camt.053 `TxId`.
    public var transactionId: String?
    public var endToEndId: String?
    public var rawCausale: String
    public var causale: CausaleReference
    public var debtorName: String?
    /// Free text the bank adds (camt.053 `AddtlNtryInf`); a reversal often names the credit it cancels there.
    public var additionalInfo: String?
    /// For a reversal: the reference of the credit it cancels, when the format states it (OPI
    /// `numero_documento`, shared by the credit and its storno).
    public var reversedReference: String?
    /// The statement or journal the movement belongs to, whatever page it was printed on.
    public var statementId: String?
    /// Where in its document the movement was read, for messages.
    public var element: String
    /// The year and number the treasurer booked it under, for an OPI `SOSPESO ENTRATA`.
    public var provvisorio: Provvisorio?

    public init(movementId: String, format: DocumentKind, account: String, bookingDate: String, amountCents: Int64,
                sign: Sign, rawCausale: String, element: String) {
        self.movementId = movementId
        self.format = format
        self.account = account
        self.bookingDate = bookingDate
        self.amountCents = amountCents
        self.sign = sign
        self.rawCausale = rawCausale
        self.causale = CausaleParser.parse(rawCausale)
        self.element = element
    }
}
