/// Everything the store knows about one transfer key, gathered for the classifier.
public struct KeyEvidence: Sendable, Equatable {
    /// The receipt side (RT): the receipt transfer paying this key.
    public struct Paid: Sendable, Equatable {
        public var amountCents: Int64
        /// The payment's operating day D: `applicationDate`, else the date of `paymentDateTime`.
        public var paymentDay: CivilDate
        public var pspId: String
        public var standIn: Bool
        public var iban: String?
        public var taxonomyCode: String?
        /// `transferCategory` as sent, for messages when it is not a code.
        public var category: String?
        /// The creditor's share of the whole receipt (its transfers summed): what a single `/RFB/` credit carries.
        public var creditorShareCents: Int64
        public var receiptTotalCents: Int64

        public init(amountCents: Int64, paymentDay: CivilDate, pspId: String, creditorShareCents: Int64, receiptTotalCents: Int64) {
            self.amountCents = amountCents
            self.paymentDay = paymentDay
            self.pspId = pspId
            self.standIn = false
            self.creditorShareCents = creditorShareCents
            self.receiptTotalCents = receiptTotalCents
        }
    }

    /// The debt-position side (IUD): the planned transfer and its option.
    public struct Planned: Sendable, Equatable {
        public var amountCents: Int64
        public var optionAmountCents: Int64
        public var iupd: String
        public var beneficiary: String
        public var iban: String?
        public var taxonomyCode: String?
        public var positionStatus: String?
        public var optionStatus: String?
        public var dueDate: CivilDate?

        public init(amountCents: Int64, optionAmountCents: Int64, iupd: String, beneficiary: String) {
            self.amountCents = amountCents
            self.optionAmountCents = optionAmountCents
            self.iupd = iupd
            self.beneficiary = beneficiary
        }
    }

    /// The reporting side (IUF): the row of the current flow version, and that flow's credit.
    public struct Reported: Sendable, Equatable {
        public var amountCents: Int64?
        public var outcome: FlowOutcome
        public var flowId: String
        public var pspId: String
        public var revision: Int
        public var settlementDate: CivilDate?
        /// Sum of the flow's current rows: what its credit must equal.
        public var flowTotalCents: Int64
        /// Credits on the creditor's accounts naming this flow, net of reversals.
        public var creditedCents: Int64

        public init(amountCents: Int64?, outcome: FlowOutcome, flowId: String, pspId: String, revision: Int,
                    settlementDate: CivilDate?, flowTotalCents: Int64, creditedCents: Int64) {
            self.amountCents = amountCents
            self.outcome = outcome
            self.flowId = flowId
            self.pspId = pspId
            self.revision = revision
            self.settlementDate = settlementDate
            self.flowTotalCents = flowTotalCents
            self.creditedCents = creditedCents
        }
    }

    public var key: TransferKey
    public var paid: Paid?
    public var planned: Planned?
    public var reported: Reported?
    /// Net amount of single-payment credits (`/RFB/` or `/RFS/`) naming this key's IUV on the creditor's
    /// accounts, less what the IUV's receipts before this one took of it (`SingleCreditShares`).
    public var singleCreditCents: Int64?
    /// Another key of this key's receipt already names what those credits leave short.
    public var shortfallNamedOnAnotherKey = false
    /// The creditor loads its debt positions, so a receipt without one is an anomaly.
    public var creditorExpectsPositions: Bool
    /// The creditor loads its treasury, so a flow never credited is an anomaly.
    public var creditorExpectsTreasury = true
    /// Accounts the creditor declared; empty when none are configured (then no IBAN check).
    public var creditorIBANs: Set<String>
    /// Other receipts or reported IURs for the same (creditor, IUV, index): a double payment or an IUR mismatch.
    public var siblings: Siblings
    /// Taxonomy validity for the payment day: nil when the code is not in the table at all.
    public var taxonomyValidOnPaymentDay: Bool?

    public struct Siblings: Sendable, Equatable {
        /// Distinct receipt ids for (creditor, IUV, index), this key's included.
        public var receipts: Int
        /// Distinct IURs among current flow rows for (creditor, IUV, index).
        public var reportedIURs: Int

        public init(receipts: Int, reportedIURs: Int) {
            self.receipts = receipts
            self.reportedIURs = reportedIURs
        }
    }

    public init(key: TransferKey, creditorExpectsPositions: Bool = false) {
        self.key = key
        self.creditorExpectsPositions = creditorExpectsPositions
        self.creditorIBANs = []
        self.siblings = Siblings(receipts: 0, reportedIURs: 0)
    }
}
