/// `SOURCE_SILENT` (warning): a served creditor expects receipts, flows and (when it loads treasury)
/// credits every working day or so; when one of them has brought nothing for more than
/// `[monitoring] silent_days` Italian banking days before the as-of date, a feed has likely stopped
/// (a PSP channel, a station, the bank's export) and someone should look before money goes astray.
///
/// ```swift
/// let silence = SourceSilence(silentDays: 3)
/// let items = silence.discrepancies(for: creditor, lastArrivals: [.receipts: day], asOf: asOf)
/// ```
///
/// A source that has never brought anything counts as silent too. One item per creditor names every
/// silent source, so it opens once and resolves when the last feed resumes.
public struct SourceSilence: Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case receipts, flows, treasury
    }

    public var silentDays: Int
    public var calendar = WorkingDayCalendar.italianBanking

    public init(silentDays: Int) {
        self.silentDays = silentDays
    }

    public func discrepancies(for creditor: Creditor, lastArrivals: [Source: CivilDate], asOf: CivilDate) -> [Discrepancy] {
        let expected = Source.allCases.filter { $0 != .treasury || creditor.expectsTreasury }
        let silent = expected.compactMap { source -> String? in
            guard let last = lastArrivals[source] else { return "no \(source.rawValue) ever" }
            return calendar.adding(workingDays: silentDays, to: last) < asOf ? "no \(source.rawValue) since \(last)" : nil
        }
        guard !silent.isEmpty else { return [] }
        return [Discrepancy(.sourceSilent, creditor: creditor.fiscalCode,
                            message: "\(silent.joined(separator: ", ")) (more than \(silentDays) working days before \(asOf)): is a feed stopped?")]
    }

    /// The items for every creditor, from what the store holds (`lastArrivals` of a fiscal code).
    func discrepancies(for creditors: [Creditor], asOf: CivilDate,
                       lastArrivals: (String) throws -> [Source: CivilDate]) throws -> [Discrepancy] {
        try creditors.flatMap { try discrepancies(for: $0, lastArrivals: lastArrivals($0.fiscalCode), asOf: asOf) }
    }
}
