/// What one treasury document held: its movements, the page of a journal it is, and how many
/// movements were passed over because they are not credits to a creditor (outgoing payments).
public struct TreasuryStatement: Sendable, Equatable {
    /// A page of a journal split over several documents: each page is stored as it comes, and the
    /// journal is whole once every page from 1 to `pages` is in the store.
    public struct Page: Sendable, Equatable {
        public var journal: String
        public var page: Int
        public var pages: Int
    }

    public var movements: [TreasuryMovement] = []
    /// OPI `REGOLARIZZATO` movements: the provvisori a reversale settled.
    public var regularisations: [Regularisation] = []
    public var page: Page?
    /// The creditor the document says it is for (OPI header `codice_fiscale_ente`), which an OPI
    /// account code needs to be told apart from the same code at another creditor.
    public var holderFiscalCode: String?
    /// Outgoing movements (OPI `USCITA`, camt.053 debits that are not reversals of credits, CSV
    /// debits), and OPI operations that move no new money and settle nothing (`RIPRISTINATO`, a `REGOLARIZZATO`
    /// naming no sospeso).
    public var passedOver = 0

    public init(movements: [TreasuryMovement] = [], page: Page? = nil, passedOver: Int = 0) {
        self.movements = movements
        self.page = page
        self.passedOver = passedOver
    }
}
