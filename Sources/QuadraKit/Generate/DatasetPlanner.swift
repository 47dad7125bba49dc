/// Draws the plan: who pays what, when and through whom; how PSPs group the transfers into flows
/// and credit them; and where the defects go. One pass, one seeded stream, so the same options
/// always give the same plan.
struct DatasetPlanner {
    let options: DatasetOptions
    let world: DatasetWorld
    let calendar = WorkingDayCalendar.italianBanking
    private var random: SplitMix64
    private var plan = DatasetPlan()
    private var paymentTurn = 0
    private var flowTurn = 0
    private let dayWeights: [Int]

    init(options: DatasetOptions, world: DatasetWorld, random: SplitMix64) {
        self.options = options
        self.world = world
        self.random = random
        // Citizens pay on every day, less on weekends and holidays, when cards and apps carry the load.
        let calendar = WorkingDayCalendar.italianBanking
        dayWeights = DatasetWorld.cumulative((0..<options.days).map { offset in
            let day = options.firstDay.adding(days: offset)
            return !calendar.isWorkingDay(day) ? (day.weekday == 6 ? 40 : 25) : 100
        })
    }

    func date(_ offset: Int) -> CivilDate { options.firstDay.adding(days: offset) }

    func offset(_ day: CivilDate) -> Int { CivilDate.daysBetween(options.firstDay, day) }

    /// PSPs settle (and date their flow) on the next working day after the payment.
    func settlementDay(paymentDay: Int) -> Int { offset(calendar.adding(workingDays: 1, to: date(paymentDay))) }

    mutating func make() -> DatasetPlan {
        plan.payments.reserveCapacity(options.receipts)
        while plan.payments.count < options.receipts { addPayment() }
        plan.nextSerial = plan.payments.count
        groupFlows()
        planCredits()
        return plan
    }

    // MARK: - Payments

    private mutating func addPayment() {
        let serial = plan.payments.count
        if let previous = plan.payments.last, previous.anomaly == .doublePayment, previous.noticeSerial == previous.serial {
            plan.payments.append(secondPayment(of: previous, serial: serial))
            return
        }
        let creditor = random.pick(cumulative: world.creditorWeights)
        var payment = DatasetPlan.Payment(serial: serial, noticeSerial: serial, day: random.pick(cumulative: dayWeights),
                                          second: 7 * 3600 + random.below(15 * 3600), creditor: creditor,
                                          psp: random.pick(cumulative: world.pspWeights), transfers: transfers(for: creditor))
        // A cart: several notices paid together, in one checkout, through one PSP.
        if let previous = plan.payments.last, random.chance(perMillion: 40_000) {
            payment.day = previous.day
            payment.second = previous.second
            payment.psp = previous.psp
        }
        if world.creditors[creditor].expectsPositions {
            var position = DatasetPlan.Position(dueInDays: 5 + random.below(55))
            if random.chance(perMillion: 150_000) {
                position.instalments = 2 + random.below(3)
                payment.slot = 1 + random.below(position.instalments)
            }
            payment.position = position
        }
        let single = payment.transfers.count == 1
        payment.version1 = single && random.chance(perMillion: 100_000)
        payment.broadcast = payment.secondaryServed != nil && random.chance(perMillion: 500_000)
        if single && random.chance(perMillion: options.anomalyRatePerMillion) {
            plant(on: &payment)
        } else if random.chance(perMillion: 3_000) {
            payment.standIn = true
        }
        plan.payments.append(payment)
    }

    /// The same notice paid again, by another PSP or the same, later that day or on a later day.
    private mutating func secondPayment(of first: DatasetPlan.Payment, serial: Int) -> DatasetPlan.Payment {
        var second = first
        second.serial = serial
        second.position = nil
        second.broadcast = false
        second.day = min(options.days - 1, first.day + random.below(2))
        second.second = 7 * 3600 + random.below(15 * 3600)
        second.psp = random.pick(cumulative: world.pspWeights)
        return second
    }

    /// 1 to 5 transfers: mostly one to the creditor; TARI with the Provincia's TEFA; shares of a
    /// service run with other served bodies; a certificate with its digital stamp.
    private mutating func transfers(for creditor: Int) -> [DatasetPlan.Transfer] {
        let own = DatasetPlan.Transfer(beneficiary: .served(creditor), amountCents: amount(),
                                       taxonomy: world.municipalCodes[random.below(world.municipalCodes.count)])
        let shape = random.below(1_000)
        switch shape {
        case ..<120:
            var tari = own
            tari.taxonomy = world.tariCode
            tari.amountCents = max(tari.amountCents, 2_000)
            return [tari, DatasetPlan.Transfer(beneficiary: .external, amountCents: max(1, tari.amountCents / 20), taxonomy: world.tefaCode)]
        case ..<200 where world.creditors.count > 1:
            let others = 1 + random.below(4)
            return [own] + (0..<others).map { _ in
                var other = random.below(world.creditors.count - 1)
                if other >= creditor { other += 1 }
                return DatasetPlan.Transfer(beneficiary: .served(other), amountCents: amount(),
                                            taxonomy: world.municipalCodes[random.below(world.municipalCodes.count)])
            }
        case ..<240:
            return [own, DatasetPlan.Transfer(beneficiary: .stamp, amountCents: 1_600, taxonomy: world.stampCode)]
        default:
            return [own]
        }
    }

    /// From a few cents to thousands of euro: a decade first, then a value inside it.
    private mutating func amount() -> Int64 {
        let decade = random.pick(cumulative: [5, 25, 125, 475, 875, 1_000])
        var low: Int64 = 1
        for _ in 0..<decade { low *= 10 }
        return low + Int64(random.below(Int(low * 9)))
    }

    private mutating func plant(on payment: inout DatasetPlan.Payment) {
        let anomaly = nextKind(InjectedAnomaly.onPayments, &paymentTurn) { payment.position != nil || !InjectedAnomaly.needPositions.contains($0) }
        payment.anomaly = anomaly
        switch anomaly {
        case .taxonomyUnknown: payment.transfers[0].taxonomy = nil
        case .taxonomyExpired: payment.transfers[0].taxonomy = world.expiredCode
        case .ibanNotCreditorAccount: payment.transfers[0].usesOldIBAN = true
        case .taxonomyMismatch:
            let other = world.municipalCodes.filter { $0 != payment.transfers[0].taxonomy }
            payment.position?.plannedTaxonomy = other[random.below(other.count)]
        case .positionAmountMismatch:
            let total = payment.totalCents
            payment.position?.askedCents = total + 100 + Int64(random.below(5_000))
        case .receiptWithoutPosition: payment.position = nil
        case .positionNotPayable: payment.position?.status = random.chance(perMillion: 500_000) ? "EXPIRED" : "INVALID"
        case .paidAfterDueDate: payment.position?.dueInDays = -1 - random.below(20)
        case .positionPaidNoReceipt:
            plan.paidPositions.append(.init(creditor: payment.creditor, noticeSerial: -1, iurSerial: -1, day: payment.day,
                                            amountCents: amount(), taxonomy: world.municipalCodes[random.below(world.municipalCodes.count)]))
        default: break
        }
    }

    /// Kinds are planted in turn, skipping those the item cannot carry: a small dataset still gets
    /// every kind once it has a few of each opportunity.
    private func nextKind(_ kinds: [InjectedAnomaly], _ turn: inout Int, eligible: (InjectedAnomaly) -> Bool) -> InjectedAnomaly {
        for step in 0..<kinds.count where eligible(kinds[(turn + step) % kinds.count]) {
            let kind = kinds[(turn + step) % kinds.count]
            turn = (turn + step + 1) % kinds.count
            return kind
        }
        preconditionFailure("every item can carry at least one kind")
    }

    // MARK: - Flows

    /// One flow per PSP, receiving creditor and settlement day, as PSPs report them.
    private mutating func groupFlows() {
        var groups: [DatasetPlan.FlowKey: DatasetPlan.Flow] = [:]
        for payment in plan.payments {
            let settlement = settlementDay(paymentDay: payment.day)
            for (index, transfer) in payment.transfers.enumerated() {
                guard case let .served(creditor) = transfer.beneficiary else { continue }
                let group = DatasetPlan.FlowKey(settlement: settlement, psp: payment.psp, creditor: creditor)
                var row = DatasetPlan.Row(noticeSerial: payment.noticeSerial, slot: payment.slot, iurSerial: payment.serial,
                                          transferIndex: index + 1, amountCents: transfer.amountCents,
                                          outcome: payment.standIn ? "4" : "0", paymentDay: payment.day)
                switch payment.anomaly {
                case .missingFlowRow?: continue
                case .wrongFlowAmount?:
                    row.amountCents += row.amountCents > 100 && random.chance(perMillion: 500_000) ? -Int64(1 + random.below(50)) : Int64(1 + random.below(5_000))
                case .iurMismatch?: row.iurSerial += DatasetPlan.mismatchedIUR
                case .revokedInFlow?:
                    // Reported negative, as the FdR annotation asks: the flow's total is the signed sum.
                    row.outcome = "3"
                    row.amountCents = -row.amountCents
                default: break
                }
                groups[group, default: DatasetPlan.Flow(psp: payment.psp, creditor: creditor, settlementDay: settlement)].rows.append(row)
                if payment.anomaly == .reportedWithoutReceipt {
                    groups[group]!.rows.append(DatasetPlan.Row(noticeSerial: plan.nextSerial, slot: 9, iurSerial: plan.nextSerial,
                                                               transferIndex: 1, amountCents: amount(), paymentDay: payment.day))
                    plan.nextSerial += 1
                }
            }
        }
        for index in plan.paidPositions.indices {
            plan.paidPositions[index].noticeSerial = plan.nextSerial
            plan.paidPositions[index].iurSerial = plan.nextSerial
            plan.nextSerial += 1
        }
        plan.flows = groups.keys.sorted { ($0.settlement, $0.psp, $0.creditor) < ($1.settlement, $1.psp, $1.creditor) }
            .enumerated().map { ordinal, group in
                var flow = groups[group]!
                flow.ordinal = ordinal + 1
                return flow
            }
    }

    // MARK: - Credits

    /// Each flow is credited on its settlement day or the next working day; some credits go wrong.
    private mutating func planCredits() {
        for index in plan.flows.indices {
            var flow = plan.flows[index]
            let psp = world.psps[flow.psp]
            flow.creditDay = random.chance(perMillion: 300_000) ? offset(calendar.adding(workingDays: 1, to: date(flow.settlementDay))) : flow.settlementDay
            var total = flow.totalCents
            if random.chance(perMillion: options.anomalyRatePerMillion) {
                flow.anomaly = nextKind(InjectedAnomaly.onFlows, &flowTurn) { kind in
                    switch kind {
                    case .flowTotalMismatch, .flowCountMismatch, .duplicateFlowRow: return !psp.sendsFdR3
                    case .splitCredit, .partialCredit: return total >= 2
                    default: return true
                    }
                }
            }
            // The PSP credits what its flow says, the repeated row included.
            total = flow.reportedTotalCents
            let id = DatasetIdentity(seed: options.seed).flowId(day: date(flow.settlementDay), psp: psp, ordinal: flow.ordinal)
            let causale = causale(flowId: id)
            func credit(_ amount: Int64, _ causale: String, day: Int? = nil, anomaly: InjectedAnomaly? = nil) {
                plan.credits.append(.init(flow: index, creditor: flow.creditor, day: day ?? flow.creditDay, amountCents: amount, causale: causale,
                                          psp: flow.psp, anomaly: anomaly))
            }
            switch flow.anomaly {
            case .missingCredit?: break
            case .splitCredit?:
                let first = 1 + Int64(random.below(Int(total - 1)))
                credit(first, causale)
                credit(total - first, causale, day: offset(calendar.adding(workingDays: 1, to: date(flow.creditDay))))
            case .partialCredit?: credit(total - 1 - Int64(random.below(Int(min(total - 1, 10_000)))), causale)
            case .overCredit?: credit(total + 1 + Int64(random.below(10_000)), causale)
            case .unparseableCausale?:
                credit(total, "ACCREDITO PAGOPA \(psp.name.uppercased()) DEL \(date(flow.settlementDay))", anomaly: .unparseableCausale)
            case .unknownReference?:
                credit(total, causale)
                let unknown = "\(date(flow.settlementDay))\(psp.id)-X\(String(flow.ordinal).leftPadded(to: 9, with: "0"))"
                credit(1 + Int64(random.below(100_000)), "/PUR/LGPE-RIVERSAMENTO/URI/\(unknown)", anomaly: .unknownReference)
            default:
                // A flow its revocations bring to nothing or less is owed nothing.
                if total > 0 { credit(total, causale) }
            }
            plan.flows[index] = flow
        }
    }

    /// The AgID causale, sometimes as treasuries reprint it: lower case, spaces for slashes, wrapped,
    /// behind a bank's own prefix. The parser reads all of them; the accountant never notices.
    private mutating func causale(flowId: String) -> String {
        guard random.chance(perMillion: 100_000) else { return "/PUR/LGPE-RIVERSAMENTO/URI/\(flowId)" }
        switch random.below(5) {
        case 0: return "/pur/lgpe-riversamento/uri/\(flowId)"
        case 1: return "PUR LGPE-RIVERSAMENTO URI \(flowId)"
        case 2: return "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/\(flowId)"
        case 3:
            let cut = flowId.index(flowId.startIndex, offsetBy: flowId.count - 4)
            return "/PUR/LGPE-RIVERSAMENTO/URI/\(flowId[..<cut]) \(flowId[cut...])"
        default: return "/PUR/LGPE- RIVERSAMENTO/URI/\(flowId) ACCREDITO BOLLETTINO P.A."
        }
    }
}
