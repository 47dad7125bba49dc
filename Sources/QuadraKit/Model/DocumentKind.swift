/// What a document is, told from its content (root element and namespace, or top-level JSON keys).
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    case receiptV1 = "receipt-v1"
    case receiptV2 = "receipt-v2"
    case debtPositions = "debt-positions"
    case taxonomyJSON = "taxonomy-json"
    case taxonomyCSV = "taxonomy-csv"
    /// `FlussoRiversamento`, bare or base64-wrapped in a node message.
    case flowXML = "fdr-xml"
    /// FdR-3 JSON flow with its payments.
    case flowJSON = "fdr3-json"
    /// FdR-3 flow header without its payments (`SingleFlowResponse`), one part of a flow delivered in pages.
    case flowHeader = "fdr3-header"
    /// FdR-3 page of payments (`PaginatedPaymentsResponse`), identified by the path it was saved under.
    case flowPage = "fdr3-page"
    /// OPI *Giornale di Cassa* (SIOPE+), one page of a treasurer's daily journal.
    case opiJournal = "opi-journal"
    /// ISO 20022 camt.053 bank-to-customer statement.
    case camt053 = "camt053"
    /// A bank's CSV statement, read with a layout from the configuration.
    case bankCSV = "bank-csv"
    /// Content Quadra does not read: always a rejection, never silently skipped.
    case unknown
}
