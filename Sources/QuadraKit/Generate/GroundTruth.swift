/// One planted defect and what the engine must say about it: a line of `truth.jsonl`.
public struct TruthRecord: Codable, Sendable, Hashable {
    public enum Scope: String, Codable, Sendable {
        case key, flow, movement, position
    }

    public var scope: Scope
    public var anomaly: String
    public var creditor: String
    public var iuv: String?
    public var iur: String?
    public var transferIndex: Int?
    public var flowId: String?
    public var pspId: String?
    /// A movement's amount, which identifies it together with the creditor and day.
    public var amountCents: Int64?
    public var day: String?
    /// The label the key must get (`nil`: none holds); keys only.
    public var label: String?
    /// The discrepancy codes the engine must raise for this item, and no others.
    public var codes: [String]
    /// In a night's `truth.jsonl`: `new` the first night the item is due and raised, `open` after,
    /// `resolved` the night late evidence clears it (one code per line then).
    public var status: String?
    /// The status Quadra must derive for the position (`PositionStatus`); positions only, where the plan tells.
    public var positionStatus: String?

    enum CodingKeys: String, CodingKey {
        case scope, anomaly, creditor, iuv, iur, label, codes, day, status
        case positionStatus = "position_status"
        case transferIndex = "transfer_index", flowId = "flow_id", pspId = "psp_id", amountCents = "amount_cents"
    }
}

/// What a generated dataset holds and what reconciling it must give: `dataset.json`.
public struct DatasetSummary: Codable, Sendable {
    public var seed: UInt64
    public var firstDay: String
    public var lastPaymentDay: String
    /// The as-of date at which every piece of evidence is due, so every planted defect shows.
    public var asOf: String
    public var counts: [String: Int]
    /// Transfer keys by the label they must get (`NONE` where no label holds).
    public var expectedLabels: [String: Int]
    /// Discrepancies by code, as `truth.jsonl` lists them.
    public var expectedDiscrepancies: [String: Int]
    public var anomalies: [String: Int]

    enum CodingKeys: String, CodingKey {
        case seed, counts, anomalies
        case firstDay = "first_day", lastPaymentDay = "last_payment_day", asOf = "as_of"
        case expectedLabels = "expected_labels", expectedDiscrepancies = "expected_discrepancies"
    }
}

/// A truth record and the day from which a nightly run sees it: the day the last evidence it needs
/// arrives, or the day after its deadline.
struct PlantedRecord {
    var record: TruthRecord
    var since: Int
}

/// Works out, from the plan alone, the label of every key and the codes of every planted defect.
struct GroundTruth {
    let plan: DatasetPlan
    let world: DatasetWorld
    let identity: DatasetIdentity
    let flows: FlowDocument
    let schedule: NightSchedule

    func records(settlementDay: (Int) -> Int) -> (records: [PlantedRecord], labels: [String: Int]) {
        var flowOf: [DatasetPlan.FlowKey: Int] = [:]
        for (index, flow) in plan.flows.enumerated() { flowOf[flow.key] = index }
        var records: [PlantedRecord] = []
        var labels: [String: Int] = [:]
        func key(_ creditor: Int, notice: Int, slot: Int, iurSerial: Int, index: Int, anomaly: InjectedAnomaly, label: Label?,
                 since: Int) -> PlantedRecord {
            PlantedRecord(record: TruthRecord(scope: .key, anomaly: anomaly.rawValue, creditor: world.creditors[creditor].fiscalCode,
                                              iuv: identity.iuv(notice: notice, slot: slot), iur: identity.receiptId(iurSerial),
                                              transferIndex: index, label: label?.rawValue, codes: anomaly.keyCodes),
                          since: since)
        }
        for payment in plan.payments {
            let original = plan.payments[payment.noticeSerial]
            let position = original.position
            let settlement = settlementDay(payment.day)
            for (offset, transfer) in payment.transfers.enumerated() {
                guard case let .served(creditor) = transfer.beneficiary else { continue }
                let flowIndex = flowOf[DatasetPlan.FlowKey(settlement: settlement, psp: payment.psp, creditor: creditor)]
                let flow = flowIndex.map { plan.flows[$0] }
                let reported = flow != nil && payment.anomaly != .missingFlowRow && payment.anomaly != .iurMismatch
                let agreesWithFlow = reported && payment.anomaly != .wrongFlowAmount && payment.anomaly != .revokedInFlow
                let agreesWithPlan = position != nil && position?.askedCents == nil
                // Credited twice is credited: the keys are cashed, the excess is the flow's discrepancy.
                let credited = ![.missingCredit, .partialCredit, .unparseableCausale].contains(flow?.anomaly)
                let label: Label? = switch (agreesWithFlow, agreesWithPlan, credited) {
                case (true, true, true): .iudRtIufTes
                case (true, false, true): .rtIufTes
                case (true, true, false): .iudRtIuf
                case (true, false, false): .rtIuf
                default: nil
                }
                labels[label?.rawValue ?? "NONE", default: 0] += 1
                if payment.standIn {
                    records.append(key(creditor, notice: payment.noticeSerial, slot: payment.slot, iurSerial: payment.serial,
                                       index: offset + 1, anomaly: .standIn, label: label, since: payment.day))
                } else if let anomaly = payment.anomaly, !anomaly.keyCodes.isEmpty,
                          anomaly != .reportedWithoutReceipt, anomaly != .positionPaidNoReceipt {
                    let since = seen(anomaly, payment: payment, flowDay: flowIndex.map { schedule.flowDay[$0] })
                    records.append(key(creditor, notice: payment.noticeSerial, slot: payment.slot, iurSerial: payment.serial,
                                       index: offset + 1, anomaly: anomaly, label: label, since: since))
                    if anomaly == .iurMismatch, flow != nil {
                        records.append(key(creditor, notice: payment.noticeSerial, slot: payment.slot,
                                           iurSerial: payment.serial + DatasetPlan.mismatchedIUR, index: 1, anomaly: anomaly, label: nil,
                                           since: since))
                        labels["NONE", default: 0] += 1
                    }
                }
            }
            if payment.anomaly == .doublePayment, payment.serial != payment.noticeSerial, position != nil {
                records.append(PlantedRecord(record: TruthRecord(scope: .position, anomaly: InjectedAnomaly.doublePayment.rawValue,
                                                                 creditor: world.creditors[payment.creditor].fiscalCode,
                                                                 iuv: identity.iuv(notice: payment.noticeSerial, slot: payment.slot),
                                                                 codes: ["OVERPAYMENT"], positionStatus: PositionStatus.overpaid.rawValue),
                                             since: payment.day))
            }
        }
        for (index, flow) in plan.flows.enumerated() {
            for row in flow.rows where row.slot == 9 {
                records.append(key(flow.creditor, notice: row.noticeSerial, slot: 9, iurSerial: row.iurSerial, index: 1,
                                   anomaly: .reportedWithoutReceipt, label: nil, since: schedule.flowDay[index]))
                labels["NONE", default: 0] += 1
            }
            if let anomaly = flow.anomaly, anomaly != .unknownReference {
                records.append(PlantedRecord(record: TruthRecord(scope: .flow, anomaly: anomaly.rawValue,
                                                                 creditor: world.creditors[flow.creditor].fiscalCode, flowId: flows.flowId(flow),
                                                                 pspId: world.psps[flow.psp].id,
                                                                 codes: anomaly.flowCodes + (lateSplit(flow) ? ["TES_LATE"] : [])),
                                             since: schedule.flowDay[index]))
            }
        }
        for paid in plan.paidPositions {
            records.append(key(paid.creditor, notice: paid.noticeSerial, slot: 9, iurSerial: paid.iurSerial, index: 1,
                               anomaly: .positionPaidNoReceipt, label: nil, since: paid.day))
            labels["NONE", default: 0] += 1
            // GPD sends the position PAID; with no receipt Quadra derives it VALID and says so.
            var position = TruthRecord(scope: .position, anomaly: InjectedAnomaly.positionPaidNoReceipt.rawValue,
                                       creditor: world.creditors[paid.creditor].fiscalCode,
                                       iuv: identity.iuv(notice: paid.noticeSerial, slot: 9), codes: ["POSITION_STATUS_MISMATCH"])
            position.positionStatus = PositionStatus.valid.rawValue
            records.append(PlantedRecord(record: position, since: paid.day))
        }
        for credit in plan.credits {
            guard let anomaly = credit.anomaly else { continue }
            records.append(PlantedRecord(record: movement(credit, anomaly: anomaly.rawValue, codes: anomaly.movementCodes),
                                         since: schedule.creditDay(credit)))
        }
        records += DatasetReversali(plan: plan, world: world, firstDay: schedule.firstDay).planted(world: world, schedule: schedule)
        return (records, labels)
    }

    /// A split credit whose second part comes a working day after a credit already made on the due
    /// day (settlement + 1) completes the flow late.
    private func lateSplit(_ flow: DatasetPlan.Flow) -> Bool {
        flow.anomaly == .splitCredit && flow.creditDay > flow.settlementDay
    }

    /// A treasury credit, known by its creditor, amount and booking day.
    func movement(_ credit: DatasetPlan.Credit, anomaly: String, codes: [String]) -> TruthRecord {
        TruthRecord(scope: .movement, anomaly: anomaly, creditor: world.creditors[credit.creditor].fiscalCode,
                    amountCents: credit.amountCents, day: schedule.date(credit.day).description, codes: codes)
    }

    /// The day a payment's defect shows: with its receipt, with its flow, when the notice's second
    /// receipt arrives, or after the flow was due.
    private func seen(_ anomaly: InjectedAnomaly, payment: DatasetPlan.Payment, flowDay: Int?) -> Int {
        switch anomaly {
        case .wrongFlowAmount, .revokedInFlow, .iurMismatch: return flowDay ?? .max
        case .missingFlowRow: return schedule.offset(schedule.deadlines.flowDue(paymentDay: schedule.date(payment.day))) + 1
        case .doublePayment where payment.serial == payment.noticeSerial:
            return payment.serial + 1 < plan.payments.count ? plan.payments[payment.serial + 1].day : .max
        default: return payment.day
        }
    }
}
