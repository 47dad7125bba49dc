/// A reporting flow (flusso di rendicontazione, FdR): a PSP's statement of the transfers it paid to
/// one creditor and credited with one bank transfer.
///
/// A flow is identified by (receiving creditor, PSP, flow id): flow ids repeat across creditors in
/// the wild. The same flow may arrive as XML and as FdR-3 JSON (pagoPA converts both ways) and in
/// several versions; `FlowHeader` is one version's header, its rows arrive one by one (`FlowSink`).
public struct FlowHeader: Sendable, Equatable, Codable {
    public enum Channel: String, Sendable, Codable {
        /// `FlussoRiversamento` XML (SOAP channel).
        case xml
        /// FdR-3 JSON (REST channel).
        case fdr3
    }

    public var channel: Channel
    /// `identificativoFlusso` / `fdr`: the IUF, also written in the credit's causale.
    public var flowId: String
    /// `dataOraFlusso` / `fdrDate` as sent.
    public var flowDateTime: String
    /// The same moment in UTC (`YYYY-MM-DDThh:mm:ssZ`): versions are ordered by it.
    public var flowInstant: String
    /// FdR-3's own revision; XML versions are numbered by the store.
    public var sourceRevision: Int?
    public var pspId: String
    /// `tipoIdentificativoUnivoco` G/A/B (FdR-3 LEGAL_PERSON/ABI_CODE/BIC_CODE mapped to them).
    public var senderType: String?
    public var senderId: String?
    public var senderName: String?
    public var receiverFiscalCode: String
    public var receiverName: String?
    /// `identificativoUnivocoRegolamento` / `regulation`: reference of the settlement bank transfer.
    public var settlementReference: String?
    /// `dataRegolamento` / the Italian date of `regulationDate`.
    public var settlementDate: String?
    public var bic: String?
    public var declaredCount: Int?
    public var declaredTotalCents: Int64?
    /// Declared values present but unreadable, each `name 'text' …` (for `FDR_BAD_HEADER`).
    public var unreadableDeclarations: [String] = []
    /// Whether the receiver is a creditor of the configuration; nil when there is none.
    public var receiverServed: Bool?

    public init(channel: Channel, flowId: String, flowDateTime: String, flowInstant: String, pspId: String,
                receiverFiscalCode: String) {
        self.channel = channel
        self.flowId = flowId
        self.flowDateTime = flowDateTime
        self.flowInstant = flowInstant
        self.pspId = pspId
        self.receiverFiscalCode = receiverFiscalCode
    }
}

/// One reported transfer (`datiSingoliPagamenti` / FdR-3 `Payment`).
public struct FlowRow: Sendable, Equatable, Codable {
    /// IUV, IUR and flow ids are `stText35` in the FdR schema: a longer one is not read.
    public static let maximumIdentifier = 35

    public var iuv: String
    /// The IUR: the receipt's `receiptId` in the current model.
    public var iur: String
    /// `indiceDatiSingoloPagamento` / `idTransfer`; 1 when absent.
    public var transferIndex: Int
    /// Nil when the amount could not be read: the row is kept with a finding.
    public var amountCents: Int64?
    public var outcome: FlowOutcome
    /// The code as sent (`0`…`9` or the FdR-3 name), kept for an unknown outcome.
    public var outcomeCode: String
    public var outcomeDate: String?
    /// What was wrong with the row, if anything; it is stored all the same.
    public var problem: String?

    public init(iuv: String, iur: String, transferIndex: Int, amountCents: Int64?, outcome: FlowOutcome,
                outcomeCode: String, outcomeDate: String?) {
        self.iuv = iuv
        self.iur = iur
        self.transferIndex = transferIndex
        self.amountCents = amountCents
        self.outcome = outcome
        self.outcomeCode = outcomeCode
        self.outcomeDate = outcomeDate
    }
}

/// The outcome of a reported payment, one enum for the XML codes and the FdR-3 names.
public enum FlowOutcome: String, Sendable, CaseIterable, Codable {
    /// 0: a normal payment with its receipt.
    case executed = "EXECUTED"
    /// 3: revoked (old revocation process; dropped from FdR 1.0.5).
    case revoked = "REVOKED"
    /// 4: paid while the creditor's station was in Stand-In; a receipt still exists.
    case standIn = "STAND_IN"
    /// 8: Stand-In without a regular receipt correlation.
    case standInNoRPT = "STAND_IN_NO_RPT"
    /// 9: executed without a regular receipt correlation.
    case noRPT = "NO_RPT"
    /// A code neither format defines: the row is kept and the flow gets a finding.
    case unknown = "UNKNOWN"

    public init(xmlCode: String) {
        switch xmlCode {
        case "0": self = .executed
        case "3": self = .revoked
        case "4": self = .standIn
        case "8": self = .standInNoRPT
        case "9": self = .noRPT
        default: self = .unknown
        }
    }

    public init(fdr3Status: String) {
        self = FlowOutcome(rawValue: fdr3Status).flatMap { $0 == .unknown ? nil : $0 } ?? .unknown
    }

    /// The FdR schema's annotation of `singoloImportoPagato`: a revoked payment (3) is reported with a
    /// negative amount, so that the flow's total is the signed sum; no other outcome may be negative.
    public func allows(amountCents: Int64) -> Bool { amountCents >= 0 || self == .revoked }
}
