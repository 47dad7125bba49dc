/// A pagoPA receipt (`CtReceipt` of paSendRT or `CtReceiptV2` of paSendRTV2): proof that a notice was paid.
///
/// pagoPA pushes the same receipt, with every transfer, to each creditor that receives one, so a
/// receipt is identified by `receiptId` alone and `contentDigest` tells a repeated delivery from a
/// conflicting one.
public struct Receipt: Sendable, Equatable {
    public enum Version: String, Sendable {
        case v1 = "paSendRT"
        case v2 = "paSendRTV2"
    }

    public var version: Version
    /// Unique id of the payment; the same value is the IUR in reporting flows.
    public var receiptId: String
    /// The 18-digit notice number (NAV).
    public var noticeNumber: String
    /// The creditor that owns the notice (primary creditor).
    public var fiscalCode: String
    public var outcome: String
    /// `creditorReferenceId`, the IUV.
    public var iuv: String
    public var paymentAmountCents: Int64
    public var description: String?
    public var companyName: String?
    public var officeName: String?
    public var debtor: Party?
    public var payer: Party?
    public var pspId: String
    public var pspFiscalCode: String?
    public var pspCompanyName: String?
    public var channelId: String?
    public var channelDescription: String?
    public var paymentMethod: String?
    public var paymentNote: String?
    public var feeCents: Int64?
    public var primaryCiIncurredFeeCents: Int64?
    public var idBundle: String?
    public var idCiBundle: String?
    /// Local date-time as sent (pagoPA sends it without offset).
    public var paymentDateTime: String?
    /// The PSP's accounting day (`YYYY-MM-DD`): the payment's operating day when present.
    public var applicationDate: String?
    public var transferDate: String?
    public var standIn: Bool?
    public var metadata: [MetadataEntry]
    public var transfers: [ReceiptTransfer]
    /// SHA-256 (hex) of the receipt element's content, independent of envelope, station and whitespace.
    public var contentDigest: String

    public init(version: Version, receiptId: String, noticeNumber: String, fiscalCode: String, outcome: String,
                iuv: String, paymentAmountCents: Int64, pspId: String, transfers: [ReceiptTransfer],
                contentDigest: String) {
        self.version = version
        self.receiptId = receiptId
        self.noticeNumber = noticeNumber
        self.fiscalCode = fiscalCode
        self.outcome = outcome
        self.iuv = iuv
        self.paymentAmountCents = paymentAmountCents
        self.pspId = pspId
        self.metadata = []
        self.transfers = transfers
        self.contentDigest = contentDigest
    }
}

/// One split of a receipt (`ctTransferPA` / `ctTransferPAReceiptV2`) to a beneficiary creditor.
public struct ReceiptTransfer: Sendable, Equatable {
    /// 1...5, the same number as the FdR `indiceDatiSingoloPagamento`.
    public var idTransfer: Int
    public var amountCents: Int64
    /// The beneficiary creditor (`fiscalCodePA`), which may differ from the receipt's owner.
    public var beneficiaryFiscalCode: String
    public var companyName: String?
    /// The credited account; nil for a digital stamp.
    public var iban: String?
    /// A digital revenue stamp (MBD): no money reaches the creditor, so it is never reconciled.
    public var isStamp: Bool
    public var remittanceInformation: String?
    /// `transferCategory` as sent (bare or `9/…/` wrapped).
    public var transferCategory: String?
    public var metadata: [MetadataEntry]

    public init(idTransfer: Int, amountCents: Int64, beneficiaryFiscalCode: String, iban: String?, isStamp: Bool) {
        self.idTransfer = idTransfer
        self.amountCents = amountCents
        self.beneficiaryFiscalCode = beneficiaryFiscalCode
        self.iban = iban
        self.isStamp = isStamp
        self.metadata = []
    }

    /// The bare taxonomy code of `transferCategory`, when it is one.
    public var taxonomyCode: String? { transferCategory.flatMap(TaxonomyCode.normalize) }
}
