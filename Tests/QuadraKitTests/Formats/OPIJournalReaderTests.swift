import Foundation
import Testing
@testable import QuadraKit

@Suite struct OPIJournalReaderTests {
    @Test func readsTheRealGiornaleDiCassaKeepingOnlyIncomingMovements() throws {
        let text = String(decoding: try TestSupport.specSample("opi_giornale_di_cassa_v1_8.xml"), as: UTF8.self)
        let (kind, statement, quarantined) = try TreasurySamples.statement(text)
        #expect(kind == .opiJournal)
        #expect(quarantined.isEmpty)
        #expect(statement.passedOver == 2, "the two USCITA mandates")
        #expect(statement.movements.map(\.amountCents) == [501_587, 427_620])
        let first = try #require(statement.movements.first)
        #expect(first.account == "0000005" && first.reference == "0064422" && first.sign == .credit)
        #expect(first.bookingDate == "2022-09-29" && first.valueDate == "2022-09-29")
        #expect(first.debtorName == "TEST 3")
        #expect(first.transactionId == "110SF20763927S779003842372000000032", "no codice_riferimento_operazione: the cro")
        #expect(first.causale == .unparseable)
        #expect(first.creditorFiscalCode == nil, "no creditor is configured")
        #expect(statement.page == .init(journal: "OPI 03069/06144260707/2022-09-29/GDC-202209302022202209291010285", page: 1, pages: 2))
        #expect(statement.holderFiscalCode == "06144260707")
        #expect(Set(statement.movements.map(\.movementId)).count == 2)
    }

    @Test func readsTheSampleDayJournalWithItsStornoAndParsedCausali() throws {
        let (_, statement, quarantined) = try TreasurySamples.statement(try TreasurySamples.text(TreasurySamples.journal18),
                                                                       context: try TreasurySamples.context)
        #expect(quarantined.isEmpty && statement.passedOver == 0)
        #expect(statement.movements.map(\.sign) == [.credit, .credit, .credit, .reversal, .credit])
        #expect(statement.movements.allSatisfy { $0.creditorFiscalCode == "80000000002" })
        #expect(statement.movements[0].causale == .flow(id: "2026-11-17ESMPITMM-S0001726", integration: true))
        let storno = statement.movements[3]
        #expect(storno.reference == "0064513" && storno.reversedReference == "0064513")
        #expect(storno.movementId != statement.movements[2].movementId, "the credit and its storno share numero_documento")
    }

    @Test func aMovementThatBreaksARuleIsQuarantinedWithItsPlaceAndTheOthersLand() throws {
        let text = try TreasurySamples.text(TreasurySamples.journal17)
            .replacingOccurrences(of: "<importo>113.40</importo>", with: "<importo>113,40</importo>")
        let (_, statement, quarantined) = try TreasurySamples.statement(text)
        #expect(statement.movements.map(\.amountCents) == [20_400, 5_960])
        #expect(quarantined.map(\.description) == [
            "informazioni_conto_evidenza[1]/movimento_conto_evidenza[3]/importo: importo '113,40' is not a positive amount in euro",
        ])
    }

    @Test(arguments: [("<tipo_movimento>ENTRATA</tipo_movimento>", "<tipo_movimento>INCASSO</tipo_movimento>", "tipo_movimento"),
                      ("<tipo_operazione>ESEGUITO</tipo_operazione>", "<tipo_operazione>ANNULLATO</tipo_operazione>", "tipo_operazione"),
                      ("<data_movimento>2026-11-17</data_movimento>", "<data_movimento>17/11/2026</data_movimento>", "data_movimento")])
    func unknownValuesAreRefusedNamingTheField(original: String, broken: String, field: String) throws {
        let text = try TreasurySamples.text(TreasurySamples.journal17).replacingOccurrences(of: original, with: broken)
        let (_, _, quarantined) = try TreasurySamples.statement(text)
        #expect(!quarantined.isEmpty)
        #expect(quarantined.allSatisfy { $0.element?.hasSuffix("/\(field)") == true })
    }

    @Test func aJournalWithoutItsDayIsRejected() throws {
        let text = try TreasurySamples.text(TreasurySamples.journal17)
            .replacingOccurrences(of: "<data_riferimento_GdC>2026-11-17</data_riferimento_GdC>", with: "")
        let (kind, content) = TestSupport.parse(text)
        #expect(kind == .opiJournal)
        #expect(throws: DocumentRejection.self) { try content.get() }
    }

    @Test func anAccountOfAnotherCreditorOrNotListedStaysWithoutCreditor() throws {
        let directory = CreditorDirectory([Creditor(fiscalCode: "80000000002", name: "Comune", opiAccounts: ["0000009"])])
        #expect(directory.creditor(forOPIAccount: "0000009", journalFiscalCode: "80000000002") == "80000000002")
        #expect(directory.creditor(forOPIAccount: "0000001", journalFiscalCode: "80000000002") == nil)
        #expect(directory.creditor(forOPIAccount: "0000009", journalFiscalCode: "06144260707") == nil)
        #expect(directory.creditor(forOPIAccount: "0000009", journalFiscalCode: nil) == "80000000002")
    }

    /// Found by `Scripts/fuzz.sh opi`: `pagine_totali` 0 built the range 1...0 and trapped (signal 4).
    @Test(arguments: ["0", "-3"])
    func aJournalOfNoPagesIsRefusedNotATrap(pages: String) throws {
        let found = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("fuzz/opi-zero-pages.xml"))
        #expect(TestSupport.rejection(String(decoding: found, as: UTF8.self))?.element == "flusso_giornale_di_cassa/pagina")
        let sample = String(decoding: try TestSupport.specSample("opi_giornale_di_cassa_v1_8.xml"), as: UTF8.self)
        #expect(sample.contains("<pagine_totali>2</pagine_totali>"))
        let text = sample.replacingOccurrences(of: "<pagine_totali>2</pagine_totali>", with: "<pagine_totali>\(pages)</pagine_totali>")
        let rejection = try #require(TestSupport.rejection(text))
        #expect(rejection.element == "flusso_giornale_di_cassa/pagina" && rejection.reason.contains("is not a page"), "\(rejection)")
    }
}
