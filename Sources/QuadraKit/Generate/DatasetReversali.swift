/// The ragioneria in the generated world: every provvisorio the treasurer booked (each credit of an
/// OPI journal) is regularised by a reversale in the same creditor's first journal at least `lag`
/// days later, so the provvisori still open at the end are only the last days'. One reversale in four
/// takes 1.00 less from its first provvisorio than it had: `PROVVISORIO_IMPORTO_DIVERSO`, planted in
/// the ground truth from the night both journals have arrived.
struct DatasetReversali {
    /// A `REGOLARIZZATO` in the journal of `(creditor, day)`.
    struct Reversale {
        var creditor: Int
        var day: Int
        var number: String
        /// The provvisori it settles: number, amount taken, and the credit (for the day it was booked).
        var sospesi: [(number: String, amountCents: Int64, credit: DatasetPlan.Credit)]
        /// Whether its first sospeso is settled short.
        var short: Bool
    }

    static let lag = 3
    static let shortByCents: Int64 = 100
    /// The anomaly of a provvisorio settled short in `truth.jsonl`, beside the planted `InjectedAnomaly` kinds.
    static let shortAnomaly = "REVERSALE_SHORT"

    /// The reversali by creditor and journal day.
    let reversali: [NightSchedule.Statement: Reversale]

    init(plan: DatasetPlan, world: DatasetWorld, firstDay: CivilDate) {
        var journals: [Int: [Int: [DatasetPlan.Credit]]] = [:]
        for credit in plan.credits where world.creditors[credit.creditor].opiAccount != nil {
            journals[credit.creditor, default: [:]][credit.day, default: []].append(credit)
        }
        var reversali: [NightSchedule.Statement: Reversale] = [:]
        for (creditor, days) in journals {
            let sorted = days.keys.sorted()
            for day in sorted {
                guard let target = sorted.first(where: { $0 >= day + Self.lag }) else { continue }
                let key = NightSchedule.Statement(creditor: creditor, day: target)
                let short = (creditor + target) % 4 == 0
                var reversale = reversali[key] ?? Reversale(
                    creditor: creditor, day: target,
                    number: "9" + TreasuryDocument.documentNumber(day: firstDay.adding(days: target), ordinal: creditor + 1), sospesi: [],
                    short: short)
                for (ordinal, credit) in days[day]!.enumerated() {
                    var settled = credit.amountCents
                    if short, reversale.sospesi.isEmpty, settled > Self.shortByCents { settled -= Self.shortByCents }
                    reversale.sospesi.append((TreasuryDocument.documentNumber(day: firstDay.adding(days: day), ordinal: ordinal + 2),
                                              settled, credit))
                }
                reversale.short = reversale.sospesi.first.map { $0.amountCents != $0.credit.amountCents } ?? false
                reversali[key] = reversale
            }
        }
        self.reversali = reversali
    }

    func reversale(creditor: Int, day: Int) -> Reversale? { reversali[NightSchedule.Statement(creditor: creditor, day: day)] }

    /// The provvisori settled short, each from the night its journal and the reversale's have both arrived.
    func planted(world: DatasetWorld, schedule: NightSchedule) -> [PlantedRecord] {
        reversali.values.sorted { ($0.day, $0.creditor) < ($1.day, $1.creditor) }.compactMap { reversale in
            guard reversale.short, let first = reversale.sospesi.first else { return nil }
            return PlantedRecord(
                record: TruthRecord(scope: .movement, anomaly: Self.shortAnomaly, creditor: world.creditors[reversale.creditor].fiscalCode,
                                    amountCents: first.amountCents, day: schedule.date(first.credit.day).description,
                                    codes: [DiscrepancyCode.provvisorioAmountDiffers.rawValue]),
                since: max(schedule.creditDay(first.credit), schedule.statementDay(creditor: reversale.creditor, day: reversale.day)))
        }
    }
}
