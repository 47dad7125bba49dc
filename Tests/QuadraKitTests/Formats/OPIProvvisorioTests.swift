import Foundation
import Testing
@testable import QuadraKit

/// The provvisorio fields of `SOSPESO ENTRATA` credits and the sospesi of `REGOLARIZZATO` reversali,
/// read from real-format OPI journals.
@Suite struct OPIProvvisorioTests {
    /// The sample day's journal of the 17th with, after its credits, the reversale that regularises two of them.
    static func journalWithReversale(number: String = "0000412", day: String = "2026-11-17", sospesi: [(String, String)]) throws -> String {
        let list = sospesi.map { "<sospeso><numero_provvisorio>\($0.0)</numero_provvisorio><importo_provvisorio>\($0.1)</importo_provvisorio></sospeso>" }
        let total = Money.format(sospesi.compactMap { Money.cents(fromDecimal: $0.1) }.reduce(0, +))
        let reversale = """
            <movimento_conto_evidenza>
                <identificativo_flusso>202600000000000412</identificativo_flusso>
                <numero_movimento>0000990</numero_movimento>
                <tipo_movimento>ENTRATA</tipo_movimento>
                <tipo_documento>REVERSALE</tipo_documento>
                <tipo_operazione>REGOLARIZZATO</tipo_operazione>
                <numero_documento>\(number)</numero_documento>
                <progressivo_documento>1</progressivo_documento>
                <importo>\(total)</importo>
                <numero_bolletta_quietanza>0074990</numero_bolletta_quietanza>
                <data_movimento>\(day)</data_movimento>
                <data_movimento_siope>\(day)</data_movimento_siope>
                <tipo_esecuzione>REGOLARIZZAZIONE</tipo_esecuzione>
                <assoggettamento_bollo>ESENTE BOLLO</assoggettamento_bollo>
                <cliente><anagrafica_cliente>VERSANTI DIVERSI PAGOPA</anagrafica_cliente></cliente>
                <causale>REGOLARIZZAZIONE PROVVISORI PAGOPA</causale>
                \(list.joined())
            </movimento_conto_evidenza>
            <saldo_precedente_conto_evidenza>
            """
        return try TreasurySamples.text(TreasurySamples.journal17)
            .replacingOccurrences(of: "<saldo_precedente_conto_evidenza>", with: reversale)
    }

    @Test func theSpecSampleKeepsEachSospesoEntratasProvvisorio() throws {
        let text = String(decoding: try TestSupport.specSample("opi_giornale_di_cassa_v1_8.xml"), as: UTF8.self)
        let (_, statement, _) = try TreasurySamples.statement(text)
        #expect(statement.movements.map(\.provvisorio) == [
            Provvisorio(fiscalYear: 2022, number: "0064422", receiptNumber: "0074056", effectiveDate: "2022-09-29", managementCode: "0000099999"),
            Provvisorio(fiscalYear: 2022, number: "0064426", receiptNumber: "0074060", effectiveDate: "2022-09-29", managementCode: "0000099999"),
        ])
    }

    @Test func aRegolarizzatoIsReadAsTheReversaleThatSettledItsSospesi() throws {
        let text = try Self.journalWithReversale(sospesi: [("64501", "204.00"), ("0064503", "59.60")])
        let (_, statement, quarantined) = try TreasurySamples.statement(text, context: try TreasurySamples.context)
        #expect(quarantined.isEmpty)
        #expect(statement.movements.count == 3, "no new money: the three credits only")
        let reversale = try #require(statement.regularisations.first)
        #expect(statement.regularisations.count == 1)
        #expect(reversale.documentType == "REVERSALE" && reversale.documentNumber == "0000412" && reversale.fiscalYear == 2026)
        #expect(reversale.amountCents == 26_360 && reversale.bookingDate == "2026-11-17")
        #expect(reversale.sospesi == [.init(number: "64501", amountCents: 20_400), .init(number: "0064503", amountCents: 5_960)])
        #expect(reversale.creditorFiscalCode == "80000000002")
    }

    @Test func aSospesoWithoutAnAmountIsQuarantinedNamingIt() throws {
        let text = try Self.journalWithReversale(sospesi: [("64501", "204.00"), ("64503", "59,60")])
        let (_, statement, quarantined) = try TreasurySamples.statement(text)
        #expect(statement.regularisations.isEmpty)
        #expect(quarantined.map(\.description) == [
            "informazioni_conto_evidenza[1]/movimento_conto_evidenza[5]/sospeso[2]/importo_provvisorio: importo_provvisorio '59,60' is not a positive amount in euro",
        ])
    }

    /// A SOSPESO ENTRATA the ragioneria could not name (a number that is not digits) or whose age could
    /// not be counted (a date that is not one) is quarantined naming the field, never stored as a credit
    /// with no provvisorio; the journal's other credits land.
    @Test func aSospesoEntrataWithoutANumberOrADateIsQuarantinedNamingIt() throws {
        let journal = try TreasurySamples.text(TreasurySamples.journal17)
        for (from, to, reason) in [
            ("<numero_documento>0064501</numero_documento>", "<numero_documento>A64501</numero_documento>",
             "movimento_conto_evidenza[2]/numero_documento: numero_documento 'A64501' of a SOSPESO ENTRATA is not a provvisorio number (digits)"),
            ("<data_effettiva_sospeso>2026-11-17</data_effettiva_sospeso>", "<data_effettiva_sospeso>17/11/2026</data_effettiva_sospeso>",
             "movimento_conto_evidenza[2]/sospeso_da_regolarizzare/data_effettiva_sospeso: data_effettiva_sospeso '17/11/2026' is not an ISO date (YYYY-MM-DD)"),
        ] {
            let text = journal.replacingCharacters(in: try #require(journal.range(of: from)), with: to)
            let (_, statement, quarantined) = try TreasurySamples.statement(text)
            #expect(quarantined.map(\.description) == ["informazioni_conto_evidenza[1]/" + reason])
            #expect(statement.movements.count == (try TreasurySamples.statement(journal)).statement.movements.count - 1)
            #expect(statement.movements.contains { $0.provvisorio?.number == "0064502" })
        }
    }
}
