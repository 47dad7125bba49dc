import Crypto
import Foundation
import GRDB
import Synchronization
import Testing
@testable import QuadraKit

@Suite struct IngestorTests {
    private func ingest(_ paths: [URL], into store: Store, creditor: String? = nil) throws -> IngestSummary {
        try Ingestor(store: store, options: .init(creditor: creditor)).ingest(paths.map(\.path))
    }

    private func newStore(in folder: URL) throws -> Store {
        try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
    }

    @Test func theSameReceiptDeliveredToTwoStationsIsStoredOnce() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        _ = try TestSupport.write(try SampleReceipt.text, to: folder, as: "inbox/primary.xml")
        let secondary = try SampleReceipt.inEnvelope(prefix: "soapenv", body: try SampleReceipt.replacing(
            "<idPA>77777777777</idPA>", with: "<idPA>77777777778</idPA>"))
        _ = try TestSupport.write(secondary, to: folder, as: "inbox/secondary.xml")
        let summary = try ingest([folder.appendingPathComponent("inbox")], into: store)
        #expect(summary.outcomes.map(\.status) == [.ingested, .duplicate])
        #expect(summary.outcomes[1].reason?.contains("primary.xml") == true)
        #expect(summary.exitCode == .success)
        #expect(try store.count("SELECT count(*) FROM receipt") == 1)
        #expect(try store.count("SELECT count(*) FROM receipt_transfer") == 2)
    }

    @Test func aReceiptIdReusedWithOtherContentIsRejectedNamingBothDocuments() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let first = try TestSupport.write(try SampleReceipt.text, to: folder, as: "a.xml")
        let second = try TestSupport.write(try SampleReceipt.replacing("<description>test</description>", with: "<description>other</description>"),
                                           to: folder, as: "b.xml")
        let summary = try ingest([first, second], into: store)
        #expect(summary.outcomes.map(\.status) == [.ingested, .rejected])
        let reason = try #require(summary.outcomes[1].reason)
        #expect(reason.contains("c110729d258c4ab1b765fe902aae41d6") && reason.contains(first.path))
        #expect(summary.exitCode == .dataError)
        #expect(try store.count("SELECT count(*) FROM receipt") == 1)
        #expect(try store.status().rejected.map(\.path) == [second.path])
    }

    @Test func ingestingTheSameFilesTwiceChangesNothing() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        try FileManager.default.copyItem(at: TestSupport.specSamples, to: folder.appendingPathComponent("inbox"))
        let inbox = folder.appendingPathComponent("inbox")
        _ = try ingest([inbox], into: store, creditor: "77777777777")
        let before = try store.snapshot()
        let again = try ingest([inbox], into: store, creditor: "77777777777")
        #expect(try store.snapshot() == before)
        let readable = again.outcomes.filter { $0.status != .rejected }
        #expect(!readable.isEmpty && readable.allSatisfy { $0.status == .skipped })
    }

    @Test func aGzippedDocumentIsReadTransparentlyAndATruncatedOneRejected() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let plain = try TestSupport.write(try SampleReceipt.text, to: folder, as: "receipt.xml")
        try Self.run("/bin/gzip", ["-n", "-k", plain.path])
        let gz = try Data(contentsOf: folder.appendingPathComponent("receipt.xml.gz"))
        try gz.prefix(gz.count / 2).write(to: folder.appendingPathComponent("truncated.xml.gz"))
        let summary = try ingest([folder.appendingPathComponent("receipt.xml.gz"), folder.appendingPathComponent("truncated.xml.gz"), plain], into: store)
        #expect(summary.outcomes.map(\.status) == [.ingested, .rejected, .skipped], "same decompressed bytes, same document")
        #expect(summary.outcomes[1].reason?.contains("truncated") == true)
    }

    /// Finding 6.3: the inflated size decides. A small `.gz` past the streaming threshold is streamed,
    /// not inflated into memory; one that inflates past the 1 GiB limit of any document is refused.
    @Test func aGzipIsJudgedByItsInflatedSize() throws {
        let folder = try TestSupport.scratchFolder()
        let big = folder.appendingPathComponent("big.gz"), bomb = folder.appendingPathComponent("bomb.gz")
        try Self.run("/bin/sh", ["-c", "head -c 9437184 /dev/zero | gzip -1 > '\(big.path)'"])
        try Self.run("/bin/sh", ["-c", "head -c \(InputFile.maximumInflated + 1) /dev/zero | gzip -1 > '\(bomb.path)'"])
        #expect(try InputFile(path: big.path).readAll(limit: 8 << 20) == nil)
        #expect(try InputFile(path: big.path).readAll(limit: 9 << 20)?.count == 9 << 20)
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([bomb.path])
        #expect(summary.outcomes.map(\.status) == [.rejected])
        #expect(summary.outcomes.first?.reason?.contains("inflates past 1073741824 bytes") == true, "\(summary.outcomes)")
    }

    /// Finding 6.7: identical rejected copies are one ledger row, and every path they were read from is kept.
    @Test func everyPathOfIdenticalRejectedCopiesIsRecorded() throws {
        let folder = try TestSupport.scratchFolder()
        let bad = try SampleReceipt.replacing("<outcome>OK</outcome>", with: "<outcome>KO</outcome>")
        let first = try TestSupport.write(bad, to: folder, as: "inbox/a/rt.xml")
        let second = try TestSupport.write(bad, to: folder, as: "inbox/b/rt-copy.xml")
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let summary = try Ingestor(store: store).ingest([folder.appendingPathComponent("inbox").path])
        #expect(summary.outcomes.map(\.status) == [.rejected, .rejected])
        #expect(try store.status().rejected.map(\.path) == [first.path, second.path])
        #expect(try store.count("SELECT count(*) FROM document") == 1)
    }

    @Test func aResentPositionBecomesTheCurrentVersionAndKeepsHistory() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        func position(_ amount: Int) -> String {
            """
            {"iupd": "IUPD-1", "paymentOption": [{"iuv": "01000000000000001", "amount": \(amount), "isPartialPayment": false,
              "transfer": [{"idTransfer": "1", "amount": \(amount), "category": "9/0101101IM/", "iban": "IT60X0542811101000000123456"}]}]}
            """
        }
        let first = try TestSupport.write(position(5000), to: folder, as: "80000000002/gpd/v1.json")
        let same = try TestSupport.write(position(5000) + "\n", to: folder, as: "80000000002/gpd/v1-again.json")
        let second = try TestSupport.write(position(6000), to: folder, as: "80000000002/gpd/v2.json")
        let summary = try ingest([first, same, second], into: store)
        #expect(summary.outcomes.map(\.records) == [1, 0, 1])
        #expect(try store.count("SELECT count(*) FROM debt_position WHERE creditor_fiscal_code = '80000000002'") == 2)
        #expect(try store.count("SELECT version FROM debt_position WHERE is_current = 1") == 2)
        #expect(try store.count("SELECT amount_cents FROM payment_option WHERE is_current = 1") == 6000)
        #expect(try store.count("SELECT count(*) FROM payment_option") == 2)
    }

    @Test func anIUVOfAnotherPositionIsQuarantinedWhileTheRestLands() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        func position(_ iupd: String, _ iuv: String) -> String {
            """
            {"iupd": "\(iupd)", "paymentOption": [{"iuv": "\(iuv)", "amount": 100, "isPartialPayment": false,
              "transfer": [{"idTransfer": "1", "amount": 100, "iban": "IT60X0542811101000000123456"}]}]}
            """
        }
        let first = try TestSupport.write(position("A", "01000000000000001"), to: folder, as: "a.json")
        let second = try TestSupport.write("[\(position("B", "01000000000000001")), \(position("C", "01000000000000002"))]", to: folder, as: "b.json")
        let summary = try ingest([first, second], into: store, creditor: "80000000002")
        #expect(summary.outcomes.map(\.status) == [.ingested, .partial])
        #expect(summary.outcomes[1].quarantined.first?.contains("already belongs to position A") == true)
        #expect(summary.exitCode == .dataError)
        #expect(try store.status().quarantined.count == 1)
        #expect(try store.count("SELECT count(*) FROM debt_position") == 2)
    }

    @Test func aRejectedDocumentIsReadAgainAndLandsOnceItsOwnerIsKnown() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let file = folder.appendingPathComponent("positions.json")
        try FileManager.default.copyItem(at: TestSupport.specSamples.appendingPathComponent("gpd_payment_positions_upload_1position.json"), to: file)
        #expect(try ingest([file], into: store).outcomes.map(\.status) == [.rejected])
        #expect(try ingest([file], into: store, creditor: "77777777777").outcomes.map(\.status) == [.ingested])
        #expect(try store.count("SELECT count(*) FROM document") == 1)
        #expect(try store.status().rejected.isEmpty)
    }

    @Test func hiddenFilesAndLinksInAFolderAreNamedNotDroppedUnseen() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let inbox = folder.appendingPathComponent("inbox")
        let receipt = try TestSupport.write(try SampleReceipt.text, to: inbox, as: "receipt.xml")
        _ = try TestSupport.write(try SampleReceipt.text, to: inbox, as: ".receipt.xml.swp")
        try FileManager.default.createSymbolicLink(at: inbox.appendingPathComponent("link.xml"), withDestinationURL: receipt)
        let summary = try ingest([inbox], into: store)
        #expect(summary.outcomes.map(\.path) == [receipt.path])
        #expect(summary.passedOver == ["\(inbox.path)/.receipt.xml.swp: hidden",
                                       "\(inbox.path)/link.xml: symbolic link (name the target itself to read it)"])
        #expect(summary.line.contains("passed over 2"))
    }

    /// The listing counts documents without holding them; reading walks the inbox again, in the
    /// same order, and a path gone since the listing comes as a document that cannot be read.
    @Test func documentsAreWalkedAgainInListingOrderAndAVanishedPathIsUnreadable() throws {
        let folder = try TestSupport.scratchFolder()
        let inbox = folder.appendingPathComponent("inbox")
        _ = try TestSupport.write("<b/>", to: inbox.appendingPathComponent("b"), as: "2.xml")
        _ = try TestSupport.write("<a/>", to: inbox.appendingPathComponent("a"), as: "1.xml")
        _ = try TestSupport.write("<c/>", to: inbox.appendingPathComponent("a/c"), as: "3.xml")
        try ZipFixtures.write([("z/4.xml", Array("<d/>".utf8)), ("z/.DS_Store", [0]), ("z/5.xml", Array("<e/>".utf8))],
                              to: inbox.appendingPathComponent("a/receipts.zip"))
        let loose = try TestSupport.write("<f/>", to: folder, as: "6.xml")
        let listing = try InputFiles.list([inbox.path, loose.path])
        #expect(listing.count == 6)
        #expect(listing.archives == [inbox.appendingPathComponent("a/receipts.zip").path])
        #expect(listing.passedOver == ["\(inbox.path)/a/receipts.zip/z/.DS_Store: hidden"])
        try FileManager.default.removeItem(at: loose)
        var documents = listing.documents()
        var paths: [String] = []
        var last: InputFiles.File?
        while let file = documents.next() {
            paths.append(String(file.path.dropFirst(folder.path.count + 1)))
            last = file
        }
        #expect(paths == ["inbox/a/1.xml", "inbox/a/c/3.xml", "inbox/a/receipts.zip/z/4.xml", "inbox/a/receipts.zip/z/5.xml",
                          "inbox/b/2.xml", "6.xml"])
        #expect(throws: InputError.self) { _ = try last?.input.readAll(limit: 1 << 20) }
    }

    /// The documents' walk reads each file as the listing saw it, archive or document, without
    /// opening it again: a file that became a ZIP after the listing is still one document, and the
    /// listing's count and archives stay what the night reads.
    @Test func theWalkReadsFilesAsTheListingSawThem() throws {
        let inbox = try TestSupport.scratchFolder().appendingPathComponent("inbox")
        let loose = try TestSupport.write("<a/>", to: inbox, as: "1.xml")
        let listing = try InputFiles.list([inbox.path])
        #expect(listing.count == 1 && listing.archives.isEmpty)
        try FileManager.default.removeItem(at: loose)
        try ZipFixtures.write([("2.xml", Array("<b/>".utf8)), ("3.xml", Array("<c/>".utf8))], to: loose)
        var documents = listing.documents()
        var paths: [String] = []
        while let file = documents.next() { paths.append(file.path) }
        #expect(paths == [loose.path])
    }

    /// A folder entry's record may end right before an unmapped page: its name must be read up to
    /// its NUL and no further. The record here ends at a page followed by one that cannot be read,
    /// so reading the whole 256-byte `d_name` array, as the walk once did, kills the test process.
    @Test func aFolderEntryIsReadNoFurtherThanItsName() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let region = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(Int(bitPattern: region) != -1)
        defer { munmap(region, 2 * page) }
        #expect(mprotect(region + page, page, PROT_NONE) == 0)
        let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name)!
        let name = Array("a.xml".utf8) + [0]
        let record = region + page - nameOffset - name.count
        name.withUnsafeBytes { (record + nameOffset).copyMemory(from: $0.baseAddress!, byteCount: name.count) }
        #expect(InputFiles.name(of: record.assumingMemoryBound(to: dirent.self)) == "a.xml")
    }

    /// Every name length a folder may hold comes back whole, in sorted order.
    @Test func namesOfEveryLengthAreListed() throws {
        let inbox = try TestSupport.scratchFolder().appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let names = (1...255).map { String(repeating: "r", count: $0) }
        for name in names { #expect(FileManager.default.createFile(atPath: inbox.appendingPathComponent(name).path, contents: Data("<r/>".utf8))) }
        var documents = try InputFiles.list([inbox.path]).documents()
        var listed: [String] = []
        while let file = documents.next() { listed.append(String(file.path.dropFirst(inbox.path.count + 1))) }
        #expect(listed == names.sorted())
    }

    /// An SQLite failure while a batch is written (here a trigger refusing one receipt's ledger row)
    /// rolls the open transaction back whole, stops the ingest with the error, and no batch handed
    /// over after it is written: the batches committed before it stay, as a crash there would leave
    /// them.
    @Test func aBatchTheStoreRefusesStopsTheIngestAndNothingAfterItIsWritten() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let refusal = """
            CREATE TRIGGER refuse_poison BEFORE INSERT ON document WHEN NEW.path LIKE '%poison%'
            BEGIN SELECT RAISE(ABORT, 'the disk refused this one'); END
            """
        try store.pool.write { try $0.execute(sql: refusal) }
        let inbox = folder.appendingPathComponent("inbox")
        for (index, name) in ["1.xml", "2-poison.xml", "3.xml", "4.xml"].enumerated() {
            _ = try TestSupport.write(try SampleReceipt.replacing("c110729d258c4ab1b765fe902aae41d6", with: "receipt-\(index)"),
                                      to: inbox, as: name)
        }
        var options = Ingestor.Options()
        options.batchSize = 1
        options.commitDocuments = 1
        #expect(throws: DatabaseError.self) { try Ingestor(store: store, options: options).ingest([inbox.path]) }
        #expect(try store.count("SELECT count(*) FROM document") == 1)
        #expect(try store.count("SELECT count(*) FROM receipt WHERE receipt_id = 'receipt-0'") == 1)
        #expect(try store.count("SELECT count(*) FROM receipt") == 1)

        // In one transaction with the refused batch, the batch before goes back with it; once the
        // store accepts them, the next ingest stores all four.
        let again = try newStore(in: folder.appendingPathComponent("again"))
        try again.pool.write { try $0.execute(sql: refusal) }
        options.commitDocuments = 4
        #expect(throws: DatabaseError.self) { try Ingestor(store: again, options: options).ingest([inbox.path]) }
        #expect(try again.count("SELECT count(*) FROM document") == 0)

        // A transaction open for `commitInterval` is committed whatever it holds.
        options.commitInterval = .zero
        #expect(throws: DatabaseError.self) { try Ingestor(store: again, options: options).ingest([inbox.path]) }
        #expect(try again.count("SELECT count(*) FROM document") == 1)

        try again.pool.write { try $0.execute(sql: "DROP TRIGGER refuse_poison") }
        #expect(try Ingestor(store: again, options: options).ingest([inbox.path]).count(.ingested) == 3)
        #expect(try again.count("SELECT count(*) FROM receipt") == 4)
    }

    /// Batches share a transaction until it holds `commitDocuments`: a reader of the store never sees
    /// a count between two commits, and every document is there at the end.
    @Test func batchesAreCommittedTogetherEveryCommitDocuments() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try newStore(in: folder)
        let inbox = folder.appendingPathComponent("inbox")
        for index in 0..<10 {
            _ = try TestSupport.write(try SampleReceipt.replacing("c110729d258c4ab1b765fe902aae41d6", with: "receipt-\(index)"),
                                      to: inbox, as: "\(index).xml")
        }
        var options = Ingestor.Options()
        options.batchSize = 1
        options.commitDocuments = 3
        options.commitInterval = .seconds(3600)
        var seen: [Int] = []
        let summary = try Ingestor(store: store, options: options).ingest([inbox.path]) { _ in
            // Slower than the writer, so that most batches are written before the next look.
            Thread.sleep(forTimeInterval: 0.02)
            seen.append((try? store.count("SELECT count(*) FROM receipt")) ?? -1)
        }
        #expect(summary.count(.ingested) == 10)
        #expect(try store.count("SELECT count(*) FROM receipt") == 10)
        #expect(seen.allSatisfy { $0 % 3 == 0 }, "counts seen between commits: \(seen)")
        #expect(seen.contains { $0 > 0 }, "no commit before the end: \(seen)")
    }

    @Test func aMissingPathIsAnInputError() throws {
        let folder = try TestSupport.scratchFolder()
        #expect(throws: InputError.self) { try ingest([folder.appendingPathComponent("nope")], into: try newStore(in: folder)) }
    }

    @Test func onlyOneWriterHoldsTheStoreLock() throws {
        let folder = try TestSupport.scratchFolder()
        let path = folder.appendingPathComponent("quadra.sqlite").path
        let held = try StoreLock(databasePath: path)
        #expect(throws: StoreLock.Failure.self) { _ = try StoreLock(databasePath: path) }
        withExtendedLifetime(held) {}
    }

    /// Reading beside a writer needs no lock, but migrating a store does: a reading command of a new
    /// build beside a night of the build before is refused (exit 75), and leaves the store as it was;
    /// a backup copies the store as it is.
    @Test func aStoreIsMigratedUnderItsLock() throws {
        let (path, queue) = try TestSupport.storeFromBefore("v13: the journal holder of each movement")
        try queue.close()
        do {
            let held = try StoreLock(databasePath: path)
            #expect(throws: Store.UpgradeWaits.self) { _ = try Store(path: path, opening: .existing) }
            _ = try Store(path: path, opening: .existing, migrating: false)
            #expect(try TestSupport.migrations(of: path).last == "v13: the journal holder of each movement",
                    "not migrated while the writer runs, nor for a backup")
            withExtendedLifetime(held) {}
        }
        #expect(try Store(path: path, opening: .existing).upgrades == ["v14: key verdicts in arrival order",
                                                                        "v15: what flows, movements and provvisori were before",
                                                                        "v16: documents found by a prefix of their hash",
                                                                        "v17: position verdicts in arrival order",
                                                                        "v18: receipts found by IUV, then creditor"])
        let writer = try StoreLock(databasePath: path)
        #expect(try Store(path: path, opening: .existing).upgrades.isEmpty, "read beside a writer, nothing to upgrade")
        withExtendedLifetime(writer) {}
        let fresh = try TestSupport.scratchFolder().appendingPathComponent("quadra.sqlite").path
        #expect(try Store(path: fresh).upgrades.isEmpty, "a new store is created, not upgraded")
    }

    /// A store from before v16 keeps its ledger, now found through the hashes' first 16 digits: a
    /// document filed there is skipped, and one whose hash only shares those digits with a filed
    /// one is read and stored. The lookup searches that index, not the table, and the hash's 64
    /// digits are no longer indexed.
    @Test func aLedgerFromBeforeFindsDocumentsByTheirHashPrefix() throws {
        let folder = try TestSupport.scratchFolder()
        let filed = try TestSupport.write(try SampleReceipt.text, to: folder, as: "inbox/filed.xml")
        let twin = try TestSupport.write(try SampleReceipt.replacing("<description>test</description>",
                                                                     with: "<description>other</description>")
            .replacingOccurrences(of: "c110729d258c4ab1b765fe902aae41d6", with: "c110729d258c4ab1b765fe902aae41d7"),
                                         to: folder, as: "inbox/twin.xml")
        let hash = { (file: URL) in SHA256.hash(data: try Data(contentsOf: file)).hexString }
        let (filedHash, twinHash) = (try hash(filed), try hash(twin))
        let (path, queue) = try TestSupport.storeFromBefore("v15: what flows, movements and provvisori were before")
        try queue.write { db in
            for (id, sha256) in [(1, filedHash), (2, Store.hashPrefix(twinHash) + String(repeating: "0", count: 64 - Store.hashPrefixLength))] {
                try db.execute(sql: """
                    INSERT INTO document (id, sha256, kind, path, size, ingested_at, outcome) VALUES (?, ?, 'receipt-v2', ?, 1, '2026-11-20T00:00:00Z', 'ingested')
                    """, arguments: [id, sha256, "earlier-\(id).xml"])
            }
        }
        try queue.close()
        let store = try Store(path: path, opening: .existing)
        #expect(store.upgrades.first == "v16: documents found by a prefix of their hash")
        let summary = try ingest([filed, twin], into: store)
        #expect(summary.outcomes.map(\.status) == [.skipped, .ingested], "the twin's hash differs past its prefix")
        #expect(try store.rows("SELECT sha256 FROM document WHERE id = 3") == [twinHash])
        #expect(try ingest([twin], into: store).outcomes.map(\.status) == [.skipped])
        let (indexes, plan) = try store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('document') ORDER BY name"),
             try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id, outcome \(Store.documentByHash)",
                              arguments: [Store.hashPrefix(twinHash), twinHash]).map { $0["detail"] as String })
        }
        #expect(indexes == ["document_sha256_prefix"])
        #expect(plan.contains { $0.contains("USING INDEX document_sha256_prefix") }, "\(plan)")
    }

    /// A store from before v18 finds its receipts by IUV and by creditor and IUV through one index, the
    /// receipts stored before the upgrade as those stored after; the two indexes it replaces are gone.
    @Test func receiptsFromBeforeAreFoundByIUVThenCreditor() throws {
        let folder = try TestSupport.scratchFolder()
        let (path, queue) = try TestSupport.storeFromBefore("v17: position verdicts in arrival order")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO document (id, sha256, kind, path, size, ingested_at, outcome)
                VALUES (1, 'earlier', 'receipt-v2', 'earlier.xml', 1, '2026-11-20T00:00:00Z', 'ingested');
                INSERT INTO receipt (receipt_id, document_id, version, notice_number, fiscal_code, outcome, iuv,
                    payment_amount_cents, psp_id, content_digest)
                VALUES ('earlier-receipt', 1, 'V2', '302000000000000099', '80000000002', 'OK', '02000000000000099', 100, 'PSP', 'x');
                """)
        }
        try queue.close()
        let store = try Store(path: path, opening: .existing)
        #expect(store.upgrades == ["v18: receipts found by IUV, then creditor"])
        let receipt = try TestSupport.write(try SampleReceipt.text, to: folder, as: "inbox/receipt.xml")
        #expect(try ingest([receipt], into: store).outcomes.map(\.status) == [.ingested])
        let byCreditor = "SELECT receipt_id FROM receipt WHERE fiscal_code = ? AND iuv = ?"
        let byIUV = "SELECT receipt_id FROM receipt WHERE iuv = ?"
        let receipts = [("80000000002", "02000000000000099", "earlier-receipt"),
                        ("77777777777", "11111111112222222", "c110729d258c4ab1b765fe902aae41d6")]
        let (indexes, plans, found) = try store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('receipt') WHERE origin = 'c' ORDER BY name"),
             try [(byCreditor, ["80000000002", "02000000000000099"]), (byIUV, ["02000000000000099"])].map { sql, values in
                 try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: StatementArguments(values)).map { $0["detail"] as String }.joined()
             },
             try receipts.map { creditor, iuv, _ in
                 try String.fetchAll(db, sql: byCreditor, arguments: [creditor, iuv]) + String.fetchAll(db, sql: byIUV, arguments: [iuv])
             })
        }
        #expect(indexes == ["receipt_document", "receipt_iuv_creditor"])
        #expect(plans.allSatisfy { $0.contains("USING INDEX receipt_iuv_creditor") }, "\(plans)")
        #expect(found == receipts.map { [$0.2, $0.2] }, "each found by creditor and IUV, and by IUV")
    }

    /// A refused lock closes its descriptor once. Closed twice, the second close can take a descriptor
    /// another thread has just opened with the same number (a test's fixture write once failed with
    /// EBADF): here a second thread keeps opening a file and checks it is still open once it has it.
    @Test func aRefusedLockClosesItsDescriptorOnce() throws {
        let folder = try TestSupport.scratchFolder()
        let path = folder.appendingPathComponent("quadra.sqlite").path
        let other = try TestSupport.write("x", to: folder, as: "other").path
        let held = try StoreLock(databasePath: path)
        let stop = Mutex(false), lost = Mutex(0), stopped = DispatchSemaphore(value: 0)
        let opener = Thread {
            while !stop.withLock({ $0 }) {
                let descriptor = open(other, O_RDONLY | O_CLOEXEC)
                for _ in 0..<50 where fcntl(descriptor, F_GETFD) == -1 { lost.withLock { $0 += 1 } }
                close(descriptor)
            }
            stopped.signal()
        }
        opener.start()
        for _ in 0..<20_000 { _ = try? StoreLock(databasePath: path) }
        stop.withLock { $0 = true }
        stopped.wait()
        withExtendedLifetime(held) {}
        #expect(lost.withLock { $0 } == 0)
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
    }
}

/// A beneficiary whose station is on version 1 gets paSendRT while the primary's gets paSendRTV2 of
/// the same payment: the same receipt, not a conflict, whichever arrives first.
@Suite struct ReceiptVersionCopiesTests {
    static let v1 = SampleDayTests.inbox.appendingPathComponent("receipts/2026-11-17_imu-acc-101-rata1.v1.xml")

    /// The V2 delivery of the sample's V1 receipt: the V2 request, and the transfer's companyName V1 has not.
    static var v2: String {
        get throws {
            try String(contentsOf: v1, encoding: .utf8)
                .replacingOccurrences(of: "paSendRTReq", with: "paSendRTV2Request")
                .replacingOccurrences(of: "<fiscalCodePA>80000000002</fiscalCodePA>",
                                      with: "<fiscalCodePA>80000000002</fiscalCodePA>\n<companyName>Comune di Esempio</companyName>")
        }
    }

    @Test(arguments: [false, true])
    func theSameReceiptAsV1AndV2IsADuplicate(v2First: Bool) throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let copies = [Self.v1.path, try TestSupport.write(try Self.v2, to: folder, as: "v2.xml").path]
        let summary = try Ingestor(store: store).ingest(v2First ? copies.reversed() : copies)
        #expect(summary.outcomes.map(\.status) == [.ingested, .duplicate], "\(summary.outcomes.map(\.reason))")
        #expect(summary.exitCode == .success)
        #expect(try store.count("SELECT count(*) FROM receipt") == 1)
    }

    @Test func aFieldBothVersionsCarryThatDiffersIsAConflictNamingIt() throws {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        let other = try Self.v2.replacingOccurrences(of: "<fee>1.00</fee>", with: "<fee>1.50</fee>")
        let summary = try Ingestor(store: store).ingest([Self.v1.path, try TestSupport.write(other, to: folder, as: "v2.xml").path])
        #expect(summary.outcomes.map(\.status) == [.ingested, .rejected])
        #expect(summary.outcomes[1].reason?.contains("fee_cents '150' here, '100' before") == true, "\(summary.outcomes[1].reason ?? "")")
    }
}
