/// A debt position published by a creditor on GPD (`PaymentPositionModel` v1): what it expects to collect.
///
/// A position holds payment options (one per notice: a single payment or the instalments of a
/// plan), each split into transfers to beneficiaries. The status fields are those of GPD's response
/// models, kept so reconciliation can compare them with what receipts and flows say.
public struct DebtPosition: Sendable, Equatable {
    /// The creditor that owns the position.
    public var creditorFiscalCode: String
    /// The creditor's own unique id of the position.
    public var iupd: String
    public var debtor: Party?
    public var companyName: String?
    public var officeName: String?
    public var validityDate: String?
    public var switchToExpired: Bool?
    public var payStandIn: Bool?
    /// GPD position status (DRAFT, PUBLISHED, VALID, PARTIALLY_PAID, PAID, REPORTED, INVALID, EXPIRED).
    public var status: String?
    public var paymentDate: String?
    public var options: [PaymentOption]
    /// SHA-256 (hex) of the position as sent: a re-sent identical position is not a new version.
    public var contentDigest: String = ""

    public init(creditorFiscalCode: String, iupd: String, options: [PaymentOption]) {
        self.creditorFiscalCode = creditorFiscalCode
        self.iupd = iupd
        self.options = options
    }
}

/// One notice of a position (`PaymentOptionModel`): a full payment or one instalment.
public struct PaymentOption: Sendable, Equatable {
    public var iuv: String
    public var nav: String?
    public var amountCents: Int64
    public var description: String?
    /// True for an instalment of a plan.
    public var isPartialPayment: Bool
    public var dueDate: String?
    public var retentionDate: String?
    public var feeCents: Int64?
    public var notificationFeeCents: Int64?
    /// GPD option status (PO_UNPAID, PO_PAID, PO_PARTIALLY_REPORTED, PO_REPORTED).
    public var status: String?
    public var paymentDate: String?
    public var idReceipt: String?
    public var idFlowReporting: String?
    public var metadata: [MetadataEntry]
    public var transfers: [PlannedTransfer]

    public init(iuv: String, amountCents: Int64, isPartialPayment: Bool, transfers: [PlannedTransfer]) {
        self.iuv = iuv
        self.amountCents = amountCents
        self.isPartialPayment = isPartialPayment
        self.metadata = []
        self.transfers = transfers
    }
}

/// A planned split of an option (`TransferModel`): the beneficiary, account or stamp, and taxonomy.
public struct PlannedTransfer: Sendable, Equatable {
    public var idTransfer: Int
    public var amountCents: Int64
    public var beneficiaryFiscalCode: String
    public var iban: String?
    public var postalIban: String?
    public var isStamp: Bool
    public var remittanceInformation: String?
    /// `category` as sent.
    public var category: String?
    public var companyName: String?
    /// GPD transfer status (T_UNREPORTED, T_REPORTED).
    public var status: String?
    public var metadata: [MetadataEntry]

    public init(idTransfer: Int, amountCents: Int64, beneficiaryFiscalCode: String, iban: String?, isStamp: Bool) {
        self.idTransfer = idTransfer
        self.amountCents = amountCents
        self.beneficiaryFiscalCode = beneficiaryFiscalCode
        self.iban = iban
        self.isStamp = isStamp
        self.metadata = []
    }

    public var taxonomyCode: String? { category.flatMap(TaxonomyCode.normalize) }
}
