/// When each document of the plan reaches the intermediary, as a day offset (the night of day D runs
/// as of D and reads what arrived that day): a receipt the day it is paid, a debt position a few days
/// before the payment that settles it, a flow on its settlement day, a treasury statement on its
/// booking day. With late arrivals on, some flows and statements are held back, at the anomaly rate:
/// the defects that only a sequence of nights can show, overdue first and resolved when they land.
struct NightSchedule {
    /// A creditor's treasury statement of one booking day.
    struct Statement: Hashable {
        var creditor: Int
        var day: Int
    }

    let firstDay: CivilDate
    let deadlines = Deadlines()
    /// The day each flow of the plan arrives.
    private(set) var flowDay: [Int]
    /// Flows that are whole only after their rows were due: sent late, or missing a page until then.
    private(set) var lateFlows: [Int] = []
    /// Flows in parts whose header and first pages arrive on the settlement day and whose last page
    /// arrives on `flowDay`, after the parts were due.
    private(set) var flowsMissingAPage: Set<Int> = []
    /// Statements that arrive days after their booking day, and the day they do.
    private(set) var lateStatements: [Statement: Int] = [:]

    /// `inParts` tells which flows are delivered as header and pages.
    init(plan: DatasetPlan, options: DatasetOptions, lateArrivals: Bool, inParts: (DatasetPlan.Flow) -> Bool) {
        firstDay = options.firstDay
        flowDay = plan.flows.map(\.settlementDay)
        guard lateArrivals else { return }
        holdBackPages(plan: plan, options: options, inParts: inParts)
        // A stream of its own, so late arrivals leave the plan (and the single inbox) as it was.
        var random = SplitMix64(seed: options.seed ^ 0x4C41_5445_4E49_4748)
        let calendar = deadlines.calendar
        for (index, flow) in plan.flows.enumerated() where Self.canArriveLate(flow, plan: plan) && !flowsMissingAPage.contains(index) {
            guard random.chance(perMillion: options.anomalyRatePerMillion) else { continue }
            // Two working days after its rows were due: overdue for at least one night.
            let due = deadlines.flowDue(paymentDay: date(flow.rows[0].paymentDay))
            flowDay[index] = offset(calendar.adding(workingDays: 2, to: due))
            lateFlows.append(index)
        }
        let statements = Set(plan.credits.map { Statement(creditor: $0.creditor, day: $0.day) })
        for statement in statements.sorted(by: { ($0.day, $0.creditor) < ($1.day, $1.creditor) }) {
            guard random.chance(perMillion: options.anomalyRatePerMillion) else { continue }
            // Three working days late: past the credit deadline of every flow it pays.
            lateStatements[statement] = offset(calendar.adding(workingDays: 3, to: date(statement.day)))
        }
    }

    /// One flow in parts in four (clean ones only, never one already late) misses its last page until
    /// two working days after the parts were due: `FDR_INCOMPLETE` on the flow and `FDR_OVERDUE` on
    /// its keys meanwhile. A stream of its own, so the other late arrivals stay as they were.
    private mutating func holdBackPages(plan: DatasetPlan, options: DatasetOptions, inParts: (DatasetPlan.Flow) -> Bool) {
        var random = SplitMix64(seed: options.seed ^ 0x5041_4745_4C41_5445)
        for (index, flow) in plan.flows.enumerated() where inParts(flow) && Self.canArriveLate(flow, plan: plan) {
            guard random.chance(perMillion: 250_000) else { continue }
            let due = deadlines.partsDue(settlementDate: date(flow.settlementDay))
            flowDay[index] = offset(deadlines.calendar.adding(workingDays: 2, to: due))
            lateFlows.append(index)
            flowsMissingAPage.insert(index)
        }
    }

    /// The day a flow's header and first pages arrive: its last page's day, unless that one is held back.
    func firstPartsDay(ofFlow index: Int, _ flow: DatasetPlan.Flow) -> Int {
        flowsMissingAPage.contains(index) ? flow.settlementDay : flowDay[index]
    }

    /// What made a late flow late.
    func lateness(ofFlow index: Int) -> LateArrival { flowsMissingAPage.contains(index) ? .latePage : .lateFlow }

    func date(_ offset: Int) -> CivilDate { firstDay.adding(days: offset) }

    func offset(_ day: CivilDate) -> Int { CivilDate.daysBetween(firstDay, day) }

    /// Positions are loaded one to five days before the payment (never before the first night).
    func positionDay(_ payment: DatasetPlan.Payment) -> Int { max(0, payment.day - 1 - payment.serial % 5) }

    func statementDay(creditor: Int, day: Int) -> Int { lateStatements[Statement(creditor: creditor, day: day)] ?? day }

    func creditDay(_ credit: DatasetPlan.Credit) -> Int { statementDay(creditor: credit.creditor, day: credit.day) }

    /// Only a flow of clean payments is held back, so that its lateness is the only thing said about its keys.
    private static func canArriveLate(_ flow: DatasetPlan.Flow, plan: DatasetPlan) -> Bool {
        flow.anomaly == nil && flow.rows.allSatisfy { row in
            row.iurSerial < plan.payments.count && plan.payments[row.iurSerial].anomaly == nil && !plan.payments[row.iurSerial].standIn
        }
    }
}
