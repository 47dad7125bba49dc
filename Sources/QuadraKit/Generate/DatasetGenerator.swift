import Foundation

/// What to generate: `quadra generate --seed --creditors --receipts --days --anomaly-rate`.
public struct DatasetOptions: Sendable {
    public var seed: UInt64 = 1
    public var creditors = 20
    public var receipts = 10_000
    /// Payment days, from `firstDay` on (weekends and holidays included: citizens pay every day).
    public var days = 1
    /// Chance, in parts per million, that a payment or a flow carries a planted defect.
    public var anomalyRatePerMillion = 0
    public var firstDay = CivilDate(year: 2026, month: 11, day: 16)!
    /// Receipts per ZIP archive; 0 writes each receipt as its own file.
    public var receiptsPerArchive = 0
    /// Debt positions per GPD bulk file.
    public var positionsPerFile = 2_000

    public init() {}

    /// The first problem with these options, for the command line to print.
    public var problem: String? {
        if creditors < 1 || creditors > 9_999 { return "--creditors must be 1 to 9999" }
        if receipts < 1 || receipts > 99_999_999 { return "--receipts must be 1 to 99,999,999" }
        if days < 1 || days > 366 { return "--days must be 1 to 366" }
        if anomalyRatePerMillion < 0 || anomalyRatePerMillion > 500_000 { return "--anomaly-rate must be 0 to 0.5" }
        if firstDay.year < 2026 { return "the first day must be in 2026 or later (the taxonomy's expired code ends in 2025)" }
        return nil
    }
}

/// Writes a complete inbox in the real formats, with `quadra.toml`, `truth.jsonl` and `dataset.json`
/// beside it. Same options, same bytes.
///
/// ```swift
/// var options = DatasetOptions()
/// options.receipts = 5_000
/// options.anomalyRatePerMillion = 20_000
/// let summary = try DatasetGenerator(options: options).write(to: "/tmp/dataset")
/// ```
public struct DatasetGenerator {
    public let options: DatasetOptions

    public init(options: DatasetOptions) {
        self.options = options
    }

    @discardableResult
    public func write(to out: String) throws -> DatasetSummary {
        var random = SplitMix64(seed: options.seed)
        let world = DatasetWorld(creditors: options.creditors, random: &random)
        var planner = DatasetPlanner(options: options, world: world, random: random)
        let plan = planner.make()
        let identity = DatasetIdentity(seed: options.seed)
        let receipts = ReceiptDocument(world: world, identity: identity, firstDay: options.firstDay)
        let flows = FlowDocument(world: world, identity: identity, firstDay: options.firstDay)
        let positions = PositionDocument(world: world, identity: identity, receipts: receipts, firstDay: options.firstDay)
        let treasury = TreasuryDocument(world: world, firstDay: options.firstDay)
        let setup = SetupDocuments(world: world)
        var files = DatasetFiles(root: out)
        var counts: [String: Int] = [:]

        try files.write("quadra.toml", setup.configuration(seed: options.seed))
        try files.write("inbox/taxonomy/taxonomy.csv", setup.taxonomyCSV())

        var receiptFiles = ReceiptOutput(files: files, perArchive: options.receiptsPerArchive)
        for payment in plan.payments {
            let day = options.firstDay.adding(days: payment.day)
            let name = "\(day)/rt-\(String(payment.serial).leftPadded(to: 8, with: "0"))"
            try receiptFiles.add("\(name).xml", receipts.xml(payment, recipient: payment.creditor))
            counts["receipt_documents", default: 0] += 1
            if payment.broadcast, let other = payment.secondaryServed {
                try receiptFiles.add("\(name).to-\(world.creditors[other].fiscalCode).xml", receipts.xml(payment, recipient: other))
                counts["receipt_documents", default: 0] += 1
            }
        }
        try receiptFiles.finish()
        counts["receipts"] = plan.payments.count

        try writePositions(plan, world: world, documents: positions, files: &files, counts: &counts)

        for flow in plan.flows {
            let id = flows.flowId(flow)
            let fdr3 = world.psps[flow.psp].sendsFdR3
            let write = { (revision: Int, suffix: String) throws in
                try files.write("inbox/flows/\(id)\(suffix)" + (fdr3 ? ".fdr3.json" : ".xml"),
                                fdr3 ? flows.json(flow, revision: revision) : flows.xml(flow, revision: revision))
            }
            if flow.anomaly == .revisedFlow { try write(1, "_rev1") }
            try write(2, "")
            counts["flow_documents", default: 0] += flow.anomaly == .revisedFlow ? 2 : 1
        }
        counts["flows"] = plan.flows.count
        counts["flow_rows"] = plan.flows.reduce(0) { $0 + $1.rows.count }

        var byDocument: [String: (creditor: Int, day: Int, credits: [DatasetPlan.Credit])] = [:]
        for credit in plan.credits {
            let name = treasury.fileName(creditor: credit.creditor, day: credit.day)
            byDocument[name, default: (credit.creditor, credit.day, [])].credits.append(credit)
        }
        for name in byDocument.keys.sorted() {
            let document = byDocument[name]!
            try files.write("inbox/treasury/\(name)", treasury.xml(creditor: document.creditor, day: document.day, credits: document.credits))
        }
        counts["treasury_documents"] = byDocument.count
        counts["credits"] = plan.credits.count

        let truth = GroundTruth(plan: plan, world: world, identity: identity, flows: flows, firstDay: options.firstDay)
        let (records, labels) = truth.records(settlementDay: planner.settlementDay(paymentDay:))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines = ""
        for record in records { lines += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n" }
        try files.write("truth.jsonl", lines)
        counts["keys"] = labels.values.reduce(0, +)

        let lastPaymentDay = options.firstDay.adding(days: options.days - 1)
        let lastSettlement = planner.settlementDay(paymentDay: options.days - 1)
        let lastCredit = plan.credits.map(\.day).max() ?? lastSettlement
        let asOf = max(WorkingDayCalendar.italianBanking.adding(workingDays: 2, to: planner.date(lastSettlement)), planner.date(lastCredit + 1))
        var expected: [String: Int] = [:]
        var anomalies: [String: Int] = [:]
        for record in records {
            for code in record.codes { expected[code, default: 0] += 1 }
            anomalies[record.anomaly, default: 0] += 1
        }
        let summary = DatasetSummary(seed: options.seed, firstDay: options.firstDay.description, lastPaymentDay: lastPaymentDay.description,
                                     asOf: asOf.description, counts: counts, expectedLabels: labels, expectedDiscrepancies: expected,
                                     anomalies: anomalies)
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try files.write("dataset.json", String(decoding: try encoder.encode(summary), as: UTF8.self) + "\n")
        return summary
    }

    /// Each creditor that loads positions gets its notices in GPD bulk files in its own folder.
    private func writePositions(_ plan: DatasetPlan, world: DatasetWorld, documents: PositionDocument, files: inout DatasetFiles,
                                counts: inout [String: Int]) throws {
        var byCreditor: [[String]] = Array(repeating: [], count: world.creditors.count)
        for payment in plan.payments {
            guard let position = payment.position else { continue }
            byCreditor[payment.creditor].append(documents.json(payment, position: position))
        }
        for paid in plan.paidPositions { byCreditor[paid.creditor].append(documents.json(paid)) }
        for (index, positions) in byCreditor.enumerated() where !positions.isEmpty {
            for start in stride(from: 0, to: positions.count, by: options.positionsPerFile) {
                let chunk = positions[start..<min(start + options.positionsPerFile, positions.count)]
                let name = "inbox/\(world.creditors[index].fiscalCode)/gpd/positions-\(String(start / options.positionsPerFile + 1).leftPadded(to: 4, with: "0")).json"
                try files.write(name, "{\"paymentPositions\": [\n" + chunk.joined(separator: ",\n") + "\n]}\n")
                counts["position_documents", default: 0] += 1
            }
            counts["positions", default: 0] += positions.count
        }
    }
}
