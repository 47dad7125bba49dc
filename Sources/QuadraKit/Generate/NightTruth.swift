/// Defects that only a sequence of nights shows: evidence that arrives after it was due.
public enum LateArrival: String, Sendable {
    /// A flow published after its rows were due: `FDR_OVERDUE` on its keys, and its credit names a
    /// flow nobody has yet (`TES_UNKNOWN_REFERENCE`), until it lands.
    case lateFlow = "LATE_FLOW"
    /// A treasury statement delivered days after its booking day: the flows it pays are `TES_OVERDUE`
    /// until it lands.
    case lateStatement = "LATE_STATEMENT"
    /// A flow in parts whose last page comes after the parts were due: `FDR_INCOMPLETE` on the flow
    /// and, as for a late flow, `FDR_OVERDUE` on its keys until it is whole; its credit waits, silent.
    case latePage = "LATE_PAGE"
}

/// What each night's run must report. A planted record is present from the night the schedule says
/// it shows; a flow's credit is judged night by night on the credits that have arrived (pending,
/// `TES_PARTIAL`, `TES_OVERDUE`, `TES_AMOUNT_MISMATCH`, or nothing); a late flow's keys are overdue and
/// its credits unknown until it lands. The status of each item follows from two consecutive nights,
/// as the store files it: `new` when first present, `open` while present, `resolved` the night it is gone,
/// or `escalated` when a graver one took its place on the same item that night.
struct NightTruth {
    let plan: DatasetPlan
    let truth: GroundTruth
    let planted: [PlantedRecord]

    /// The credit codes of a flow follow the credits that have arrived, so the planted flow records
    /// keep only the flow's own findings.
    private static let creditCodes: Set<String> = ["TES_OVERDUE", "TES_AMOUNT_MISMATCH", "TES_PARTIAL", "TES_LATE"]

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
            let raisedTonight = records.filter { $0.status == "new" }
            for var gone in previous.subtracting(present) {
                gone.status = escalated(gone, among: raisedTonight) ? "escalated" : "resolved"
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
            let arrived = credits[index].filter { schedule.creditDay($0) <= night }
            for code in creditCodes(flow, credited: credited, completedOn: completion(arrived, total: flow.reportedTotalCents), night: night) {
                present.insert(TruthRecord(scope: .flow, anomaly: flow.anomaly?.rawValue ?? LateArrival.lateStatement.rawValue,
                                           creditor: truth.world.creditors[flow.creditor].fiscalCode, flowId: truth.flows.flowId(flow),
                                           pspId: truth.world.psps[flow.psp].id, codes: [code]))
            }
        }
        for index in schedule.lateFlows where night < schedule.flowDay[index] {
            let flow = plan.flows[index], lateness = schedule.lateness(ofFlow: index).rawValue
            let creditor = truth.world.creditors[flow.creditor].fiscalCode
            if schedule.flowsMissingAPage.contains(index),
               night > schedule.offset(schedule.deadlines.partsDue(settlementDate: schedule.date(flow.settlementDay))) {
                present.insert(TruthRecord(scope: .flow, anomaly: lateness, creditor: creditor, flowId: truth.flows.flowId(flow),
                                           pspId: truth.world.psps[flow.psp].id, codes: ["FDR_INCOMPLETE"]))
            }
            for row in flow.rows where night > schedule.offset(schedule.deadlines.flowDue(paymentDay: schedule.date(row.paymentDay))) {
                present.insert(TruthRecord(scope: .key, anomaly: lateness, creditor: creditor,
                                           iuv: truth.identity.iuv(notice: row.noticeSerial, slot: row.slot),
                                           iur: truth.identity.receiptId(row.iurSerial), transferIndex: row.transferIndex,
                                           codes: ["FDR_OVERDUE"]))
            }
            // A credit naming a flow whose header is in waits for its last page, unknown to nobody.
            for credit in credits[index] where schedule.creditDay(credit) <= night && !schedule.flowsMissingAPage.contains(index) {
                present.insert(truth.movement(credit, anomaly: lateness, codes: ["TES_UNKNOWN_REFERENCE"]))
            }
        }
        return present
    }

    /// The credit codes of a flow that has arrived, on the credits that have arrived by `night`, by
    /// the engine's own rules: pending, partial, overdue, mismatched, late, or nothing.
    private func creditCodes(_ flow: DatasetPlan.Flow, credited: Int64, completedOn: Int?, night: Int) -> [String] {
        let schedule = truth.schedule
        var evidence = Classifier.FlowEvidence(creditor: "", flowId: "", pspId: "", settlementDate: schedule.date(flow.settlementDay),
                                               totalCents: flow.reportedTotalCents, creditedCents: credited)
        evidence.creditedOn = completedOn.map(schedule.date)
        return Classifier(asOf: schedule.date(night), deadlines: schedule.deadlines).classify(evidence).map(\.code)
    }

    /// The booking day on which the credits, in booking order, first reach the flow's total.
    private func completion(_ credits: [DatasetPlan.Credit], total: Int64) -> Int? {
        var sum: Int64 = 0
        for credit in credits.sorted(by: { $0.day < $1.day }) {
            sum += credit.amountCents
            if sum >= total { return credit.day }
        }
        return nil
    }

    /// Whether an item gone tonight was replaced by a new one on the same item, by the engine's rule.
    private func escalated(_ gone: TruthRecord, among raised: [TruthRecord]) -> Bool {
        guard let code = gone.codes.first, let kind = DiscrepancyCode(rawValue: code) else { return false }
        let sameItem = raised.filter { record in
            record.scope == gone.scope && record.creditor == gone.creditor && record.iuv == gone.iuv && record.iur == gone.iur
                && record.transferIndex == gone.transferIndex && record.amountCents == gone.amountCents && record.day == gone.day
                && (gone.scope == .key || (record.flowId == gone.flowId && record.pspId == gone.pspId))
        }
        let discrepancies = sameItem.compactMap { $0.codes.first.flatMap(DiscrepancyCode.init(rawValue:)) }.map { Discrepancy($0, message: "") }
        return Discrepancy.replacement(of: code, severity: kind.severity, among: discrepancies) != nil
    }
}
