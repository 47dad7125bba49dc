import Testing
@testable import QuadraKit

@Suite struct FiscalCodeTests {
    @Test(arguments: [
        ("80000000002", true), ("80000000010", true), ("12345678903", true),
        ("06363391001", true),  // Agenzia delle Entrate
        ("80078750587", true),  // INPS
        ("01199250158", true),  // Comune di Milano
        ("02438750586", true),  // Roma Capitale
        ("00000000000", true),  // passes the arithmetic; rejecting it is a policy decision, not a checksum one
        ("80000000001", false), ("12345678901", false), ("06363391002", false), ("80078750578", false),
        ("8000000000", false), ("800000000020", false), ("8000000000A", false), (" 80000000002", false),
        ("80000000002 ", false), ("", false), ("８0000000002", false), ("RSSMRA85T10A562S", false),
        ("8000-000002", false),
    ])
    func organizationCodes(code: String, valid: Bool) {
        #expect(FiscalCode.isValidOrganization(code) == valid)
    }

    /// The check digit catches every single-digit substitution.
    @Test(arguments: ["06363391001", "80078750587", "01199250158"])
    func everySingleDigitChangeIsDetected(code: String) {
        let digits = Array(code)
        for position in digits.indices {
            for replacement in "0123456789" where replacement != digits[position] {
                var mutated = digits
                mutated[position] = replacement
                #expect(!FiscalCode.isValidOrganization(String(mutated)), "\(String(mutated))")
            }
        }
    }
}

@Suite struct IBANTests {
    private static let sampleIBANs = [
        "IT60X0542811101000000123456", "SM86U0322509800000000270100", "DE89370400440532013000",
        "FR1420041010050500013M02606", "ES9121000418450200051332", "CH9300762011623852957",
        "AT611904300234573201", "GB29NWBK60161331926819", "NL91ABNA0417164300", "BE68539007547034",
        "LU280019400644750000",
    ]

    @Test(arguments: sampleIBANs)
    func validIBANs(iban: String) {
        #expect(IBAN.isValid(iban))
    }

    @Test(arguments: [
        ("IT60 X054 2811 1010 0000 0123 456", true), ("it60x0542811101000000123456", true),
        ("  IT60X0542811101000000123456\n", true), ("IT60\u{00A0}X054\u{00A0}2811101000000123456", true),
        ("IT61X0542811101000000123456", false),  // wrong check digits
        ("IT60X0542811101000000123457", false),  // wrong account digit
        ("IT60X054281110100000012345", false),  // 26 characters
        ("IT60X05428111010000001234567", false),  // 28 characters
        ("DE8937040044053201300", false),  // German IBAN one short
        ("XX60X0542811101000000123456", false),  // unknown country
        ("US64SVBKUS6S3300958879", false),  // country without IBAN
        ("ITX0X0542811101000000123456", false),  // letter in the check digits
        ("IT60-X054-2811-1010-0000-0123-456", false),  // hyphens are not stripped
        ("IT60X05428111010000001234é6", false), ("1T60X0542811101000000123456", false),
        ("", false), ("IT", false), ("IT60", false), ("IT00X0542811101000000123456", false),
    ])
    func ibanValidity(iban: String, valid: Bool) {
        #expect(IBAN.isValid(iban) == valid)
    }

    @Test(arguments: [
        ("IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456"),
        (" it60x0542811101000000123456\t", "IT60X0542811101000000123456"),
        ("de89\u{00A0}3704 0044\n0532 0130 00", "DE89370400440532013000"),
        ("", ""),
        ("IT60-X054", "IT60-X054"),
    ])
    func normalization(raw: String, normalized: String) {
        #expect(IBAN.normalized(raw) == normalized)
    }

    /// ISO 7064 mod 97-10 detects every single-character substitution.
    @Test(arguments: sampleIBANs)
    func everySingleCharacterChangeIsDetected(iban: String) {
        let characters = Array(iban)
        for position in characters.indices.dropFirst(2) {
            let alphabet = characters[position].isNumber ? "0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            for replacement in alphabet where replacement != characters[position] {
                var mutated = characters
                mutated[position] = replacement
                #expect(!IBAN.isValid(String(mutated)), "\(String(mutated))")
            }
        }
    }
}

@Suite struct NoticeNumberTests {
    @Test(arguments: [
        ("001123456789012313", "123456789012313"),  // aux 0: drop aux + application code
        ("061000000001234591", "000000001234591"),
        ("100000000000012345", "00000000000012345"),  // aux 1: drop aux only
        ("212345678901234544", "12345678901234544"),  // aux 2
        ("347164993070184562", "47164993070184562"),  // aux 3: segregation code stays in the IUV
        ("302123456789012356", "02123456789012356"),
    ])
    func iuvFromNAV(nav: String, iuv: String) {
        #expect(NoticeNumber.iuv(fromNAV: nav) == iuv)
    }

    @Test(arguments: [
        "", "34716499307018456", "3471649930701845620", "447164993070184562", "947164993070184562",
        "34716499307018456A", " 47164993070184562", "347164993070184562 ", "３47164993070184562",
        "3471-6499-3070-1845",
    ])
    func iuvRejectsMalformedNAVs(nav: String) {
        #expect(NoticeNumber.iuv(fromNAV: nav) == nil)
    }

    @Test(arguments: [
        ("347164993070184562", true), ("348173447377455101", true),  // realistic NAVs from pagoPA code
        ("001123456789012313", true), ("061000000001234591", true), ("212345678901234544", true),
        ("302123456789012356", true), ("200000000000000002", true),
        ("347164993070184563", false), ("348173447377455110", false), ("001123456789012331", false),
        ("212345678901234545", false), ("302123456789012355", false),
        ("100000000000000000", false),  // aux 1 has no check digit
        ("447164993070184562", false), ("34716499307018456", false), ("3471649930701845620", false),
        ("34716499307018456X", false), ("", false),
    ])
    func checkDigit(nav: String, valid: Bool) {
        #expect(NoticeNumber.hasValidCheckDigit(nav) == valid)
    }
}
