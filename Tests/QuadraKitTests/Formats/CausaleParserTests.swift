import Testing
@testable import QuadraKit

struct CausaleCase: Sendable, CustomTestStringConvertible {
    let note: String
    let text: String
    let expected: CausaleReference

    var testDescription: String { note }

    static func flow(_ note: String, _ text: String, _ id: String, integration: Bool = false) -> CausaleCase {
        CausaleCase(note: note, text: text, expected: .flow(id: id, integration: integration))
    }

    static func payment(_ note: String, _ text: String, _ iuv: String, _ cents: Int64?) -> CausaleCase {
        CausaleCase(note: note, text: text, expected: .payment(iuv: iuv, amountCents: cents))
    }

    static func unparseable(_ note: String, _ text: String) -> CausaleCase {
        CausaleCase(note: note, text: text, expected: .unparseable)
    }
}

private let poste = "2025-09-23BPPIITRRXXX-000038102790"
private let abi = "2026-11-17ABI03069-000123"

private let flowCases: [CausaleCase] = [
    // Clean AgID forms
    .flow("clean, old rule", "/PUR/LGPE-RIVERSAMENTO/URI/2025-03-1860000000001-S459321233",
          "2025-03-1860000000001-S459321233"),
    .flow("clean, TXT/0", "/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/2024-07-26PPAYITR1XXX-S2024072601",
          "2024-07-26PPAYITR1XXX-S2024072601"),
    .flow("clean, TXT/3 extra transfer", "/PUR/LGPE-RIVERSAMENTO/TXT/3/URI/\(abi)", abi),
    .flow("integration", "/PUR/LGPE-INTEGRAZIONE/URI/\(abi)", abi, integration: true),
    .flow("integration with TXT", "/PUR/LGPE-INTEGRAZIONE/TXT/1/URI/\(abi)", abi, integration: true),
    .flow("exactly 35 characters", "/PUR/LGPE-RIVERSAMENTO/URI/2026-01-15UNCRITMMXXX-0000000000001", "2026-01-15UNCRITMMXXX-0000000000001"),
    .flow("leap day id", "/PUR/LGPE-RIVERSAMENTO/URI/2024-02-29ABI03069-1", "2024-02-29ABI03069-1"),
    .flow("underscores in id", "/PUR/LGPE-RIVERSAMENTO/URI/2026-05-04PSP_TEST-0001_A", "2026-05-04PSP_TEST-0001_A"),
    // Mangled markers
    .flow("LGPE- RIVERSAMENTO", "/PUR/LGPE- RIVERSAMENTO/URI/\(poste)", poste),
    .flow("LGPE - RIVERSAMENTO", "/PUR/LGPE - RIVERSAMENTO/URI/\(poste)", poste),
    .flow("L GPE-RIVERSAMENTO", "/PUR/L GPE-RIVERSAMENTO/URI/\(poste)", poste),
    .flow("LGPE RIVERSAMENTO URI", "LGPE RIVERSAMENTO URI \(poste)", poste),
    .flow("spaces instead of slashes", "PUR LGPE-RIVERSAMENTO URI \(poste)", poste),
    .flow("spaces instead of slashes with TXT", "PUR LGPE-RIVERSAMENTO TXT 2 URI \(abi)", abi),
    .flow("wrapped keyword", "/PUR/LGPE-RIVERSA MENTO/U RI/\(abi)", abi),
    .flow("no separator after LGPE", "/PUR/LGPERIVERSAMENTO/URI/\(abi)", abi),
    .flow("URI missing", "/PUR/LGPE-RIVERSAMENTO/\(abi)", abi),
    .flow("multiple spaces", "/PUR/LGPE-RIVERSAMENTO   /URI/    \(abi)", abi),
    .flow("lower case keeps id case", "/pur/lgpe-riversamento/uri/2026-03-02abi03069-77", "2026-03-02abi03069-77"),
    .flow("mixed case id as printed", "/PUR/LGPE-RIVERSAMENTO/URI/2020-11-21GovPAYPsp-1234567890",
          "2020-11-21GovPAYPsp-1234567890"),
    .flow("non-breaking space", "LGPE\u{00A0}RIVERSAMENTO\u{00A0}URI\u{00A0}\(abi)", abi),
    // Ids split by fixed-width wrapping
    .flow("space inside the id", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI0306 9-000123", abi),
    .flow("space inside the BIC", "/PUR/LGPE-RIVERSAMENTO/URI/2025-09-23BPPIITRR XXX-000038102790", poste),
    .flow("space inside the date", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11- 17ABI03069-000123", abi),
    .flow("two wraps", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17 ABI03069 -000123", abi),
    .flow("newline wrap", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI0306\r\n9-000123", abi),
    .flow("tab wrap", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI0306\t9-000123", abi),
    .flow("p4pa example: alphanumeric fragment", "ACCREDITI VARI LGPE-RIVERSAMENTO/URI/2023-01-01 ABC123",
          "2023-01-01ABC123"),
    // Prefixes and trailers
    .flow("ACCREDITI VARI prefix", "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/\(abi)", abi),
    .flow("bank tag prefix and trailing words",
          "RI1/PUR/LGPE-RIVERSAMENTO/URI/\(poste) ACCREDITO BOLLETTINO P.A.", poste),
    .flow("CBI tags around",
          ":TID:1234567890123456 :ERI:EUR 000000000012345 :RI3:/PUR/LGPE-RIVERSAMENTO/URI/2024-07-26PPAYITR1XXX-S2024072601 :SEC:CASH :OR1:XYZ",
          "2024-07-26PPAYITR1XXX-S2024072601"),
    .flow("GovPay ZZ tags",
          "000000000000000,00/ZZ2SATISPAY EUROPE SA/ZZ3Comune Dimostrativo/PUR/LGPE-RIVERSAMENTO/URI/2020-11-21GovPAYPsp-1234567890/ZZ4/4184/ZZ4/ID1357a8",
          "2020-11-21GovPAYPsp-1234567890"),
    .flow("slash TXT trailer", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi)/TXT/RIVERSAMENTO PAGOPA", abi),
    .flow("spaced TXT trailer", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi) /TXT/ACCREDITO", abi),
    .flow("bare TXT word trailer", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi) TXT 1", abi),
    .flow("words after a short id", "BONIFICO SEPA /PUR/LGPE-RIVERSAMENTO/URI/2026-02-27ABI03069-1 COMUNE DI ROMA",
          "2026-02-27ABI03069-1"),
    .flow("numeric trailer would exceed 35", "/PUR/LGPE-RIVERSAMENTO/URI/\(poste) 12345", poste),
    .flow("full stop after id", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi).", abi),
    .flow("emoji before marker", "🙂 Pagamento /PUR/LGPE-RIVERSAMENTO/URI/\(abi)", abi),
    .flow("combining accent ends the id", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi)\u{301}", abi),
    .flow("second marker rescues the first", "LGPE-RIVERSAMENTO /PUR/LGPE-RIVERSAMENTO/URI/\(abi)", abi),
    .flow("truncated after the date: kept as printed", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-17ABI03", "2026-11-17ABI03"),
    .flow("flow wins over RFB", "/PUR/LGPE-RIVERSAMENTO/URI/\(abi) /RFB/01234567890123456/10.00", abi),
    // Marker present, no valid id
    .unparseable("invalid day", "/PUR/LGPE-RIVERSAMENTO/URI/2026-02-30ABI03069-000123"),
    .unparseable("29 Feb of a common year", "/PUR/LGPE-RIVERSAMENTO/URI/2025-02-29ABI03069-000123"),
    .unparseable("month 13", "/PUR/LGPE-RIVERSAMENTO/URI/2026-13-01ABI03069-000123"),
    .unparseable("year 0000", "/PUR/LGPE-RIVERSAMENTO/URI/0000-01-01ABI03069-000123"),
    .unparseable("id not starting with a date", "/PUR/LGPE-RIVERSAMENTO/URI/ABI03069-2026-11-17"),
    .unparseable("truncated inside the date", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-1"),
    .unparseable("truncated keyword", "/PUR/LGPE-RIVERSAMENTO/UR"),
    .unparseable("truncated after the marker", "ACCREDITI VARI LGPE-RIVERS"),
    .unparseable("empty id", "/PUR/LGPE-RIVERSAMENTO/URI/"),
    .unparseable("id longer than 35", "/PUR/LGPE-RIVERSAMENTO/URI/2026-01-15UNCRITMMXXX-00000000000012"),
    .unparseable("two-digit TXT", "/PUR/LGPE-RIVERSAMENTO/TXT/12/URI/\(abi)"),
    .unparseable("LGPE marker hides an RFB", "/PUR/LGPE-RIVERSAMENTO/URI/XYZ /RFB/01234567890123456/10.00"),
    .unparseable("unknown LGPE kind", "/PUR/LGPE-STORNO/URI/\(abi)"),
    .unparseable("URI without LGPE", "/URI/\(abi)"),
]

private let paymentCases: [CausaleCase] = [
    .payment("RFS, dot decimals", "/RFS/000000000012345/150.00", "000000000012345", 15_000),
    .payment("RFS, comma decimals", "/RFS/000000000012345/150,00", "000000000012345", 15_000),
    .payment("RFS, integer euros", "/RFS/000000000012345/150", "000000000012345", 15_000),
    .payment("RFS, one decimal", "/RFS/000000000012345/150,5", "000000000012345", 15_050),
    .payment("RFS, one cent", "/RFS/01234567890123456/0.01", "01234567890123456", 1),
    .payment("RFS, leading zeros", "/RFS/01234567890123456/000150.00", "01234567890123456", 15_000),
    .payment("RFS, three decimals", "/RFS/000000000012345/150.123", "000000000012345", nil),
    .payment("RFS, thousands separator", "/RFB/01234567890123456/1.234,56", "01234567890123456", nil),
    .payment("RFS, 10-digit euros", "/RFS/01234567890123456/1000000000.00", "01234567890123456", nil),
    .payment("RFS, pagoPA maximum", "/RFS/01234567890123456/999999999.99", "01234567890123456", 99_999_999_999),
    .payment("RFS, zero-padded amount", "/RFS/01234567890123456/0000000000000150,00", "01234567890123456", 15_000),
    .payment("RFS, overflow-sized amount", "/RFS/01234567890123456/99999999999999999999999", "01234567890123456", nil),
    .payment("RFS, trailing full stop", "/RFS/01234567890123456/150.00.", "01234567890123456", nil),
    .payment("RFS, amount missing", "/RFS/01234567890123456", "01234567890123456", nil),
    .payment("RFB, no amount", "/RFB/01234567890123456", "01234567890123456", nil),
    .payment("RFB, amount", "/RFB/01234567890123456/99.90", "01234567890123456", 9_990),
    .payment("RFB, amount and TXT", "/RFB/01234567890123456/99.90/TXT/TARI 2026 RATA 1", "01234567890123456", 9_990),
    .payment("RFB, TXT without amount", "/RFB/01234567890123456/TXT/TARI 2026", "01234567890123456", nil),
    .payment("RFB, lower case with spaces", "rfb 01234567890123456 12,34", "01234567890123456", 1_234),
    .payment("RFB, creditor reference IUV", "ACCREDITO /RFB/RF38000000000123456/1.00", "RF38000000000123456", 100),
    .payment("RFS, prefix and suffix", "PAGAMENTO /RFS/000000000012345/25.00 TARI", "000000000012345", 2_500),
    .payment("RFB, case of IUV kept", "/RFB/abc123/5", "abc123", 500),
    .payment("first plausible reference wins", "XRFB/1 /RFB/TXT /RFB/01234567890123456/3", "01234567890123456", 300),
    .unparseable("IUV longer than 35", "/RFB/0123456789012345678901234567890123456/10.00"),
    .unparseable("no IUV", "/RFB//TXT/QUOTA ASSOCIATIVA"),
    .unparseable("IUV with a hyphen", "/RFB/ABC-123/10.00"),
    .unparseable("RFB glued to a word", "XRFB/01234567890123456/10.00"),
    .unparseable("RFB at end of text", "PAGAMENTO RFB"),
]

private let garbageCases: [CausaleCase] = [
    .unparseable("person transfer", "BONIFICO DA MARIO ROSSI"),
    .unparseable("giroconto", "GIROCONTO"),
    .unparseable("empty", ""),
    .unparseable("blank", "   \n\t "),
    .unparseable("OPI loan", "CIG85516235D7 MUTUO IST. PER IL CREDITO SPORTIVO ID 106 SPORT MISSIONE COMUNE 2017"),
    .unparseable("OPI with TRXID", "MUTUO 620184257 CUP H94G19030460029 TRXID: 0122492727202545 VIA MILANO 4"),
    .unparseable("unicode only", "Pagamento ✓ €150,00 — grazie 🙂"),
    .unparseable("slashes only", "////////"),
    .unparseable("date alone", abi),
]

@Suite struct CausaleParserTests {
    @Test(arguments: flowCases)
    func flowCausali(_ testCase: CausaleCase) {
        #expect(CausaleParser.parse(testCase.text) == testCase.expected)
    }

    @Test(arguments: paymentCases)
    func paymentCausali(_ testCase: CausaleCase) {
        #expect(CausaleParser.parse(testCase.text) == testCase.expected)
    }

    @Test(arguments: garbageCases)
    func garbageCausali(_ testCase: CausaleCase) {
        #expect(CausaleParser.parse(testCase.text) == testCase.expected)
    }

    /// A wrap can fall after any character of a real-shaped id and must always be undone.
    @Test(arguments: [abi, poste, "2024-07-26PPAYITR1XXX-S2024072601", "2025-03-1860000000001-S459321233"])
    func wrapAtEveryPositionIsUndone(_ id: String) {
        let characters = Array(id)
        for cut in 1..<characters.count {
            let wrapped = String(characters[..<cut]) + " " + String(characters[cut...])
            let parsed = CausaleParser.parse("ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/\(wrapped) ACCREDITO")
            #expect(parsed == .flow(id: id, integration: false), "cut at \(cut)")
        }
    }

    /// Random strings built from grammar fragments and odd characters never crash, and whatever
    /// comes out respects the documented invariants.
    @Test func randomInputsKeepInvariants() {
        let fragments = ["/", " ", "-", ".", ",", ":", "PUR", "LGPE", "L GPE", "RIVERSAMENTO", "INTEGRAZIONE",
                         "URI", "TXT", "RFS", "RFB", "rfb", "0", "7", "12", "2026-02-28", "2026-02-30",
                         "ABI03069", "A", "_", "€", "🙂", "\u{301}", "\n", "\u{00A0}", "999999999999999999"]
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let text = (0..<count).map { _ in fragments.randomElement(using: &generator) ?? "" }.joined()
            expectInvariants(text)
        }
    }

    /// Any Unicode text, and any such text with a real flow reference behind it, keeps the invariants;
    /// noise that ends in a separator never hides the reference that follows it.
    @Test func randomScalarsKeepInvariants() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<1_000 {
            let count = Int.random(in: 0...64, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<count {
                let value = UInt32.random(in: 0...0x1F_FFF, using: &generator)
                scalars.append(Unicode.Scalar(value) ?? "?")
            }
            let noise = String(scalars)
            expectInvariants(noise)
            expectInvariants(noise + "/PUR/LGPE-RIVERSAMENTO/URI/\(abi)")
            #expect(CausaleParser.parse(noise + " /PUR/LGPE-RIVERSAMENTO/URI/\(abi)") == .flow(id: abi, integration: false), "\(noise.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// What the parser promises of any result: ids of 1 to 35 id characters (a flow id opening with its
    /// date), amounts never negative.
    private func expectInvariants(_ text: String) {
        switch CausaleParser.parse(text) {
        case let .flow(id, _):
            #expect((1...35).contains(id.utf8.count), "\(text)")
            #expect(id.utf8.allSatisfy { isIdByte($0) }, "\(text)")
            #expect(CivilDate(iso: String(id.prefix(10))) != nil, "\(text)")
        case let .payment(iuv, cents):
            #expect((1...35).contains(iuv.utf8.count), "\(text)")
            #expect(iuv.utf8.allSatisfy { isIdByte($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") })
            #expect((cents ?? 0) >= 0, "\(text)")
        case .unparseable:
            break
        }
    }

    @Test func veryLongInputsAreHandled() {
        let noise = String(repeating: "LGPE RFB / 2026-01-01 L ", count: 20_000)
        #expect(CausaleParser.parse(noise) == .unparseable)
        let longId = String(repeating: "9", count: 100_000)
        #expect(CausaleParser.parse("/PUR/LGPE-RIVERSAMENTO/URI/2026-01-01" + longId) == .unparseable)
        #expect(CausaleParser.parse("/RFB/" + longId) == .unparseable)
        #expect(CausaleParser.parse(noise + "/PUR/LGPE-RIVERSAMENTO/URI/\(abi)") == .flow(id: abi, integration: false))
    }
}

private func isIdByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
}
