/// The cast of a generated dataset: the creditors an intermediary serves, the PSPs that collect for
/// them, and the taxonomy their notices use. Everything is drawn from the seed, so the same seed
/// gives the same bodies, accounts and codes.
struct DatasetWorld {
    struct Creditor {
        var fiscalCode: String
        var name: String
        var iban: String
        /// An account the creditor closed: positions loaded long ago may still name it.
        var oldIBAN: String
        /// OPI giornale di cassa from a treasurer (with this conto evidenza), else camt.053 from a bank.
        var opiAccount: String?
        var expectsPositions: Bool
        var treasuryABI: String
    }

    struct PSP {
        var id: String
        var name: String
        var fiscalCode: String
        var bic: String
        /// The account the PSP credits from.
        var iban: String
        /// Sends FdR-3 JSON (the new channel) rather than FdR XML.
        var sendsFdR3: Bool
    }

    struct TaxonomyCode {
        var code: String
        var creditorType: String
        var creditorTypeName: String
        var area: String
        var areaName: String
        var serviceCode: String
        var service: String
        var reason: String
        var validFrom: CivilDate
        var validTo: CivilDate
    }

    var creditors: [Creditor]
    var creditorWeights: [Int]
    var psps: [PSP]
    var pspWeights: [Int]
    var taxonomy: [TaxonomyCode]
    /// Codes a municipality's own transfers use (indexes into `taxonomy`, valid on every payment day).
    var municipalCodes: [Int]
    /// A code that is in the table but expired before the payments.
    var expiredCode: Int
    /// The digital revenue stamp's code (Agenzia delle Entrate, `@e.bollo`).
    var stampCode: Int
    var tariCode: Int
    /// The Provincia's environmental levy collected with TARI: paid to a body the intermediary does not serve.
    var tefaCode: Int
    let provincia = (fiscalCode: "80000000010", name: "Provincia di Esempio", iban: "IT78K0306911884100000046001")

    init(creditors count: Int, random: inout SplitMix64) {
        creditors = (0..<count).map { index in
            let fiscalCode = Self.organizationFiscalCode(8_000_000_000 + Int64(index) * 37 + 11)
            let place = Self.places[index % Self.places.count] + (index < Self.places.count ? "" : " \(index / Self.places.count + 1)")
            let abi = ["05428", "03069", "02008", "05034", "01030"][index % 5]
            let usesOPI = random.chance(perMillion: 600_000)
            return Creditor(fiscalCode: fiscalCode, name: "Comune di \(place)",
                            iban: Self.italianIBAN(abi: abi, cab: "11101", account: 1_000_000 + Int64(index)),
                            oldIBAN: Self.italianIBAN(abi: "07601", cab: "03200", account: 9_000_000 + Int64(index)),
                            opiAccount: usesOPI ? "0000001" : nil,
                            expectsPositions: random.chance(perMillion: 500_000), treasuryABI: abi)
        }
        // A few large bodies and a long tail of small ones: weight ~ 1 / rank.
        creditorWeights = Self.cumulative((0..<count).map { 1_000_000 / ($0 + 1) })
        psps = Self.pspCatalogue.enumerated().map { index, entry in
            PSP(id: entry.id, name: entry.name, fiscalCode: Self.organizationFiscalCode(1_500_000_000 + Int64(index) * 101),
                bic: entry.bic, iban: Self.italianIBAN(abi: entry.abi, cab: "01600", account: 777_000 + Int64(index)),
                sendsFdR3: index % 3 == 1)
        }
        pspWeights = Self.cumulative((0..<psps.count).map { 1_000_000 / ($0 + 1) })
        let taxonomy = Self.taxonomyCatalogue
        self.taxonomy = taxonomy
        municipalCodes = taxonomy.indices.filter { taxonomy[$0].creditorType == "1" && taxonomy[$0].validTo.year > 2070 }
        expiredCode = taxonomy.firstIndex { $0.validTo.year < 2026 }!
        stampCode = taxonomy.firstIndex { $0.creditorType == "12" }!
        tariCode = taxonomy.firstIndex { $0.code == "9/0101101IM/" }!
        tefaCode = taxonomy.firstIndex { $0.code == "9/0201102IM/" }!
    }

    /// 10 digits and the check digit of `FiscalCode.isValidOrganization`.
    static func organizationFiscalCode(_ body: Int64) -> String {
        let digits = Array(String(body % 10_000_000_000).leftPadded(to: 10, with: "0").utf8).map { Int($0 - 48) }
        var sum = 0
        for (index, digit) in digits.enumerated() {
            if index % 2 == 0 { sum += digit } else { sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2 }
        }
        return digits.map(String.init).joined() + String((10 - sum % 10) % 10)
    }

    /// An Italian IBAN with correct ISO 7064 check digits (the CIN letter is not checked by anyone here).
    static func italianIBAN(abi: String, cab: String, account: Int64) -> String {
        let bban = "X" + abi + cab + String(account).leftPadded(to: 12, with: "0")
        var remainder = 0
        for byte in (bban + "IT00").utf8 {
            if byte >= 65 { remainder = (remainder * 100 + Int(byte) - 55) % 97 } else { remainder = (remainder * 10 + Int(byte) - 48) % 97 }
        }
        return "IT" + String(98 - remainder).leftPadded(to: 2, with: "0") + bban
    }

    static func cumulative(_ weights: [Int]) -> [Int] {
        var total = 0
        return weights.map { total += $0; return total }
    }

    private static let places = [
        "Esempio", "Collaudo", "Provaglio", "Verificano", "Campionara", "Riscontro", "Quadrella", "Bilancino",
        "Tesoriera", "Sant'Incasso", "Castel Ricevuta", "Borgo Flusso", "Valle Avviso", "Monte Tributo",
        "Rocca Canone", "Pian del Bollo", "Poggio Rata", "San Riversamento", "Torre Contabile", "Villa Saldo",
    ]

    private static let pspCatalogue: [(id: String, name: String, bic: String, abi: String)] = [
        ("ESMPITMM", "Banca Esempio S.p.A.", "ESMPITMMXXX", "03999"),
        ("ABI08999", "Banca di Credito Cooperativo di Esempio", "BCESITM1XXX", "08999"),
        ("15000000008", "PagaFacile Istituto di Pagamento S.p.A.", "PGFCITM1XXX", "36000"),
        ("PSTEITRRXXX", "Poste di Prova S.p.A. - Patrimonio BancoPosta", "PSTEITRRXXX", "07601"),
        ("CRTPITMM", "Carta Prova Pagamenti S.p.A.", "CRTPITMMXXX", "03111"),
        ("ABI03222", "Banca Popolare di Collaudo", "BPCLITM1XXX", "03222"),
        ("SELPITMM", "Selezione Pagamenti S.p.A.", "SELPITMMXXX", "03333"),
        ("ABI05555", "Cassa di Risparmio di Verifica", "CRVFITM1XXX", "05555"),
        ("UNPRITMM", "Unione Prova Banca S.p.A.", "UNPRITMMXXX", "02222"),
        ("ABI06666", "Banca del Riscontro", "BDRSITM1XXX", "06666"),
        ("NXPYITM1", "NexPay Prova S.p.A.", "NXPYITM1XXX", "36111"),
        ("ABI07777", "Credito Valligiano di Prova", "CVDPITM1XXX", "07777"),
        ("SATPITM1", "Satispago Prova S.r.l.", "SATPITM1XXX", "36222"),
        ("ABI08111", "BCC della Quadratura", "BCCQITM1XXX", "08111"),
        ("ABI08222", "Banca Alpina di Esempio", "BAESITM1XXX", "08222"),
        ("ITPYITM1", "ItalPaga Prova S.p.A.", "ITPYITM1XXX", "36333"),
        ("ABI08333", "Cassa Rurale di Prova", "CRDPITM1XXX", "08333"),
        ("ABI08444", "Banca di Credito Cooperativo del Bilancio", "BCCBITM1XXX", "08444"),
        ("PAYPITMM", "PayPrima Istituto di Moneta Elettronica", "PAYPITMMXXX", "36444"),
        ("ABI08555", "Banca Tirrenica di Collaudo", "BTDCITM1XXX", "08555"),
        ("ABI08666", "Banca Adriatica di Prova", "BADPITM1XXX", "08666"),
        ("TBPYITM1", "Tabacchi Pagamenti di Prova S.p.A.", "TBPYITM1XXX", "36555"),
        ("ABI08777", "BCC della Riconciliazione", "BCCRITM1XXX", "08777"),
        ("ABI08888", "Banca Lagunare di Esempio", "BLDEITM1XXX", "08888"),
    ]

    private static func entry(_ type: String, _ typeName: String, _ area: String, _ areaName: String, _ serviceCode: String,
                              _ service: String, _ reason: String, from: (Int, Int, Int) = (1900, 1, 1),
                              to: (Int, Int, Int) = (2080, 1, 1)) -> TaxonomyCode {
        let code = "9/" + type.leftPadded(to: 2, with: "0") + area.leftPadded(to: 2, with: "0") + serviceCode + reason + "/"
        return TaxonomyCode(code: code, creditorType: type, creditorTypeName: typeName, area: area, areaName: areaName,
                            serviceCode: serviceCode, service: service, reason: reason,
                            validFrom: CivilDate(year: from.0, month: from.1, day: from.2)!,
                            validTo: CivilDate(year: to.0, month: to.1, day: to.2)!)
    }

    /// Rows of the pagoPA taxonomy (`DATI SPECIFICI DI INCASSO`) that municipalities use most.
    private static let taxonomyCatalogue: [TaxonomyCode] = {
        let comune = "COMUNE/UNIONE DI COMUNI / CONSORZI"
        return [
            entry("1", comune, "1", "TRIBUTI", "100", "Rendite catastali (ICI, IMU, TUC, ecc.)", "IM"),
            entry("1", comune, "1", "TRIBUTI", "101", "ANNO IN CORSO - Tasse sui rifiuti (TARI, TIA, TARSU, TARES, ecc.)", "IM"),
            entry("1", comune, "1", "TRIBUTI", "107", "Canone Unico Patrimoniale", "TS", from: (2021, 2, 15)),
            entry("1", comune, "2", "CORPO DI POLIZIA LOCALE", "100", "Multe / Verbali di Contravvenzione", "SA"),
            entry("1", comune, "4", "DEMOGRAFICI ELETTORALI E STATISTICI", "100", "Emissione carta d'identità Elettronica", "TS"),
            entry("1", comune, "5", "STAZIONE UNICA APPALTANTE, CONTRATTI E GESTIONE LAVORI PUBBLICI ED EDILIZIA PRIVATA", "109",
                  "Certificati di destinazione urbanistica", "AP", from: (2021, 12, 1)),
            entry("1", comune, "7", "POLITICHE EDUCATIVE GIOVANILI E DEL LAVORO", "101", "Mense scolastiche", "TS"),
            entry("1", comune, "7", "POLITICHE EDUCATIVE GIOVANILI E DEL LAVORO", "102", "Trasporto scolastico", "SP"),
            entry("1", comune, "1", "TRIBUTI", "104", "Imposta di soggiorno (fino al 2025)", "IM", to: (2025, 12, 31)),
            entry("2", "PROVINCIA / CITTA' METROPOLITANA", "1", "SERVIZI PROVINCIALI / CITTA' METROPOLITANA", "102",
                  "ANNO IN CORSO - TEFA (riscossa unitamente alla TARI)", "IM"),
            entry("12", "AGENZIE FISCALI", "1", "AGENZIA DELLE ENTRATE (AdE)", "105", "Imposta di bollo - servizio @e.bollo", "IM",
                  from: (2022, 1, 1)),
        ]
    }()
}

extension String {
    /// The string with `character` added in front up to `length` characters (never cut).
    func leftPadded(to length: Int, with character: Character) -> String {
        count >= length ? self : String(repeating: character, count: length - count) + self
    }
}
