import Foundation
import Testing
@testable import QuadraKit

/// `quadra receipt`: the attestation of the sample day's TARI payment (two transfers, two creditors,
/// both cashed), read back from the PDF with poppler's `pdftotext`.
@Suite struct PaymentAttestationTests {
    static let pdftotext = URL(fileURLWithPath: "/usr/bin/pdftotext")
    static let tari = "01261010000041774"

    private func sampleStore() throws -> (Store, URL) {
        let folder = try TestSupport.scratchFolder()
        let store = try Store(path: folder.appendingPathComponent("quadra.sqlite").path)
        _ = try NightlyRun(store: store, configuration: try TreasurySamples.configuration, asOf: CivilDate(iso: "2026-11-20")!)
            .run(inbox: SampleDayTests.inbox.path, out: folder.appendingPathComponent("out").path)
        return (store, folder)
    }

    /// Every field of the attestation, as `pdftotext` prints it (one line per text run).
    static let fields = [
        "Attestazione di pagamento pagoPA", "Comune di Esempio", "80000000002", "301261010000041774", tari,
        "TARI 2026 - rata unica - utenza domestica 004417", "214,20 €", "16/11/2026 10:14:33", "Banca Esempio S.p.A. — ESMPITMM",
        "a2ac77fd36c68c2af238f89b35daa570", "204,00 € a Comune di Esempio (80000000002)", "10,20 € a Provincia di Esempio (80000000010)",
        "IBAN IT60X0542811101000000123456; tassonomia 0101101IM: ANNO IN CORSO", "- Tasse sui rifiuti (TARI, TIA, TARSU, TARES, ecc.)",
        "Causale: TARI 2026 quota comunale - utenza 004417",
        "Causale: TEFA 2026 tributo provinciale ambientale - utenza 004417", "incassato: rendicontato nel flusso 2026-11-17ESMPITMM-S0001726",
        "flusso 226,21 €, rif. 0064501, 0064511)", "flusso 10,20 €, rif. 261117000381)", "dall'ente; non è una quietanza di tesoreria.",
    ]

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: pdftotext.path), "pdftotext (poppler-utils) is not installed"))
    func pdftotextReadsEveryFieldBackAndTheDebtorIsMaskedUnlessAsked() throws {
        let (store, folder) = try sampleStore()
        let attestation = try #require(try store.attestations(Self.tari).first)
        for unmask in [false, true] {
            let pdf = folder.appendingPathComponent("attestation-\(unmask).pdf")
            try Data(attestation.pdf(unmask: unmask)).write(to: pdf)
            let text = try ReportFiles.execute(Self.pdftotext, ["-enc", "UTF-8", pdf.path, "-"])
            #expect(text.status == 0, "\(text.stderr)")
            let lines = Set(text.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for field in Self.fields { #expect(lines.contains(field), "\(field)") }
            #expect(lines.contains(unmask ? "Lucia Esempini — SMPLCU79C52H501U" : "L**** E******* — SMPLCU**********"))
            #expect(text.stdout.contains("Esempini") == unmask && text.stdout.contains("79C52H501U") == unmask)
            let info = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [pdf.path])
            #expect(info.stdout.contains("Pages:           1") && info.stdout.contains("A4") && info.stderr.isEmpty, "\(info.stderr)")
        }
    }

    /// The desk's words for each transfer: the traffic fine, credited alone (`/RFB/`), was never in a
    /// flow; the CDU's digital stamp is a stamp, not another creditor's payment.
    @Test func eachTransferSaysWhatHappenedToIt() throws {
        let (store, _) = try sampleStore()
        let fine = try #require(try store.attestations("01261060000077770").first).html(unmask: false)
        #expect(fine.contains(Markup.escape("incassato: accreditato in tesoreria (accredito 59,60 €, rif. 0064503)")))
        #expect(!fine.contains("rendicontato"))
        let cdu = try #require(try store.attestations("301261030000005853").first).html(unmask: false)
        #expect(cdu.contains("marca da bollo digitale pagata") && !cdu.contains("altro ente"))
    }

    /// Five transfers with texts of GPD's full length (140 characters) still fit the one page, to the
    /// footer: the page is drawn smaller rather than cut.
    @Test func fiveLongTransfersFitThePage() throws {
        let text = String(repeating: "Causale lunga del trasferimento per la prova di impaginazione ", count: 3).prefix(140)
        let transfers = (1...5).map { index in
            PaymentAttestation.Transfer(index: index, beneficiaryName: String(text), beneficiaryFiscalCode: "8000000000\(index)",
                                        iban: "IT60X0542811101000000123456", isStamp: false, amountCents: 1000, remittance: String(text),
                                        taxonomyCode: "0101101IM", taxonomyDescription: String(text), state: "CASHED",
                                        flowId: "2026-11-17ESMPITMM-S0001726", settlementDate: "2026-11-17", creditedCents: 22621,
                                        creditReferences: "0064501|0064511")
        }
        let attestation = PaymentAttestation(receiptId: "aaaabbbbccccddddeeeeffff00001111", creditorName: String(text), creditorFiscalCode: "80000000001",
                                             noticeNumber: "301261010000041774", iuv: "01261010000041774", description: String(text),
                                             debtorId: "RSSMRA80A01H501U", debtorName: String(text), amountCents: 5000,
                                             paymentDateTime: "2026-11-16T10:14:33", pspId: "ESMPITMM", pspName: String(text), transfers: transfers)
        let pdf = String(decoding: attestation.pdf(unmask: true), as: UTF8.self)
        #expect(pdf.contains("(Trasferimento 5)") && pdf.contains("tesoreria.)"), "every transfer and the footer")
    }

    @Test func thePDFIsDeterministicWithExactCrossReferences() throws {
        let (store, _) = try sampleStore()
        let attestation = try #require(try store.attestations("a2ac77fd36c68c2af238f89b35daa570").first)
        let bytes = attestation.pdf(unmask: false)
        #expect(bytes == attestation.pdf(unmask: false))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4\n") && text.hasSuffix("%%EOF\n") && !text.contains("CreationDate"))
        #expect(text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"))
        #expect(text.contains("(dall'ente; non \\350 una quietanza di tesoreria.)"), "è as WinAnsi byte 0xE8")
        let start = try #require(Int(text.components(separatedBy: "startxref\n")[1].prefix { $0.isNumber }))
        #expect(Array(bytes[start..<start + 4]) == Array("xref".utf8))
        let entries = String(decoding: bytes[start...], as: UTF8.self).split(separator: "\n").dropFirst(3).prefix(7)
        for (index, entry) in entries.enumerated() {
            let offset = try #require(Int(entry.prefix(10)))
            #expect(bytes[offset...].starts(with: Array("\(index + 1) 0 obj\n".utf8)), "object \(index + 1) at \(offset)")
        }
        let html = attestation.html(unmask: false)
        for field in Self.fields.filter({ !$0.hasPrefix("flusso ") && !$0.hasPrefix("dall'ente") && !$0.hasPrefix("incassato") }) {
            #expect(html.contains(Markup.escape(field)), "\(field)")
        }
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("Esempini"))
        #expect(OnePagePDF.literal("(€ à\\)") == "\\(\\200 \\340\\\\\\)" && OnePagePDF.literal("\u{1F600}") == "?")
        #expect(try store.attestations(Self.tari, creditor: "80000000010").isEmpty, "the receipt is 80000000002's")
    }
}

/// `quadra receipt` as a desk clerk runs it: the built binary, files and exit codes.
extension CommandLineReportTests {
    @Test func receiptWritesThePDFAndPageOwnerOnlyAndExitsLikeTheOtherCommands() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let pdf = folder.appendingPathComponent("a.pdf").path, html = folder.appendingPathComponent("a.html").path
        #expect(try quadra(["receipt", "--db", db, PaymentAttestationTests.tari, "--pdf", pdf]).status == 74)
        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        #expect(try quadra(["run", "--inbox", SampleDayTests.inbox.path, "--config", config, "--db", db, "--settle", "0",
                            "--out", folder.appendingPathComponent("out").path, "--as-of", "2026-11-20"]).status == 0)
        #expect(try quadra(["receipt", "--db", db, "99999999999999999", "--pdf", pdf]).status == 65)
        #expect(try quadra(["receipt", "--db", db, PaymentAttestationTests.tari]).status == 64, "--pdf is required")
        let written = try quadra(["receipt", "--db", db, "301261010000041774", "--pdf", pdf, "--html", html, "--unmask"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try ReportFiles.mode(URL(fileURLWithPath: pdf)) == 0o600 && ReportFiles.mode(URL(fileURLWithPath: html)) == 0o600)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Lucia Esempini — SMPLCU79C52H501U"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)).starts(with: Array("%PDF-1.4".utf8)))
    }
}
