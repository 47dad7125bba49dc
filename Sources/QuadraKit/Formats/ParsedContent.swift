/// What a document held once read: the records to store, and the items refused inside it.
enum ParsedContent: Sendable {
    case receipt(Receipt)
    case debtPositions([DebtPosition], quarantined: [DocumentRejection])
    case taxonomy([TaxonomyEntry], quarantined: [DocumentRejection])

    var kindOfRecords: String {
        switch self {
        case .receipt: return "receipt"
        case .debtPositions: return "debt positions"
        case .taxonomy: return "taxonomy"
        }
    }
}
