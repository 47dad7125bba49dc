/// One reconciliation run: classifies the keys, flows and movements that something touched since the
/// previous run or that are still open (or, with `everything`, every one within the look-back), and
/// stores what changed: verdicts and discrepancies for the as-of date.
///
/// ```swift
/// let summary = try Reconciler(store: store, creditors: configuration.creditors)
///     .run(asOf: CivilDate(iso: "2026-11-20")!)
/// ```
///
/// Both ways give the same verdicts (see `ReconciliationScope`), and the same store and as-of date
/// give the same result: nothing here reads the clock.
public struct Reconciler: Sendable {
    public let store: Store
    public let creditors: [Creditor]
    public var deadlines = Deadlines()
    /// Keys whose payment (or flow settlement) is older than this are left as they were.
    public var lookBackDays = 400
    /// Classify every key of the look-back, not only what changed (`quadra reconcile --full`).
    public var everything = false
    /// `[monitoring] silent_days`: raise `SOURCE_SILENT` past this many quiet working days (nil: never).
    public var silentDays: Int?
    /// `[accounting] regularise_working_days`: how long a provvisorio may wait for its reversale.
    public var provvisorioRules = ProvvisorioRules()

    public init(store: Store, creditors: [Creditor]) {
        self.store = store
        self.creditors = creditors
    }

    public func run(asOf: CivilDate) throws -> ReconciliationSummary {
        let classifier = Classifier(asOf: asOf, deadlines: deadlines)
        let revisedAfterClose = try store.keysRevisedAfterClose()
        let openRevisions = try store.openRevisionEvents()
        let served = Set(creditors.map(\.fiscalCode))
        let incomplete = try store.incompleteFlows().filter { $0.receiver.map(served.contains) == true }
        var summary = ReconciliationSummary(asOf: asOf.description)
        try store.reconcile(creditors, since: asOf.adding(days: -lookBackDays), everything: everything) { pass in
            summary.incremental = pass.incremental
            var discrepancies = try silentDays.map {
                try SourceSilence(silentDays: $0).discrepancies(for: creditors, asOf: asOf, lastArrivals: pass.lastArrivals)
            } ?? []
            let verdicts = try pass.verdictWriter(asOf: asOf)
            if silentDays != nil { for creditor in creditors { try verdicts.add(creditor: creditor.fiscalCode) } }
            var singleCredits = SingleCreditShares()
            try pass.forEachKey { found, stored in
                let key = singleCredits.left(for: found)
                let verdict = classifier.classify(key)
                singleCredits.record(key, verdict)
                var found = verdict.discrepancies
                // An event: raised by the run that sees the revision, kept until a run of a later day sees
                // the key closed again. Not a later run: a second pass of the same day (a re-run, or
                // `--full`, which no longer sees the revision as new) must find what the first one did.
                let closed = verdict.state == .cashed || verdict.state == .reported
                let event = openRevisions[key.key].flatMap { !closed || $0.firstSeen == asOf.description ? ($0.flowId, $0.pspId) : nil }
                if let flow = revisedAfterClose[key.key] ?? event {
                    found.append(Discrepancy(.fdrRevisedAfterClose, key: key.key, flowId: flow.flowId, pspId: flow.pspId,
                                             message: "a revision of flow \(flow.flowId ?? "") changed this transfer after it was closed"))
                }
                // Open: something is still missing or wrong, so the next run looks at the key again.
                let open = verdict.state != .cashed || !found.isEmpty
                let changed = try verdicts.add(key.key, verdict, open: open, stored)
                discrepancies += found
                summary.count(verdict, rtAmount: key.paid?.amountCents ?? 0, changed: changed)
            }
            try verdicts.finishKeys()
            for flow in try pass.flows() {
                let status = classifier.creditStatus(of: flow.evidence)
                let found = flow.served ? classifier.classify(flow.evidence) : classifier.unknownReceiver(flow.evidence).map { [$0] } ?? []
                // Not credited yet is a served creditor's to wait for: the flows of a creditor no longer
                // served stay open only while they raise something, or while pending (the one status the
                // as-of date moves on), not in every night's list for good.
                try verdicts.add(flow, status: status, findings: classifier.findings(of: flow.evidence, served: flow.served),
                                 daysLate: classifier.creditDelay(of: flow.evidence),
                                 open: (flow.served && !status.isSettled) || status == .pending || !found.isEmpty)
                discrepancies += found
            }
            // A flow still in parts is shown and watched, never reconciled: its keys wait for it whole.
            for flow in incomplete {
                guard let receiver = flow.receiver else { continue }
                try verdicts.add(incomplete: flow, receiver: receiver)
                if let found = classifier.classify(incompleteFlow: flow.flowId, pspId: flow.pspId, creditor: receiver,
                                                   settlementDate: flow.settlementDate.flatMap(CivilDate.init(iso:)),
                                                   revision: flow.revision, publishedOn: flow.publishedOn.flatMap(CivilDate.init(iso:)),
                                                   missing: flow.description) {
                    discrepancies.append(found)
                }
            }
            for position in try pass.positions() {
                try verdicts.add(position: position)
                if let found = classifier.classify(position) { discrepancies.append(found) }
            }
            let statuses = try pass.positionStatusWriter(asOf: asOf)
            for position in try pass.positionFacts() {
                try statuses.add(position, status: classifier.status(of: position))
                if let found = classifier.classify(status: position) { discrepancies.append(found) }
            }
            try verdicts.addFormerOwners()
            for (movementId, movement, stored) in try pass.movements() {
                let (label, found) = classifier.classify(movement)
                try verdicts.add(movement: movementId, movement, label: label, stored: stored)
                if let found { discrepancies.append(found) }
            }
            for provvisorio in try pass.provvisori() {
                let verdict = provvisorioRules.judge(provvisorio.evidence, asOf: asOf)
                try pass.store(provvisorio, verdict, asOf: asOf)
                if let found = verdict.discrepancy { discrepancies.append(found) }
            }
            try pass.store(discrepancies: discrepancies, keys: summary.keys, asOf: asOf, replacement: Discrepancy.replacement)
        }
        summary.discrepancies = try store.discrepancyCounts(asOf: asOf)
        return summary
    }
}
