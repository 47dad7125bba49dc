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
/// beside it; or, with `writeNights`, the same world delivered night after night. Same options, same bytes.
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

    /// Everything in one inbox, with the as-of date at which every piece of evidence is due.
    @discardableResult
    public func write(to out: String) throws -> DatasetSummary {
        let scene = Scene(options: options, lateArrivals: false)
        var files = DatasetFiles(root: out)
        try files.write("quadra.toml", scene.setup.configuration(seed: options.seed))
        var counts = try scene.writeDocuments(&files) { _ in "inbox" }["inbox"] ?? [:]

        let (planted, labels) = scene.truth.records(settlementDay: scene.planner.settlementDay(paymentDay:))
        let records = planted.map(\.record)
        let encoder = JSONEncoder()
        try files.write("truth.jsonl", try Self.lines(records, encoder).joined())
        counts["keys"] = labels.values.reduce(0, +)

        let planner = scene.planner
        let lastPaymentDay = options.firstDay.adding(days: options.days - 1)
        let lastSettlement = planner.settlementDay(paymentDay: options.days - 1)
        let lastCredit = scene.plan.credits.map(\.day).max() ?? lastSettlement
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

    /// The same world as pagoPA delivers it: one folder per payment day (`night-01/` …), each with the
    /// inbox of what arrived that day, the `truth.jsonl` of what that night's run must report and
    /// `night.json`; one `quadra.toml`. Documents due after the last night are not written.
    @discardableResult
    public func writeNights(to out: String) throws -> [NightSummary] {
        let scene = Scene(options: options, lateArrivals: true)
        let nights = options.days
        let width = max(2, String(nights).count)
        func folder(_ night: Int) -> String { "night-" + String(night + 1).leftPadded(to: width, with: "0") }
        var files = DatasetFiles(root: out)
        try files.write("quadra.toml", scene.setup.configuration(seed: options.seed))
        let counts = try scene.writeDocuments(&files) { day in day < nights ? folder(day) + "/inbox" : nil }

        let (planted, _) = scene.truth.records(settlementDay: scene.planner.settlementDay(paymentDay:))
        let truth = NightTruth(plan: scene.plan, truth: scene.truth, planted: planted).nights(nights)
        let encoder = JSONEncoder(), pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted]
        var summaries: [NightSummary] = []
        for night in 0..<nights {
            try files.write(folder(night) + "/truth.jsonl", try Self.lines(truth[night], encoder).sorted().joined())
            let summary = NightSummary(night: night + 1, asOf: options.firstDay.adding(days: night).description,
                                       counts: counts[folder(night) + "/inbox"] ?? [:],
                                       statuses: truth[night].reduce(into: [:]) { $0[$1.status ?? "", default: 0] += 1 })
            try files.write(folder(night) + "/night.json", String(decoding: try pretty.encode(summary), as: UTF8.self) + "\n")
            summaries.append(summary)
        }
        return summaries
    }

    /// One JSON object a line, keys sorted (a night's lines are sorted too: its records come from sets).
    private static func lines(_ records: [TruthRecord], _ encoder: JSONEncoder) throws -> [String] {
        encoder.outputFormatting = [.sortedKeys]
        return try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }
    }
}

/// What a generated night holds and what its run must report: `night.json`.
public struct NightSummary: Codable, Sendable {
    public var night: Int
    /// The night's day: its run reads the documents of that day, as of that day.
    public var asOf: String
    /// Documents in the night's inbox, by kind.
    public var counts: [String: Int]
    /// Lines of the night's `truth.jsonl` by status (`new`, `open`, `resolved`).
    public var statuses: [String: Int]

    enum CodingKeys: String, CodingKey {
        case night, counts, statuses
        case asOf = "as_of"
    }
}

/// The world, its plan and the writers of its documents, shared by the single inbox and the nights.
private struct Scene {
    let options: DatasetOptions
    let world: DatasetWorld
    let planner: DatasetPlanner
    let plan: DatasetPlan
    let setup: SetupDocuments
    let truth: GroundTruth

    init(options: DatasetOptions, lateArrivals: Bool) {
        self.options = options
        var random = SplitMix64(seed: options.seed)
        world = DatasetWorld(creditors: options.creditors, random: &random)
        var planner = DatasetPlanner(options: options, world: world, random: random)
        plan = planner.make()
        self.planner = planner
        setup = SetupDocuments(world: world)
        let identity = DatasetIdentity(seed: options.seed)
        let flows = FlowDocument(world: world, identity: identity, firstDay: options.firstDay)
        truth = GroundTruth(plan: plan, world: world, identity: identity, flows: flows,
                            schedule: NightSchedule(plan: plan, options: options, lateArrivals: lateArrivals, inParts: flows.comesInParts))
    }

    /// Writes every document into the inbox `inbox` names for the day it arrives (nil: after the
    /// last night, not written), and returns what each inbox got, by kind.
    func writeDocuments(_ files: inout DatasetFiles, inbox: (Int) -> String?) throws -> [String: [String: Int]] {
        let schedule = truth.schedule, identity = truth.identity, flows = truth.flows
        let receipts = ReceiptDocument(world: world, identity: identity, firstDay: options.firstDay)
        let treasury = TreasuryDocument(world: world, firstDay: options.firstDay)
        let reversali = DatasetReversali(plan: plan, world: world, firstDay: options.firstDay)
        var counts: [String: [String: Int]] = [:]

        if let folder = inbox(0) {
            // Two editions, the newest read first: the older one keeps the expired code valid.
            try files.write(folder + "/taxonomy/taxonomy.csv", setup.taxonomyCSV())
            try files.write(folder + "/taxonomy/taxonomy.v32.csv", setup.taxonomyCSV(edition: 32))
        }

        var receiptFiles: [String: ReceiptOutput] = [:]
        for payment in plan.payments {
            guard let folder = inbox(payment.day) else { continue }
            let day = options.firstDay.adding(days: payment.day)
            let name = "\(day)/rt-\(String(payment.serial).leftPadded(to: 8, with: "0"))"
            try receiptFiles[folder, default: ReceiptOutput(files: files, folder: folder + "/receipts", perArchive: options.receiptsPerArchive)]
                .add("\(name).xml", receipts.xml(payment, recipient: payment.creditor))
            counts[folder, default: [:]]["receipt_documents", default: 0] += 1
            counts[folder, default: [:]]["receipts", default: 0] += 1
            if payment.broadcast, let other = payment.secondaryServed {
                // One secondary station in four is still on paSendRT: the same receipt as V1 beside V2.
                let stationOnV1 = payment.serial % 4 == 0 && !payment.transfers.contains { $0.beneficiary == .stamp }
                try receiptFiles[folder]!.add("\(name).to-\(world.creditors[other].fiscalCode).xml",
                                              receipts.xml(payment, recipient: other, version1: payment.version1 || stationOnV1))
                counts[folder, default: [:]]["receipt_documents", default: 0] += 1
            }
        }
        for folder in receiptFiles.keys { try receiptFiles[folder]!.finish() }

        try writePositions(identity: identity, receipts: receipts, files: &files, counts: &counts, inbox: inbox)

        for (index, flow) in plan.flows.enumerated() {
            if flows.comesInParts(flow) {
                // Header and pages (two or more); a held-back last page arrives the day the flow is whole.
                let parts = flows.parts(flow, pageSize: max(1, (flow.rows.count + 1) / 2))
                let firstDay = schedule.firstPartsDay(ofFlow: index, flow)
                for (number, part) in parts.enumerated() {
                    guard let folder = inbox(number == parts.count - 1 ? schedule.flowDay[index] : firstDay) else { continue }
                    try files.write("\(folder)/flows/\(part.path)", part.text)
                    counts[folder, default: [:]]["flow_documents", default: 0] += 1
                }
                if let folder = inbox(firstDay) {
                    counts[folder, default: [:]]["flows", default: 0] += 1
                    counts[folder, default: [:]]["flow_rows", default: 0] += flow.rows.count
                }
                continue
            }
            guard let folder = inbox(schedule.flowDay[index]) else { continue }
            let id = flows.flowId(flow)
            let fdr3 = world.psps[flow.psp].sendsFdR3
            // A revised flow arrives twice, its first revision beside the second.
            let revisions = flow.anomaly == .revisedFlow ? [(1, "_rev1"), (2, "")] : [(2, "")]
            for (revision, suffix) in revisions {
                try files.write("\(folder)/flows/\(id)\(suffix)" + (fdr3 ? ".fdr3.json" : ".xml"),
                                fdr3 ? flows.json(flow, revision: revision) : flows.xml(flow, revision: revision))
            }
            counts[folder, default: [:]]["flow_documents", default: 0] += revisions.count
            counts[folder, default: [:]]["flows", default: 0] += 1
            counts[folder, default: [:]]["flow_rows", default: 0] += flow.rows.count
        }

        var byDocument: [String: (creditor: Int, day: Int, credits: [DatasetPlan.Credit])] = [:]
        for credit in plan.credits {
            let name = treasury.fileName(creditor: credit.creditor, day: credit.day)
            byDocument[name, default: (credit.creditor, credit.day, [])].credits.append(credit)
        }
        for name in byDocument.keys.sorted() {
            let document = byDocument[name]!
            guard let folder = inbox(schedule.statementDay(creditor: document.creditor, day: document.day)) else { continue }
            let reversale = reversali.reversale(creditor: document.creditor, day: document.day)
            try files.write("\(folder)/treasury/\(name)", treasury.xml(creditor: document.creditor, day: document.day, credits: document.credits,
                                                                       reversale: reversale))
            counts[folder, default: [:]]["treasury_documents", default: 0] += 1
            counts[folder, default: [:]]["credits", default: 0] += document.credits.count
        }
        return counts
    }

    /// Each creditor that loads positions gets its notices in GPD bulk files in its own folder.
    private func writePositions(identity: DatasetIdentity, receipts: ReceiptDocument, files: inout DatasetFiles,
                                counts: inout [String: [String: Int]], inbox: (Int) -> String?) throws {
        let documents = PositionDocument(world: world, identity: identity, receipts: receipts, firstDay: options.firstDay)
        var byInbox: [String: [[String]]] = [:]
        func add(_ json: String, creditor: Int, day: Int) {
            guard let folder = inbox(day) else { return }
            byInbox[folder, default: Array(repeating: [], count: world.creditors.count)][creditor].append(json)
        }
        for payment in plan.payments {
            guard let position = payment.position else { continue }
            add(documents.json(payment, position: position), creditor: payment.creditor, day: truth.schedule.positionDay(payment))
        }
        for paid in plan.paidPositions { add(documents.json(paid), creditor: paid.creditor, day: paid.day) }
        for (folder, byCreditor) in byInbox {
            for (index, positions) in byCreditor.enumerated() where !positions.isEmpty {
                for start in stride(from: 0, to: positions.count, by: options.positionsPerFile) {
                    let chunk = positions[start..<min(start + options.positionsPerFile, positions.count)]
                    let number = String(start / options.positionsPerFile + 1).leftPadded(to: 4, with: "0")
                    try files.write("\(folder)/\(world.creditors[index].fiscalCode)/gpd/positions-\(number).json",
                                    "{\"paymentPositions\": [\n" + chunk.joined(separator: ",\n") + "\n]}\n")
                    counts[folder, default: [:]]["position_documents", default: 0] += 1
                }
                counts[folder, default: [:]]["positions", default: 0] += positions.count
            }
        }
    }
}
