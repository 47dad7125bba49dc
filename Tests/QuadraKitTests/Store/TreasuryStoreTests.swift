import Foundation
import GRDB
import Testing
@testable import QuadraKit

@Suite struct TreasuryStoreTests {
    private func ingest(_ paths: [URL], into store: Store) throws -> IngestSummary {
        try Ingestor(store: store, options: .init(configuration: try TreasurySamples.configuration)).ingest(paths.map(\.path))
    }

    private func newStore() throws -> Store {
        try Store(path: try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path)
    }

    private func sample(_ name: String) -> URL { TreasurySamples.folder.appendingPathComponent(name) }

    @Test func aStornoIsLinkedToTheCreditItCancelsAndBothAreKept() throws {
        let store = try newStore()
        let summary = try ingest([sample(TreasurySamples.journal18)], into: store)
        #expect(summary.outcomes.map(\.status) == [.ingested] && summary.outcomes[0].records == 5)
        let links = try store.rows("""
            SELECT c.reference FROM treasury_movement r JOIN treasury_movement c ON c.movement_id = r.reverses_movement_id
            WHERE r.sign = 'reversal'
            """)
        #expect(links == ["0064513"], "the storno cancels the second booking, not the first with the same TRN")
        #expect(try store.count("SELECT count(*) FROM treasury_movement WHERE flow_id = '2026-11-18ABI08999-00124'") == 3)
    }

    @Test func aCamtReversalIsLinkedByTheReferenceItQuotes() throws {
        let store = try newStore()
        _ = try ingest([sample(TreasurySamples.statement)], into: store)
        #expect(try store.rows("""
            SELECT r.reference || '>' || c.reference FROM treasury_movement r JOIN treasury_movement c ON c.movement_id = r.reverses_movement_id
            """) == ["261118000417>261118000403"])
    }

    /// A journal's second page may arrive first: the storno on it is linked when the credit's page lands.
    @Test func pagesOfOneJournalAreOneJournalWhateverTheOrder() throws {
        let folder = try TestSupport.scratchFolder()
        let (first, second) = try JournalPages.split(try TreasurySamples.text(TreasurySamples.journal18), after: "0001217")
        let secondURL = try TestSupport.write(second, to: folder, as: "page2.xml")
        let firstURL = try TestSupport.write(first, to: folder, as: "page1.xml")
        let store = try newStore()
        _ = try ingest([secondURL], into: store)
        let incomplete = try store.status().treasury.incompleteJournals
        #expect(incomplete.map(\.pagesPresent) == [[2]] && incomplete.map(\.pages) == [2])
        #expect(try store.count("SELECT count(*) FROM treasury_movement WHERE reverses_movement_id IS NOT NULL") == 0)

        _ = try ingest([firstURL], into: store)
        #expect(try store.status().treasury.incompleteJournals.isEmpty)
        #expect(try store.count("SELECT count(DISTINCT statement_id) FROM treasury_movement") == 1)
        #expect(try store.rows("""
            SELECT c.reference FROM treasury_movement r JOIN treasury_movement c ON c.movement_id = r.reverses_movement_id
            """) == ["0064513"])

        let whole = try newStore()
        _ = try ingest([sample(TreasurySamples.journal18)], into: whole)
        #expect(try store.rows("SELECT movement_id FROM treasury_movement ORDER BY 1")
                == whole.rows("SELECT movement_id FROM treasury_movement ORDER BY 1"),
                "movement ids do not depend on the page a movement was printed on")
    }

    @Test func theSameMovementsInAnotherFileAreADuplicateNotNewCredits() throws {
        let folder = try TestSupport.scratchFolder()
        let resent = try TestSupport.write(try TreasurySamples.text(TreasurySamples.statement)
            .replacingOccurrences(of: "<CreDtTm>2026-11-19T05:12:33</CreDtTm>", with: "<CreDtTm>2026-11-19T09:00:00</CreDtTm>"),
            to: folder, as: "resent.xml")
        let store = try newStore()
        let summary = try ingest([sample(TreasurySamples.statement), resent], into: store)
        #expect(summary.outcomes.map(\.status) == [.ingested, .duplicate])
        #expect(summary.outcomes[1].reason?.contains(TreasurySamples.statement) == true)
        #expect(try store.count("SELECT count(*) FROM treasury_movement") == 5)
    }

    @Test func movementsOnAnAccountNoCreditorOwnsAreStoredWithoutCreditor() throws {
        let store = try newStore()
        let summary = try Ingestor(store: store).ingest([sample(TreasurySamples.statement)].map(\.path))
        #expect(summary.exitCode == .success)
        #expect(try store.count("SELECT count(*) FROM treasury_movement WHERE creditor_fiscal_code IS NULL") == 5)
        #expect(try store.status().treasury.counts.allSatisfy { $0.creditor == nil })
    }

    /// A file above the streaming threshold is parsed by the writer as it streams: its movements are
    /// the same and still land on their creditor.
    @Test func aStreamedJournalLandsLikeAReadOne() throws {
        let store = try newStore()
        var options = Ingestor.Options(configuration: try TreasurySamples.configuration)
        options.streamingThreshold = 1
        let summary = try Ingestor(store: store, options: options).ingest([sample(TreasurySamples.journal18).path])
        #expect(summary.outcomes.map(\.status) == [.ingested] && summary.outcomes.map(\.kind) == [.opiJournal])
        #expect(try store.count("SELECT count(*) FROM treasury_movement WHERE creditor_fiscal_code = '80000000002'") == 5)
        #expect(try store.count("SELECT count(*) FROM treasury_movement WHERE reverses_movement_id IS NOT NULL") == 1)
    }

    @Test func outgoingMovementsAreCountedInTheOutcome() throws {
        let store = try newStore()
        let outcome = try #require(try ingest([sample(TreasurySamples.journal17)], into: store).outcomes.first)
        #expect(outcome.records == 3)
        #expect(outcome.reason == "3 movement(s) stored; 1 outgoing or non-credit movement(s) passed over")
    }

    /// A store from before journal holders were kept takes them from the creditor each row found; a
    /// row that found none gets an unknown holder (`''`), not NULL, which would make it the credit of
    /// any one creditor listing an account code of the same spelling.
    @Test func aStoreFromBeforeHoldersKnowsThemFromTheirCreditors() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v12: where each pass's look-back began")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO document (id, sha256, kind, path, size, ingested_at, outcome) VALUES (1, 'x', 'opi-journal', 'j.xml', 1, 't', 'ingested');
                INSERT INTO treasury_movement (movement_id, document_id, format, account, creditor_fiscal_code, booking_date, amount_cents,
                    sign, raw_causale, causale_kind, element)
                VALUES ('a', 1, 'opi-journal', '0000001', '80000000002', '2026-11-17', 100, 'credit', '', 'unparseable', 'e'),
                       ('b', 1, 'opi-journal', '0000001', NULL, '2026-11-17', 100, 'credit', '', 'unparseable', 'e'),
                       ('c', 1, 'camt053', 'IT00', NULL, '2026-11-17', 100, 'credit', '', 'unparseable', 'e');
                """)
        }
        try queue.close()
        let store = try Store(path: path)
        #expect(try store.rows("SELECT movement_id || ' ' || coalesce(holder_fiscal_code, 'NULL') FROM treasury_movement ORDER BY 1")
                == ["a 80000000002", "b ", "c NULL"])
    }
}

/// Cuts a one-page sample journal into two pages after a given `numero_movimento`, as a treasurer
/// splitting a long journal would.
enum JournalPages {
    static func split(_ journal: String, after movement: String) throws -> (String, String) {
        let marker = "<numero_movimento>\(movement)</numero_movimento>"
        guard let markerRange = journal.range(of: marker),
              let cut = journal.range(of: "</movimento_conto_evidenza>", range: markerRange.upperBound..<journal.endIndex),
              let accountStart = journal.range(of: "<movimento_conto_evidenza>"),
              let accountEnd = journal.range(of: "<saldo_precedente_conto_evidenza>") else {
            throw DocumentRejection(reason: "the sample no longer has movement \(movement)")
        }
        let head = String(journal[..<accountStart.lowerBound])
        let tail = String(journal[accountEnd.lowerBound...])
        let firstMovements = String(journal[accountStart.lowerBound..<cut.upperBound])
        let secondMovements = String(journal[cut.upperBound..<accountEnd.lowerBound])
        func page(_ number: Int, _ movements: String) -> String {
            (head + movements + "\n        " + tail)
                .replacingOccurrences(of: "<pagina>1</pagina>", with: "<pagina>\(number)</pagina>")
                .replacingOccurrences(of: "<pagine_totali>1</pagine_totali>", with: "<pagine_totali>2</pagine_totali>")
                .replacingOccurrences(of: "#001#001<", with: "#00\(number)#002<")
        }
        return (page(1, firstMovements), page(2, secondMovements))
    }
}
