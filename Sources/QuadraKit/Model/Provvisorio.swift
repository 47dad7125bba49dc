/// A credit the treasurer booked as a *provvisorio di entrata* (OPI `tipo_documento` `SOSPESO ENTRATA`):
/// money in the ente's cash that its books do not hold yet, until the ragioneria issues a *reversale*
/// that regularises it. The ragioneria names it by year and number, so both are kept with the movement.
public struct Provvisorio: Sendable, Equatable {
    /// OPI `esercizio` of the journal that booked it: numbers restart every year.
    public var fiscalYear: Int
    /// OPI `numero_documento`, as written (the reversale quotes it as `numero_provvisorio`, maybe without zeros).
    public var number: String
    /// OPI `numero_bolletta_quietanza`: the treasurer's receipt number.
    public var receiptNumber: String?
    /// OPI `sospeso_da_regolarizzare/data_effettiva_sospeso`: the day the age of the provvisorio counts from.
    public var effectiveDate: String?
    /// OPI `sospeso_da_regolarizzare/codice_gestionale_provvisorio` (SIOPE code, 4 or 10 digits).
    public var managementCode: String?

    /// A provvisorio number as the integer both sides are matched by (a reversale may quote `0064501`
    /// as `64501`); nil unless it is all digits and fits, which the reader requires of every one.
    public static func value(ofNumber number: String) -> Int64? {
        !number.isEmpty && number.allSatisfy(\.isASCIIDigit) ? Int64(number) : nil
    }

    public init(fiscalYear: Int, number: String, receiptNumber: String? = nil, effectiveDate: String? = nil,
                managementCode: String? = nil) {
        self.fiscalYear = fiscalYear
        self.number = number
        self.receiptNumber = receiptNumber
        self.effectiveDate = effectiveDate
        self.managementCode = managementCode
    }
}

/// An OPI `REGOLARIZZATO` movement: a reversale (or other document) that settled provvisori, each
/// `sospeso` with the amount the document takes from it. It moves no money, so it is no movement of
/// its own; it closes provvisori.
public struct Regularisation: Sendable, Equatable {
    public struct Sospeso: Sendable, Equatable {
        /// OPI `numero_provvisorio`.
        public var number: String
        /// OPI `importo_provvisorio`.
        public var amountCents: Int64

        public init(number: String, amountCents: Int64) {
            self.number = number
            self.amountCents = amountCents
        }
    }

    /// Stable across files like a movement id: a journal sent again lands on the same rows.
    public var regularisationId: String
    public var account: String
    /// The served creditor the account belongs to, set like a movement's.
    public var creditorFiscalCode: String?
    public var fiscalYear: Int
    /// OPI `tipo_documento`: `REVERSALE` for a regularised provvisorio di entrata.
    public var documentType: String
    /// OPI `numero_documento`: the reversale's number.
    public var documentNumber: String
    public var bookingDate: String
    /// OPI `importo`: the reversale's whole amount.
    public var amountCents: Int64
    public var sospesi: [Sospeso]
    public var element: String

    public init(regularisationId: String, account: String, fiscalYear: Int, documentType: String, documentNumber: String,
                bookingDate: String, amountCents: Int64, sospesi: [Sospeso], element: String) {
        self.regularisationId = regularisationId
        self.account = account
        self.fiscalYear = fiscalYear
        self.documentType = documentType
        self.documentNumber = documentNumber
        self.bookingDate = bookingDate
        self.amountCents = amountCents
        self.sospesi = sospesi
        self.element = element
    }
}
