/// The attestation of one payment (`quadra receipt`): what GovPay's receipt PDF gives a creditor to
/// hand to a citizen as proof of payment, from the receipt in the store, with how far Quadra has
/// followed each transfer (reported in a flow, credited on the treasury account).
public struct PaymentAttestation: Sendable, Equatable {
    public struct Transfer: Sendable, Equatable {
        public var index: Int
        public var beneficiaryName: String?
        public var beneficiaryFiscalCode: String
        public var iban: String?
        public var isStamp: Bool
        public var amountCents: Int64
        public var remittance: String?
        public var taxonomyCode: String?
        public var taxonomyDescription: String?
        /// The key's verdict when the beneficiary is a served creditor: state, flow, settlement, credit.
        public var state: String?
        public var flowId: String?
        public var settlementDate: String?
        public var creditedCents: Int64?
        public var creditReferences: String?
    }

    public var receiptId: String
    public var creditorName: String?
    public var creditorFiscalCode: String
    public var noticeNumber: String
    public var iuv: String
    public var description: String?
    public var debtorId: String?
    public var debtorName: String?
    public var amountCents: Int64
    public var paymentDateTime: String?
    public var pspId: String
    public var pspName: String?
    public var transfers: [Transfer]

    /// One line of the attestation: a heading, a label with its value, or plain text.
    public enum Line: Equatable, Sendable {
        case title(String)
        case heading(String)
        case field(String, String)
        case text(String)
    }

    /// The attestation's lines, in Italian, the debtor masked unless `unmask`: the same for the PDF and the page.
    public func lines(unmask: Bool) -> [Line] {
        var lines: [Line] = [
            .title("Attestazione di pagamento pagoPA"),
            .heading("Ente creditore"),
            .field("Denominazione", creditorName ?? "—"),
            .field("Codice fiscale", creditorFiscalCode),
            .heading("Pagamento"),
            .field("Codice avviso", noticeNumber),
            .field("IUV", iuv),
        ]
        if let description { lines.append(.field("Causale", description)) }
        let debtor = [debtorName.map { unmask ? $0 : Self.maskName($0) }, debtorId.map { unmask ? $0 : ReportWriter.mask($0) }]
        lines += [
            .field("Debitore", debtor.compactMap { $0 }.joined(separator: " — ")),
            .field("Importo pagato", Self.euro(amountCents)),
            .field("Data di pagamento", paymentDateTime.map(Self.italianDateTime) ?? "—"),
            .field("PSP", [pspName, pspId].compactMap { $0 }.joined(separator: " — ")),
            .field("Identificativo ricevuta", receiptId),
            .heading("Trasferimenti"),
        ]
        for transfer in transfers {
            let beneficiary = transfer.beneficiaryName.map { "\($0) (\(transfer.beneficiaryFiscalCode))" } ?? transfer.beneficiaryFiscalCode
            lines.append(.field("Trasferimento \(transfer.index)", "\(Self.euro(transfer.amountCents)) a \(beneficiary)"))
            let account = transfer.isStamp ? "marca da bollo digitale" : transfer.iban.map { "IBAN \($0)" }
            let taxonomy = transfer.taxonomyCode.map { code in "tassonomia \(code)" + (transfer.taxonomyDescription.map { ": \($0)" } ?? "") }
            lines.append(.text([account, taxonomy].compactMap { $0 }.joined(separator: "; ")))
            if let remittance = transfer.remittance { lines.append(.text("Causale: \(remittance)")) }
        }
        lines.append(.heading("Stato della riconciliazione"))
        for transfer in transfers {
            lines.append(.field("Trasferimento \(transfer.index)", Self.state(of: transfer, creditor: creditorFiscalCode)))
        }
        lines.append(.text("Documento generato da Quadra dalla ricevuta telematica conservata dall'ente; non è una quietanza di tesoreria."))
        return lines
    }

    /// What reconciliation knows of a transfer, in words a citizen's desk can read out. A payment
    /// credited alone (`/RFB/`) was never in a flow: cashed, not "rendicontato".
    static func state(of transfer: Transfer, creditor: String) -> String {
        let flow = transfer.flowId.map { " nel flusso \($0)" + (transfer.settlementDate.map { " regolato il \(italianDate($0))" } ?? "") } ?? ""
        switch transfer.state {
        case "CASHED":
            let what = transfer.flowId == nil ? "accredito" : "accredito del flusso"
            let credit = transfer.creditedCents.map { "accreditato in tesoreria (\(what) \(euro($0))" + (transfer.creditReferences.map { ", rif. \($0.replacingOccurrences(of: "|", with: ", "))" } ?? "") + ")" }
                ?? "accreditato in tesoreria"
            return transfer.flowId == nil ? "incassato: \(credit)" : "incassato: rendicontato\(flow), \(credit)"
        case "REPORTED": return "rendicontato\(flow); accredito in tesoreria non ancora ricevuto"
        case "PAID": return "pagato; non ancora rendicontato dal PSP"
        case "ANOMALY": return "pagato; in verifica presso l'ente"
        default:
            // No verdict: a stamp (never a transfer key), a payment not reconciled yet, or another creditor's.
            if transfer.isStamp { return "marca da bollo digitale pagata" }
            return transfer.beneficiaryFiscalCode == creditor ? "pagato; non ancora riconciliato" : "pagato a un altro ente beneficiario"
        }
    }

    /// `204,00 €`.
    static func euro(_ cents: Int64) -> String {
        Money.format(cents).replacingOccurrences(of: ".", with: ",") + " €"
    }

    /// `2026-11-16T12:41:57` → `16/11/2026 12:41:57`.
    static func italianDateTime(_ text: String) -> String {
        let date = italianDate(String(text.prefix(10)))
        let time = text.dropFirst(11).prefix(8)
        return time.isEmpty ? date : "\(date) \(time)"
    }

    static func italianDate(_ text: String) -> String {
        guard let date = CivilDate(iso: String(text.prefix(10))) else { return text }
        let parts = date.description.split(separator: "-")
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// Each word's first letter and a star per other letter: `Lucia Esempini` → `L**** E*******`.
    static func maskName(_ name: String) -> String {
        name.split(separator: " ").map { (word: Substring) -> String in
            String(word.prefix(1)) + String(repeating: "*", count: max(0, word.count - 1))
        }.joined(separator: " ")
    }
}

extension PaymentAttestation {
    /// The attestation as a self-contained HTML page (no script, no external asset).
    public func html(unmask: Bool) -> String {
        var body = ""
        for line in lines(unmask: unmask) {
            switch line {
            case let .title(text): body += "<h1>\(Markup.escape(text))</h1>\n<table>\n"
            case let .heading(text): body += "<tr><th colspan=\"2\"><h2>\(Markup.escape(text))</h2></th></tr>\n"
            case let .field(label, value): body += "<tr><td>\(Markup.escape(label))</td><td>\(Markup.escape(value))</td></tr>\n"
            case let .text(text): body += "<tr><td></td><td class=\"note\">\(Markup.escape(text))</td></tr>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="it"><head><meta charset="utf-8"><title>Attestazione di pagamento — IUV \(Markup.escape(iuv))</title>
            <style>
            body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:46em;color:#222}
            table{border-collapse:collapse;width:100%}td{padding:.25em .6em;vertical-align:top}th{text-align:left}
            h2{font-size:1.05em;margin:1em 0 .2em;border-bottom:1px solid #999}td.note{color:#555;font-size:.92em}
            </style></head><body>
            \(body)</table>
            </body></html>

            """
    }

    /// The attestation as a one-page A4 PDF, drawn smaller until every line fits: five transfers
    /// with texts of GPD's full length ran past the page's foot and lost the last three, silently.
    public func pdf(unmask: Bool) -> [UInt8] {
        let lines = lines(unmask: unmask)
        func page(_ scale: Double) -> OnePagePDF {
            var page = OnePagePDF(title: "Attestazione di pagamento IUV \(iuv)", scale: scale)
            for line in lines {
                switch line {
                case let .title(text): page.add(text, bold: true, size: 16, gapBefore: 0)
                case let .heading(text): page.add(text, bold: true, size: 11.5, gapBefore: 10)
                case let .field(label, value): page.add(label, value: value)
                case let .text(text): page.add(text, bold: false, size: 9, indent: 150, gapBefore: 0)
                }
            }
            return page
        }
        let scales = [1, 0.85, 0.72, 0.6]
        return (scales.lazy.map(page).first { !$0.overflowed } ?? page(0.5)).bytes()
    }
}
