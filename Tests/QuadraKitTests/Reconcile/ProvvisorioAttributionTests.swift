import Testing
@testable import QuadraKit

/// How a provvisorio splits into reversale lines: exactly its amount, by heads, the rest unattributed.
@Suite struct ProvvisorioAttributionTests {
    typealias Part = ProvvisorioAttribution.Part
    static let imu = ProvvisorioAttribution.Heads(taxonomyCode: "0101100IM", capitolo: "1010", accertamento: "2026/15")
    static let tari = ProvvisorioAttribution.Heads(taxonomyCode: "0101101IM", capitolo: "1020")

    private func summary(_ lines: [ProvvisorioAttribution.Line]) -> [String] {
        lines.map { "\($0.heads?.taxonomyCode ?? "NON_ATTRIBUITO") \($0.transfers) \($0.amountCents)" }
    }

    @Test func aCreditOfTheWholeFlowSplitsByHeads() {
        let lines = ProvvisorioAttribution.split(creditCents: 10_000, creditedBeforeCents: 0, parts: [
            Part(amountCents: 3_000, heads: Self.tari), Part(amountCents: 5_000, heads: Self.imu), Part(amountCents: 2_000, heads: Self.tari),
        ])
        #expect(summary(lines) == ["0101100IM 1 5000", "0101101IM 2 5000"])
        #expect(lines[0].heads?.capitolo == "1010" && lines[0].heads?.accertamento == "2026/15")
    }

    /// 204.00 then 22.21 of a 226.21 flow: the second credit takes what the first left of the row they share.
    @Test func creditsInPartsTakeTheirSliceOfTheRows() {
        let parts = [Part(amountCents: 20_000, heads: Self.imu), Part(amountCents: 6_621, heads: Self.tari)]
        let first = ProvvisorioAttribution.split(creditCents: 20_400, creditedBeforeCents: 0, parts: parts)
        let second = ProvvisorioAttribution.split(creditCents: 2_221, creditedBeforeCents: 20_400, parts: parts)
        #expect(summary(first) == ["0101100IM 1 20000", "0101101IM 1 400"])
        #expect(summary(second) == ["0101101IM 1 2221"])
    }

    @Test func unknownPaymentsExcessAndRevocationsStayOnTheirOwnLinesAndTheSumHolds() {
        let parts = [Part(amountCents: 8_000, heads: Self.imu), Part(amountCents: -1_000, heads: Self.imu),
                     Part(amountCents: 1_500, heads: nil)]
        let lines = ProvvisorioAttribution.split(creditCents: 10_000, creditedBeforeCents: 0, parts: parts)
        #expect(summary(lines) == ["0101100IM 2 7000", "NON_ATTRIBUITO 1 1500", "NON_ATTRIBUITO 0 1500"])
        #expect(lines.map(\.reason) == [nil, .unknownPayment, .excess])
        #expect(lines.reduce(0) { $0 + $1.amountCents } == 10_000)
    }

    @Test func aCreditWithNoPaymentsIsNotAttributed() {
        let lines = ProvvisorioAttribution.split(creditCents: 5_960, creditedBeforeCents: 0, parts: [])
        #expect(lines == [.init(heads: nil, reason: .noPayments, transfers: 0, amountCents: 5_960)])
    }
}
