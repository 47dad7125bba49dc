/// How the plan's numbers become pagoPA identifiers: notice numbers with a valid check digit,
/// 32-hex receipt ids, flow ids after the AgID rule, and the people who pay.
struct DatasetIdentity {
    let seed: UInt64

    /// The notice's IUV: segregation code 01, 13 digits (slot and serial), 2 check digits (aux digit 3).
    func iuv(notice: Int, slot: Int) -> String {
        String(nav(notice: notice, slot: slot).dropFirst())
    }

    /// NAV = aux digit 3 + IUV; the check digits are the first 16 digits modulo 93.
    func nav(notice: Int, slot: Int) -> String {
        let body = "301" + String(slot * 100_000_000_000 + notice).leftPadded(to: 13, with: "0")
        let check = Int64(body)! % 93
        return body + String(check).leftPadded(to: 2, with: "0")
    }

    /// The receipt id (IUR) of a payment: 32 hex digits drawn from the seed and the serial.
    func receiptId(_ serial: Int) -> String {
        var random = SplitMix64(seed: seed ^ (UInt64(serial) &* 0xD1B5_4A32_D192_ED03))
        return Self.hex(random.next()) + Self.hex(random.next())
    }

    func flowId(day: CivilDate, psp: DatasetWorld.PSP, ordinal: Int) -> String {
        "\(day)\(psp.id)-S\(String(ordinal).leftPadded(to: 9, with: "0"))"
    }

    func iupd(creditor: DatasetWorld.Creditor, notice: Int) -> String {
        "\(creditor.fiscalCode)-\(String(notice).leftPadded(to: 10, with: "0"))"
    }

    struct Person {
        var fiscalCode: String
        var fullName: String
        var street: String
        var city: String
    }

    /// A debtor with a well-formed personal fiscal code (not a real person's: the letters are drawn).
    func person(_ number: Int) -> Person {
        var random = SplitMix64(seed: seed &+ UInt64(number) &* 0x9E37_79B9)
        let first = Self.firstNames[random.below(Self.firstNames.count)]
        let last = Self.lastNames[random.below(Self.lastNames.count)]
        let letters = Array("ABCDEFGHLMNPRSTVZ")
        var code = ""
        for _ in 0..<6 { code.append(letters[random.below(letters.count)]) }
        code += String(40 + random.below(60)) + String(Array("ABCDEHLMPRST")[random.below(12)])
        code += String(1 + random.below(28)).leftPadded(to: 2, with: "0")
        code += String(Array("ABCDEFGHLM")[random.below(10)]) + String(100 + random.below(900))
        code.append(letters[random.below(letters.count)])
        return Person(fiscalCode: code, fullName: "\(first) \(last)", street: "Via \(Self.streets[random.below(Self.streets.count)]) \(1 + random.below(120))",
                      city: Self.cities[random.below(Self.cities.count)])
    }

    private static func hex(_ value: UInt64) -> String {
        String(value, radix: 16).leftPadded(to: 16, with: "0")
    }

    private static let firstNames = ["Giorgio", "Maria", "Marco", "Giulia", "Luca", "Francesca", "Andrea", "Chiara", "Paolo", "Sara",
                                     "Matteo", "Elena", "Davide", "Anna", "Stefano", "Laura", "Roberto", "Silvia", "Alessio", "Marta"]
    private static let lastNames = ["Campionelli", "Provetti", "Verifichi", "Esempini", "Collaudi", "Riscontri", "Quadrini", "Saldini",
                                    "Bilancioni", "Contabili", "Ricevuti", "Avvisati", "Tributi", "Canonici", "Rateali", "Bollini"]
    private static let streets = ["del Collaudo", "delle Prove", "Roma", "Garibaldi", "dei Tributi", "Verdi", "Mazzini", "del Bilancio"]
    private static let cities = ["Esempio", "Collaudo", "Provaglio", "Verificano", "Campionara", "Riscontro"]
}
