/// What `summary.html` shows, gathered from the report rows as they stream past, so the page costs
/// no query of its own.
struct SummaryFigures: Sendable {
    /// A flow whose credit is not complete, or that carries findings.
    struct ProblemFlow: Sendable, Equatable {
        var creditor: String
        var flowId: String
        var totalCents: Int64
        var creditedCents: Int64
        var creditStatus: String
        var findings: String
    }

    /// Age buckets of open discrepancies, in days since first seen.
    static let ageBuckets: [(label: String, upTo: Int)] = [("0-2", 2), ("3-7", 7), ("8-30", 30), ("over 30", Int.max)]

    var asOf: String
    var keysByState: [String: Int] = [:]
    /// Tonight's keys, flows and credits by what happened to them: `new`, `changed`, still `open`.
    var keysByChange: [String: Int] = [:]
    var flowsByChange: [String: Int] = [:]
    var movementsByChange: [String: Int] = [:]
    var centsByState: [String: Int64] = [:]
    /// Receipt amounts per payment day and state over the page's window (not only tonight's keys).
    var centsByPaymentDay: [String: [String: Int64]] = [:]
    var openByCode: [String: Int] = [:]
    var openByAge: [String: Int] = [:]
    /// Open discrepancies by severity (`error`, `warning`, `info`).
    var openBySeverity: [String: Int] = [:]
    var discrepanciesByStatus: [String: Int] = [:]
    var problemFlows: [ProblemFlow] = []
    /// The last reconciliation before this one: its as-of date, keys and open discrepancies.
    var previous: (asOf: String, keys: Int, open: Int)?

    /// A row of `classification.csv`: state (6), receipt amount (10), change (24).
    mutating func addKey(_ fields: [String?]) {
        let state = fields[6] ?? ""
        keysByChange[fields[24] ?? "", default: 0] += 1
        keysByState[state, default: 0] += 1
        centsByState[state, default: 0] += fields[10].flatMap { Int64($0) } ?? 0
    }

    /// A row of `Store.paymentDayTotals`: creditor, payment day, state, cents.
    mutating func addPaymentDay(_ fields: [String?]) {
        guard let day = fields[1], let state = fields[2] else { return }
        centsByPaymentDay[day, default: [:]][state, default: 0] += fields[3].flatMap { Int64($0) } ?? 0
    }

    /// Over the page's window: what was cashed, and what was paid and is not cashed yet.
    var windowCents: (cashed: Int64, open: Int64) {
        centsByPaymentDay.values.reduce(into: (Int64(0), Int64(0))) { total, states in
            for (state, cents) in states {
                if state == "CASHED" { total.0 += cents } else { total.1 += cents }
            }
        }
    }

    /// A row of `treasury.csv`: change (11).
    mutating func addMovement(_ fields: [String?]) {
        movementsByChange[fields[11] ?? "", default: 0] += 1
    }

    /// A row of `flows.csv`: credit status (10), findings (11), change (14).
    mutating func addFlow(_ fields: [String?]) {
        flowsByChange[fields[14] ?? "", default: 0] += 1
        let status = fields[10] ?? ""
        let findings = fields[11] ?? ""
        guard FlowCreditStatus(rawValue: status)?.isSettled != true || !findings.isEmpty else { return }
        problemFlows.append(ProblemFlow(creditor: fields[0] ?? "", flowId: fields[2] ?? "",
                                        totalCents: fields[8].flatMap { Int64($0) } ?? 0,
                                        creditedCents: fields[9].flatMap { Int64($0) } ?? 0,
                                        creditStatus: status, findings: findings))
    }

    /// A row of `discrepancies.csv`: code (0), severity (1), status (2), age in days (12).
    mutating func addDiscrepancy(_ fields: [String?]) {
        let status = fields[2] ?? ""
        discrepanciesByStatus[status, default: 0] += 1
        guard status == "new" || status == "open" else { return }
        openByCode[fields[0] ?? "", default: 0] += 1
        openBySeverity[fields[1] ?? "", default: 0] += 1
        let age = fields[12].flatMap { Int($0) } ?? 0
        openByAge[Self.ageBuckets.first { age <= $0.upTo }!.label, default: 0] += 1
    }
}
