import Foundation
import Testing
@testable import QuadraKit

@Suite struct BankCSVReaderTests {
    static let folder = TestSupport.samples.appendingPathComponent("bank-csv")

    private func read(_ text: String, layouts: [BankCSVLayout]) throws -> (DocumentKind, TreasuryStatement, [DocumentRejection]) {
        let context = DocumentParser.Context(creditors: try TreasurySamples.configuration.directory, bankCSVLayouts: layouts)
        let result = try TreasurySamples.statement(text, context: context)
        return (result.kind, result.statement, result.quarantined)
    }

    @Test func readsTheHomeBankingSampleWithDecimalCommaAndDebitCreditColumns() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("home-banking_80000000002_2026-11-17.csv"), encoding: .utf8)
        let (kind, statement, quarantined) = try read(text, layouts: try TreasurySamples.configuration.bankCSVLayouts)
        #expect(kind == .bankCSV && quarantined.isEmpty)
        #expect(statement.passedOver == 1, "the 1.830,00 debit")
        #expect(statement.movements.map(\.amountCents) == [20_400, 11_340, 5_960])
        #expect(statement.movements.map(\.reference) == ["0064501", "0064502", "0064503"])
        #expect(statement.movements.allSatisfy { $0.account == "IT60X0542811101000000123456" && $0.creditorFiscalCode == "80000000002" })
        #expect(statement.movements[1].causale == .flow(id: "2026-11-17ABI08999-00123", integration: false))
        #expect(statement.movements[2].causale == .payment(iuv: "01261060000077770", amountCents: 5_960))
        #expect(statement.movements[0].bookingDate == "2026-11-17")
    }

    @Test func readsTheTreasuryExportByPositionWithASignColumn() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("tesoreria-export_80000000010_2026-11-18.csv"), encoding: .utf8)
        let (kind, statement, quarantined) = try read(text, layouts: try TreasurySamples.configuration.bankCSVLayouts)
        #expect(kind == .bankCSV && quarantined.isEmpty && statement.passedOver == 1)
        #expect(statement.movements.map(\.amountCents) == [32_250, 1_200])
        #expect(statement.movements.allSatisfy { $0.creditorFiscalCode == "80000000010" })
        #expect(statement.movements[1].causale == .unparseable)
    }

    @Test func aSignedAmountColumnTellsDebitsByTheirSign() throws {
        var layout = BankCSVLayout(name: "signed", date: .name("Data"), amount: .signed(.name("Importo")), causale: .name("Causale"))
        layout.decimalComma = true
        layout.account = "IT60X0542811101000000123456"
        let text = "Data;Importo;Causale\n18/11/2026;-1.234,50;COMMISSIONI\n18/11/2026;1.234,50;/RFB/01261060000077770\n18/11/2026;+0,5;ARROTONDAMENTO\n"
        let (_, statement, quarantined) = try read(text, layouts: [layout])
        #expect(quarantined.isEmpty && statement.passedOver == 1)
        #expect(statement.movements.map(\.amountCents) == [123_450, 50])
    }

    @Test func aRowThatBreaksTheLayoutIsQuarantinedWithItsLine() throws {
        let layouts = try TreasurySamples.configuration.bankCSVLayouts
        let text = "Data contabile;Data valuta;Dare;Avere;Descrizione operazione;Riferimento banca\n"
            + "17/11/2026;17/11/2026;;1.012,50;RIGA BUONA;1\n"
            + "17/11/2026;17/11/2026;;12.5;PUNTO DECIMALE;1\n"
            + "17/11/2026;17/11/2026;;dodici;IMPORTO IN LETTERE;2\n"
            + "17/11/2026;17/11/2026;;;NESSUN IMPORTO;3\n"
            + "17/11/2026\n"
        let (_, statement, quarantined) = try read(text, layouts: layouts)
        #expect(statement.movements.map(\.amountCents) == [101_250], "decimal comma: the dot groups thousands")
        #expect(quarantined.map(\.element) == ["line 3", "line 4", "line 5", "line 6"])
        #expect(quarantined[0].reason.contains("'12.5'"))
        #expect(quarantined[1].reason.contains("'dodici'"))
        #expect(quarantined[2].reason.contains("neither"))
        #expect(quarantined[3].reason.contains("has no"))
    }

    @Test func identicalRowsWithoutReferenceStayTwoMovements() throws {
        var layout = BankCSVLayout(name: "bare", date: .name("Data"), amount: .signed(.name("Importo")), causale: .name("Causale"))
        layout.account = "IT60X0542811101000000123456"
        let row = "2026-11-18;10.00;/RFB/01261060000077770/10.00\n"
        layout.dateFormat = try #require(CSVDateFormat(pattern: "YYYY-MM-DD"))
        let (_, statement, _) = try read("Data;Importo;Causale\n" + row + row, layouts: [layout])
        #expect(statement.movements.count == 2)
        #expect(Set(statement.movements.map(\.movementId)).count == 2)
        let again = try read("Data;Importo;Causale\n" + row + row, layouts: [layout]).1
        #expect(again.movements.map(\.movementId) == statement.movements.map(\.movementId))
    }

    @Test func aCSVMatchingNoLayoutIsUnknown() throws {
        let (kind, content) = DocumentParser.parse(Array("Foo;Bar\n1;2\n".utf8),
                                                   context: .init(bankCSVLayouts: try TreasurySamples.configuration.bankCSVLayouts))
        #expect(kind == .unknown)
        #expect(throws: DocumentRejection.self) { try content.get() }
    }

    @Test(arguments: [("1.234,56", true, 123_456), ("1,234.56", false, 123_456), ("12,5", true, 1_250), ("-3,00", true, -300),
                      ("3,00-", true, -300), ("€ 7,00", true, 700),
                      ("1.234.567,8", true, 123_456_780), ("1234,56", true, 123_456)])
    func amountsFollowTheDeclaredDecimalMark(text: String, decimalComma: Bool, cents: Int64) {
        #expect(BankCSVReader.parseAmount(text, decimalComma: decimalComma) == cents)
    }

    @Test(arguments: ["1,2,3", "12,345", "abc", "", "12.5", "1.23,00", "1234.567,00"])
    func amountsThatAreNotWholeCentsAreRefused(text: String) {
        #expect(BankCSVReader.parseAmount(text, decimalComma: true) == nil)
    }

    @Test func dateFormatsConvertToISOAndRefuseImpossibleDates() throws {
        let italian = try #require(CSVDateFormat(pattern: "DD/MM/YYYY"))
        #expect(italian.iso("17/11/2026") == "2026-11-17")
        #expect(italian.iso("31/11/2026") == nil)
        #expect(italian.iso("2026-11-17") == nil)
        #expect(CSVDateFormat(pattern: "DD.MM.YY")?.iso("17.11.26") == "2026-11-17")
        #expect(CSVDateFormat(pattern: "YYYYMMDD")?.iso("20261117") == "2026-11-17")
        #expect(CSVDateFormat(pattern: "DD/MM") == nil)
    }
}
