import Foundation
import Testing
@testable import QuadraKit

@Suite struct TaxonomyReaderTests {
    @Test func readsTheWholeOfficialJSONTable() throws {
        let bytes = Array(try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("taxonomy/tassonomia.json")))
        let (kind, content) = TestSupport.parse(bytes)
        #expect(kind == .taxonomyJSON)
        guard case let .taxonomy(entries, quarantined) = try content.get() else { Issue.record("not taxonomy"); return }
        #expect(entries.count == 623 && quarantined.isEmpty)
        let imu = try #require(entries.first { $0.code == "0101100IM" })
        #expect(imu.version == "33" && imu.validFrom == "1900-01-01" && imu.validTo == "2080-01-01")
        #expect(imu.macroAreaName == "TRIBUTI" && imu.legalReason == "IM")
    }

    @Test func readsTheCSVLayoutWithMonthFirstDates() throws {
        let bytes = Array(try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("taxonomy/taxonomy-csv-format-sample.csv")))
        let (kind, content) = TestSupport.parse(bytes)
        #expect(kind == .taxonomyCSV)
        guard case let .taxonomy(entries, quarantined) = try content.get() else { Issue.record("not taxonomy"); return }
        #expect(quarantined.isEmpty)
        #expect(entries.map(\.code) == ["0102100SA", "0702133TS", "0101100IM", "0101101IM"])
        #expect(entries[1].validFrom == "2021-02-01", "02/01/2021 is the first of February")
        #expect(entries[2].serviceDescription?.contains("\"nuova IMU\"") == true, "doubled quotes unescape")
        #expect(entries.allSatisfy { $0.version == "31" })
    }

    @Test func aRowWithAnImpossibleDateIsQuarantinedByLine() throws {
        let header = "CODICE TIPO ENTE CREDITORE;# VERSIONE TASSONOMIA;DATI SPECIFICI DI INCASSO;DATA INIZIO VALIDITA (mm/gg/aaaa);DATA FINE VALIDITA (mm/gg/aaaa)"
        let text = "\(header)\n1;31;9/0101100IM/;01/01/1900;01/01/2080\n1;31;9/0101101IM/;13/45/2020;01/01/2080\n"
        guard case let .taxonomy(entries, quarantined) = try TestSupport.parse(text).content.get() else { Issue.record("not taxonomy"); return }
        #expect(entries.map(\.code) == ["0101100IM"])
        #expect(quarantined.first?.element == "line 3")
        #expect(quarantined.first?.reason.contains("13/45/2020") == true)
    }
}
