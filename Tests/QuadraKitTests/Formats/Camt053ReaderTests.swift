import Foundation
import Testing
@testable import QuadraKit

@Suite struct Camt053ReaderTests {
    @Test func readsTheSampleDayStatementWithItsReversalAndUnparseableCausale() throws {
        let (kind, statement, quarantined) = try TreasurySamples.statement(try TreasurySamples.text(TreasurySamples.statement),
                                                                           context: try TreasurySamples.context)
        #expect(kind == .camt053 && quarantined.isEmpty && statement.passedOver == 0)
        #expect(statement.movements.map(\.reference) == ["261117000381", "261118000402", "261118000403", "261118000417", "261118000421"])
        #expect(statement.movements.map(\.sign) == [.credit, .credit, .credit, .reversal, .credit])
        #expect(statement.movements.allSatisfy { $0.account == "IT78K0306911884100000046001" && $0.creditorFiscalCode == "80000000010" })
        let first = statement.movements[0]
        #expect(first.amountCents == 1_020 && first.bookingDate == "2026-11-17" && first.valueDate == "2026-11-17")
        #expect(first.endToEndId == "2026-11-17ESMPITMM-S0001727" && first.debtorName == "BANCA ESEMPIO S.P.A.")
        #expect(first.causale == .flow(id: "2026-11-17ESMPITMM-S0001727", integration: false))
        #expect(first.statementId == "ESTS-80000000010-20261117")
        #expect(statement.movements[3].additionalInfo == "STORNO ACCREDITO ERRATO RIF. 261118000403")
        #expect(statement.movements[4].causale == .unparseable)
    }

    /// Version 001.08 nests the status in `Sts/Cd` and the debtor name in `Dbtr/Pty/Nm`; the
    /// movements are the same, with the same identifiers.
    @Test func readsVersionEightAsVersionTwo() throws {
        let v2 = try TreasurySamples.text(TreasurySamples.statement)
        let v8 = v2.replacingOccurrences(of: "camt.053.001.02", with: "camt.053.001.08")
            .replacingOccurrences(of: "<Sts>BOOK</Sts>", with: "<Sts><Cd>BOOK</Cd></Sts>")
            .replacingOccurrences(of: "<Dbtr>\n                <Nm>BANCA ESEMPIO S.P.A.</Nm>\n              </Dbtr>",
                                  with: "<Dbtr><Pty><Nm>BANCA ESEMPIO S.P.A.</Nm></Pty></Dbtr>")
        #expect(v8.contains("<Pty><Nm>"))
        let old = try TreasurySamples.statement(v2).statement
        let new = try TreasurySamples.statement(v8).statement
        #expect(new == old)
    }

    @Test func otherVersionsAreNotTakenForAStatement() throws {
        let v9 = try TreasurySamples.text(TreasurySamples.statement).replacingOccurrences(of: "camt.053.001.02", with: "camt.053.001.09")
        #expect(TestSupport.parse(v9).kind == .unknown)
        #expect(Camt053Reader.reads(namespace: "urn:iso:std:iso:20022:tech:xsd:camt.053.001.05"))
        #expect(!Camt053Reader.reads(namespace: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"))
    }

    @Test func debitsAndPendingEntriesArePassedOver() throws {
        let text = try TreasurySamples.text(TreasurySamples.statement)
            .replacingOccurrences(of: "<RvslInd>true</RvslInd>", with: "")
            .replacingOccurrences(of: "<NtryRef>261118000421</NtryRef>\n        <Amt Ccy=\"EUR\">12.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>BOOK</Sts>",
                                  with: "<NtryRef>261118000421</NtryRef>\n        <Amt Ccy=\"EUR\">12.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>PDNG</Sts>")
        let statement = try TreasurySamples.statement(text).statement
        #expect(statement.passedOver == 2)
        #expect(statement.movements.map(\.reference) == ["261117000381", "261118000402", "261118000403"])
    }

    @Test func aBrokenAmountIsQuarantinedWithItsEntry() throws {
        let text = try TreasurySamples.text(TreasurySamples.statement)
            .replacingOccurrences(of: "<Amt Ccy=\"EUR\">322.50</Amt>", with: "<Amt Ccy=\"EUR\">322.5O</Amt>")
        let (_, statement, quarantined) = try TreasurySamples.statement(text)
        #expect(statement.movements.count == 4)
        #expect(quarantined.map(\.description) == ["Stmt[2]/Ntry[1]/Amt: Amt '322.5O' is not a positive amount in whole cents"])
    }

    @Test func aStatementWithoutAccountStoresNothingAndSaysWhy() throws {
        let text = try TreasurySamples.text(TreasurySamples.statement)
            .replacingOccurrences(of: "<IBAN>IT78K0306911884100000046001</IBAN>", with: "")
        let (_, content) = TestSupport.parse(text)
        guard case let .treasury(statement, quarantined) = try content.get() else { Issue.record("not treasury"); return }
        #expect(statement.movements.isEmpty)
        #expect(quarantined.map(\.element) == ["Stmt[1]/Acct", "Stmt[2]/Acct"])
    }
}
