/// What a document held once read: the records to store, and the items refused inside it.
enum ParsedContent: Sendable {
    case receipt(Receipt)
    case debtPositions([DebtPosition], quarantined: [DocumentRejection])
    case taxonomy([TaxonomyEntry], quarantined: [DocumentRejection])
    /// A flow's header and rows; `streamed` when the rows went straight to the store as they were read.
    case flow(FlowHeader, rows: [FlowRow], streamed: Bool)
}
