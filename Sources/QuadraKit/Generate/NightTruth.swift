/// Defects that only a sequence of nights shows: evidence that arrives after it was due.
public enum LateArrival: String, Sendable {
    /// A flow published after its rows were due: `FDR_OVERDUE` on its keys, and its credit names a
    /// flow nobody has yet (`TES_UNKNOWN_REFERENCE`), until it lands.
    case lateFlow = "LATE_FLOW"
    /// A treasury statement delivered days after its booking day: the flows it pays are `TES_OVERDUE`
    /// until it lands.
    case lateStatement = "LATE_STATEMENT"
}

/// What each night's run must report. A planted record is present from the night the schedule says
/// it shows; a flow's credit is judged night by night on the credits that have arrived (pending,
/// `TES_PARTIAL`, `TES_OVERDUE`, `TES_AMOUNT_MISMATCH`, or nothing); a late flow's keys are overdue and
/// its credits unknown until it lands. The status of each item follows from two consecutive nights,
/// as the store files it: `new` when first present, `open` while present, `resolved` the night it is gone.
struct NightTruth {
    let plan: DatasetPlan
    let truth: GroundTruth
    let planted: [PlantedRecord]

    /// The credit codes of a flow follow the credits that have arrived, so the planted flow records
    /// keep only the flow's own findings.
    private static let creditCodes: Set<String> = ["TES_OVERDUE", "TES_AMOUNT_MISMATCH"]

    /// For each night (day offsets 0 ..< `nights`), the records its run must list, one code each.
    func nights(_ nights: Int) -> [[TruthRecord]] {
        var credits = [[DatasetPlan.Credit]](repeating: [], count: plan.flows.count)
        for credit in plan.credits where credit.anomaly == nil { credits[credit.flow].append(credit) }
        var previous = Set<TruthRecord>()
        return (0..<nights).map { night in
            let present = self.present(night, credits: credits)
            var records = present.map { record in
                var record = record
                record.status = previous.contains(record) ? "open" : "new"
                return record
            }
            for var gone in previous.subtracting(present) {
                gone.status = "resolved"
                records.append(gone)
            }
            previous = present
            return records
        }
    }

    private func present(_ night: Int, credits: [[DatasetPlan.Credit]]) -> Set<TruthRecord> {
        let schedule = truth.schedule
        var present = Set<TruthRecord>()
        for item in planted where item.since <= night {
            for code in item.record.codes where item.record.scope != .flow || !Self.creditCodes.contains(code) {
                var record = item.record
                // The label is the key's at the end of the world, not on this night.
                record.label = nil
                record.codes = [code]
                present.insert(record)
            }
        }
        for (index, flow) in plan.flows.enumerated() where schedule.flowDay[index] <= night {
            let credited = credits[index].filter { schedule.creditDay($0) <= night }.reduce(Int64(0)) { $0 + $1.amountCents }
            guard let code = creditCode(flow, credited: credited, night: night) else { continue }
            present.insert(TruthRecord(scope: .flow, anomaly: flow.anomaly?.rawValue ?? LateArrival.lateStatement.rawValue,
                                       creditor: truth.world.creditors[flow.creditor].fiscalCode, flowId: truth.flows.flowId(flow),
                                       pspId: truth.world.psps[flow.psp].id, codes: [code]))
        }
        for index in schedule.lateFlows where night < schedule.flowDay[index] {
            let flow = plan.flows[index]
            for row in flow.rows where night > schedule.offset(schedule.deadlines.flowDue(paymentDay: schedule.date(row.paymentDay))) {
                present.insert(TruthRecord(scope: .key, anomaly: LateArrival.lateFlow.rawValue,
                                           creditor: truth.world.creditors[flow.creditor].fiscalCode,
                                           iuv: truth.identity.iuv(notice: row.noticeSerial, slot: row.slot),
                                           iur: truth.identity.receiptId(row.iurSerial), transferIndex: row.transferIndex,
                                           codes: ["FDR_OVERDUE"]))
            }
            for credit in credits[index] where schedule.creditDay(credit) <= night {
                present.insert(truth.movement(credit, anomaly: LateArrival.lateFlow.rawValue, codes: ["TES_UNKNOWN_REFERENCE"]))
            }
        }
        return present
    }

    /// The credit of a flow that has arrived, on the credits that have arrived by `night`: nothing
    /// while it is pending or complete.
    private func creditCode(_ flow: DatasetPlan.Flow, credited: Int64, night: Int) -> String? {
        let schedule = truth.schedule
        let overdue = night > schedule.offset(schedule.deadlines.creditDue(settlementDate: schedule.date(flow.settlementDay)))
        let total = flow.reportedTotalCents
        if credited == 0 { return overdue ? "TES_OVERDUE" : nil }
        if credited > total || (credited < total && overdue) { return "TES_AMOUNT_MISMATCH" }
        return credited < total ? "TES_PARTIAL" : nil
    }
}
