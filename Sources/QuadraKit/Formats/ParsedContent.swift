/// What a document held once read: the records to store, and the items refused inside it.
enum ParsedContent: Sendable {
    case receipt(Receipt)
    case debtPositions([DebtPosition], quarantined: [DocumentRejection])
    case taxonomy([TaxonomyEntry], quarantined: [DocumentRejection])
    /// A flow's header and rows; `streamed` when the rows went straight to the store as they were read.
    case flow(FlowHeader, rows: [FlowRow], streamed: Bool)
    /// A header or a page of an FdR-3 flow delivered in parts, kept until the flow is whole.
    case flowPart(FlowPart)
    case treasury(TreasuryStatement, quarantined: [DocumentRejection])
}

extension ParsedContent {
    /// Treasury movements with the creditor that owns each account, and flows marked as received by
    /// a served creditor or not; other content as it was. Readers leave this out so that they need
    /// no configuration.
    func assigningCreditors(_ directory: CreditorDirectory) -> ParsedContent {
        if case .flow(var header, let rows, let streamed) = self, !directory.creditors.isEmpty {
            header.receiverServed = directory.creditors.contains { $0.fiscalCode == header.receiverFiscalCode }
            return .flow(header, rows: rows, streamed: streamed)
        }
        if case .flowPart(var part) = self, case var .header(header) = part.piece, !directory.creditors.isEmpty {
            header.receiverServed = directory.creditors.contains { $0.fiscalCode == header.receiverFiscalCode }
            part.piece = .header(header)
            return .flowPart(part)
        }
        guard case .treasury(var statement, let quarantined) = self else { return self }
        for index in statement.movements.indices {
            let movement = statement.movements[index]
            statement.movements[index].creditorFiscalCode = directory.creditor(
                ofMovementOn: movement.account, format: movement.format, journalFiscalCode: statement.holderFiscalCode)
        }
        for index in statement.regularisations.indices {
            statement.regularisations[index].creditorFiscalCode = directory.creditor(
                forOPIAccount: statement.regularisations[index].account, journalFiscalCode: statement.holderFiscalCode)
        }
        return .treasury(statement, quarantined: quarantined)
    }
}
