/// One reconciliation run: gathers the evidence of every key within the look-back, classifies keys,
/// flows and movements, and stores verdicts and discrepancies for the as-of date.
///
/// ```swift
/// let summary = try Reconciler(store: store, creditors: configuration.creditors)
///     .run(asOf: CivilDate(iso: "2026-11-20")!)
/// ```
///
/// Same store and same as-of date give the same result: nothing here reads the clock.
public struct Reconciler: Sendable {
    public let store: Store
    public let creditors: [Creditor]
    public var deadlines = Deadlines()
    /// Keys whose payment (or flow settlement) is older than this are left as they were.
    public var lookBackDays = 400
    /// `[monitoring] silent_days`: raise `SOURCE_SILENT` past this many quiet working days (nil: never).
    public var silentDays: Int?

    public init(store: Store, creditors: [Creditor]) {
        self.store = store
        self.creditors = creditors
    }

    public func run(asOf: CivilDate) throws -> ReconciliationSummary {
        let classifier = Classifier(asOf: asOf, deadlines: deadlines)
        let revisedAfterClose = Set(try store.keysRevisedAfterClose())
        var summary = ReconciliationSummary(asOf: asOf.description)
        let silences = try silentDays.map { try SourceSilence(silentDays: $0).discrepancies(for: creditors, in: store, asOf: asOf) } ?? []
        try store.reconcile(creditors, since: asOf.adding(days: -lookBackDays)) { pass in
            var discrepancies = silences
            let verdicts = try pass.verdictWriter(asOf: asOf)
            try pass.forEachKey { key in
                let verdict = classifier.classify(key)
                try verdicts.add(key.key, verdict)
                discrepancies += verdict.discrepancies
                summary.count(verdict, rtAmount: key.paid?.amountCents ?? 0)
                if revisedAfterClose.contains(key.key) {
                    discrepancies.append(Discrepancy("FDR_REVISED_AFTER_CLOSE", .warning, key: key.key, flowId: key.reported?.flowId,
                                                     pspId: key.reported?.pspId,
                                                     message: "a revision of flow \(key.reported?.flowId ?? "") changed this transfer after it was closed"))
                }
            }
            for flow in try pass.flows() { discrepancies += classifier.classify(flow) }
            discrepancies += try pass.positions().compactMap(classifier.classify)
            var movements: [(movementId: String, label: String)] = []
            for (movementId, movement) in try pass.movements() {
                let (label, discrepancy) = classifier.classify(movement)
                movements.append((movementId, label))
                if let discrepancy { discrepancies.append(discrepancy) }
            }
            try pass.store(movements: movements, discrepancies: discrepancies, keys: summary.keys, asOf: asOf)
        }
        summary.discrepancies = try store.discrepancyCounts(asOf: asOf)
        return summary
    }
}
