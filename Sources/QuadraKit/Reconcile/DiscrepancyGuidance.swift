/// What the clerk reads beside a discrepancy's code: what it means, what to do, and whom to call, in
/// Italian by default (`[reports] language = "it" | "en"`). Codes stay as they are in every file.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case italian = "it"
    case english = "en"
}

/// Who can settle a discrepancy.
public enum Counterpart: String, Sendable, CaseIterable {
    case psp, treasurer, pagoPA, office

    public func name(in language: ReportLanguage) -> String {
        switch (self, language) {
        case (.psp, _): return "PSP"
        case (.pagoPA, _): return "pagoPA"
        case (.treasurer, .italian): return "Tesoriere"
        case (.treasurer, .english): return "Treasurer"
        case (.office, .italian): return "Ufficio entrate dell'ente"
        case (.office, .english): return "The creditor's revenue office"
        }
    }
}

/// The facts of one discrepancy row an action names.
public struct DiscrepancyFacts: Sendable {
    public var pspId: String?
    public var flowId: String?
    public var iuv: String?
    public var reference: String?
    public var expectedCents: Int64?
    public var actualCents: Int64?
    public var firstSeen: String?

    public init(pspId: String?, flowId: String?, iuv: String?, reference: String?, expectedCents: Int64?, actualCents: Int64?,
                firstSeen: String?) {
        self.pspId = pspId
        self.flowId = flowId
        self.iuv = iuv
        self.reference = reference
        self.expectedCents = expectedCents
        self.actualCents = actualCents
        self.firstSeen = firstSeen
    }
}

extension DiscrepancyCode {
    /// The codes that say a receipt exists somewhere and never reached the store: a flow row executed
    /// (0, 4, 8, 9) with no receipt, an option GPD marks paid with no receipt. Their keys are the
    /// receipts to recover.
    public static let missingReceipt: [DiscrepancyCode] = [.reportedWithoutReceipt, .positionPaidNoReceipt]
    /// A credit naming a payment's IUV (`/RFB/`) that the creditor knows nothing of: a payment, so a
    /// receipt exists, unless the bank took the credit back.
    public static let creditWithoutReceipt: DiscrepancyCode = .tesUnknownReference

    /// Whom to contact.
    public var counterpart: Counterpart {
        switch self {
        case .fdrOverdue, .rtIufAmountMismatch, .iurMismatch, .reportedWithoutReceipt, .revokedPayment, .fdrCountMismatch,
             .fdrTotalMismatch, .fdrDuplicateRow, .fdrBadId, .fdrUnknownOutcome, .fdrBadRow, .fdrBadHeader, .fdrRevisedAfterClose,
             .fdrIncomplete, .tesOverdue, .tesPartial, .tesAmountMismatch, .tesLate:
            return .psp
        case .tesUnknownReference, .causaleUnparseable:
            return .treasurer
        case .standInPayment, .positionPaidNoReceipt, .positionStatusMismatch, .fdrUnknownReceiver, .sourceSilent:
            return .pagoPA
        case .doublePayment, .overpayment, .receiptWithoutPosition, .positionAmountMismatch, .transferPlanMismatch,
             .positionNotPayable, .paidAfterDueDate, .ibanNotCreditorAccount, .taxonomyUnknown, .taxonomyNotValidOnDate,
             .taxonomyMismatch, .provvisorioAmountDiffers, .provvisorioNotRegularised:
            return .office
        }
    }

    /// The Italian meaning (the English one is `meaning`).
    public var descrizione: String {
        switch self {
        case .fdrOverdue: return "pagato e non ancora rendicontato da alcun flusso entro il giorno del pagamento + 2 giorni lavorativi"
        case .rtIufAmountMismatch: return "il flusso rendiconta un importo diverso dalla ricevuta"
        case .iurMismatch: return "il flusso rendiconta lo IUV con uno IUR diverso da quello della ricevuta"
        case .doublePayment: return "lo stesso IUV e trasferimento pagato o rendicontato con più IUR"
        case .reportedWithoutReceipt: return "un flusso rendiconta un pagamento senza ricevuta"
        case .revokedPayment: return "il flusso rendiconta il pagamento come revocato (esito 3)"
        case .standInPayment: return "pagato mentre la stazione era in stand-in: importo e posizione possono non essere aggiornati"
        case .positionPaidNoReceipt: return "la GPD segna l'opzione come pagata ma nessuna ricevuta la giustifica"
        case .positionStatusMismatch: return "la GPD dà la posizione per pagata e nessuna ricevuta è presente, o l'ha inviata non pagata dopo la ricevuta"
        case .receiptWithoutPosition: return "pagato, ma nessuna posizione debitoria dell'ente contiene lo IUV"
        case .positionAmountMismatch: return "la ricevuta ha pagato un importo diverso da quello richiesto dall'opzione"
        case .transferPlanMismatch: return "un trasferimento differisce dal piano della posizione (beneficiario, IBAN o importo)"
        case .positionNotPayable: return "pagato mentre la posizione era in bozza, non valida o scaduta"
        case .overpayment: return "posizione pagata più di una volta: somme da restituire"
        case .paidAfterDueDate: return "pagato dopo la scadenza dell'opzione"
        case .ibanNotCreditorAccount: return "accreditato su un conto non dichiarato dall'ente"
        case .taxonomyUnknown: return "la categoria del trasferimento non è nella tassonomia"
        case .taxonomyNotValidOnDate: return "la categoria non era valida nel giorno del pagamento (edizione più recente)"
        case .taxonomyMismatch: return "la categoria della ricevuta non è quella della posizione"
        case .tesOverdue: return "il flusso non è stato accreditato entro la data di regolamento + 1 giorno lavorativo"
        case .tesPartial: return "il flusso è accreditato solo in parte, non ancora scaduto"
        case .tesAmountMismatch: return "il flusso è accreditato per meno del totale dopo la scadenza, un pagamento accreditato da solo per meno della quota, o un flusso o un pagamento per più (eccedenza da recuperare)"
        case .tesLate: return "il flusso è stato accreditato per intero dopo la scadenza"
        case .tesUnknownReference: return "un accredito cita un flusso o uno IUV che l'ente non ha"
        case .causaleUnparseable: return "la causale dell'accredito non contiene un riferimento pagoPA"
        case .fdrRevisedAfterClose: return "una revisione del flusso ha cambiato un trasferimento già chiuso"
        case .fdrCountMismatch: return "il flusso dichiara un numero di pagamenti diverso da quelli che contiene"
        case .fdrTotalMismatch: return "il flusso dichiara un totale diverso dalla somma delle righe"
        case .fdrDuplicateRow: return "lo stesso IUV, IUR e indice due volte nello stesso flusso"
        case .fdrBadId: return "l'identificativo del flusso non è data + PSP + progressivo, o la data non è quella di regolamento"
        case .fdrUnknownOutcome: return "l'esito di una riga non è 0, 3, 4, 8 o 9"
        case .fdrUnknownReceiver: return "un flusso per un ente non servito"
        case .fdrBadRow: return "una riga con importo, indice, IUV o IUR illeggibile"
        case .fdrIncomplete: return "un flusso FdR-3 ancora privo di testata o pagine il giorno lavorativo dopo il regolamento"
        case .fdrBadHeader: return "il numero o il totale dichiarato del flusso è illeggibile: il controllo non è stato possibile"
        case .sourceSilent: return "nessuna ricevuta, flusso o movimento di tesoreria atteso da troppi giorni lavorativi"
        case .provvisorioAmountDiffers: return "le reversali hanno regolarizzato un provvisorio di entrata per un importo diverso dal suo"
        case .provvisorioNotRegularised: return "un provvisorio di entrata è ancora senza reversale dopo i giorni lavorativi concessi dalla sua contabilizzazione"
        }
    }

    public func description(in language: ReportLanguage) -> String { language == .italian ? descrizione : meaning }

    /// What to do, naming the PSP, flow, IUV, movement and amounts the row carries.
    public func action(_ facts: DiscrepancyFacts, in language: ReportLanguage) -> String {
        let it = language == .italian
        func euro(_ cents: Int64?) -> String {
            guard let cents else { return "" }
            let text = Money.format(cents)
            return it ? text.replacingOccurrences(of: ".", with: ",") + " €" : "EUR " + text
        }
        let psp = facts.pspId ?? (it ? "il PSP" : "the PSP"), flow = facts.flowId ?? "", iuv = facts.iuv ?? ""
        let day = facts.firstSeen.map { it ? CivilDate(iso: $0)?.italian ?? $0 : $0 } ?? ""
        // Both amounts when the item has both, else the one it has.
        let figures = facts.expectedCents != nil && facts.actualCents != nil ? expectedActual(facts, euro, it) : amount(facts, euro, it)
        switch self {
        case .fdrOverdue:
            return it ? "Sollecitare il PSP \(psp) per il flusso che rendiconta lo IUV \(iuv) (in ritardo dal \(day))\(figures)"
                : "Ask PSP \(psp) for the flow reporting IUV \(iuv) (overdue since \(day))\(figures)"
        case .iurMismatch:
            // Each side holds one half: the receipt's key its amount, the flow row's its own.
            return it ? "Chiedere al PSP \(psp) di rettificare lo IUR con cui rendiconta lo IUV \(iuv)\(figures)"
                : "Ask PSP \(psp) to correct the IUR under which it reports IUV \(iuv)\(figures)"
        case .rtIufAmountMismatch, .fdrCountMismatch, .fdrTotalMismatch, .fdrDuplicateRow, .fdrBadRow, .fdrBadHeader,
             .fdrBadId, .fdrUnknownOutcome:
            return it ? "Chiedere al PSP \(psp) la rettifica del flusso \(flow)\(expectedActual(facts, euro, it))"
                : "Ask PSP \(psp) to correct flow \(flow)\(expectedActual(facts, euro, it))"
        case .positionStatusMismatch:
            return it ? "Verificare in GPD lo stato della posizione dello IUV \(iuv) e recuperarne la ricevuta, o chiederne la correzione\(figures)"
                : "Check the GPD status of the position of IUV \(iuv) and fetch its receipt, or ask for the status to be corrected\(figures)"
        case .reportedWithoutReceipt, .positionPaidNoReceipt:
            return it ? "Recuperare la ricevuta dello IUV \(iuv) da pagoPA (quadra fetch receipts)\(figures)"
                : "Fetch the receipt of IUV \(iuv) from pagoPA (quadra fetch receipts)\(figures)"
        case .revokedPayment:
            return it ? "Annullare l'incasso dello IUV \(iuv) e verificare la restituzione con il PSP \(psp)\(figures)"
                : "Reverse the collection of IUV \(iuv) and check the refund with PSP \(psp)\(figures)"
        case .standInPayment:
            return it ? "Verificare importo e posizione dello IUV \(iuv) pagato in stand-in" : "Check amount and position of IUV \(iuv), paid in stand-in"
        case .doublePayment:
            // One line per IUR paid: each names the same extra payment, refunded once.
            return it ? "Individuare quale pagamento dello IUV \(iuv) è in eccesso e rimborsarlo una sola volta\(amount(facts, euro, it))"
                : "Find which payment of IUV \(iuv) is the extra one and refund it once\(amount(facts, euro, it))"
        case .overpayment:
            // What was received less what settles the position: the same money as its DOUBLE_PAYMENT lines.
            let excess = facts.actualCents.flatMap { actual in facts.expectedCents.map { actual - $0 } }
            let refund = excess.map { it ? ", importo \(euro($0))" : ", amount \(euro($0))" } ?? amount(facts, euro, it)
            return it ? "Rimborsare una sola volta l'eccedenza della posizione dello IUV \(iuv)\(refund)"
                : "Refund the position's excess of IUV \(iuv) once\(refund)"
        case .receiptWithoutPosition, .positionAmountMismatch, .transferPlanMismatch, .positionNotPayable, .paidAfterDueDate:
            return it ? "Verificare la posizione debitoria dello IUV \(iuv) e aggiornarla in GPD\(figures)"
                : "Check the debt position of IUV \(iuv) and update it in GPD\(figures)"
        case .ibanNotCreditorAccount:
            return it ? "Verificare il conto di accredito dello IUV \(iuv) e aggiornare gli IBAN dell'ente"
                : "Check the account credited for IUV \(iuv) and the creditor's IBANs"
        case .taxonomyUnknown, .taxonomyNotValidOnDate, .taxonomyMismatch:
            return it ? "Correggere la categoria (tassonomia) dello IUV \(iuv) per l'accertamento"
                : "Correct the taxonomy category of IUV \(iuv) for the accounts"
        case .tesOverdue:
            return it ? "Verificare con il tesoriere l'accredito del flusso \(flow) del PSP \(psp) (in ritardo dal \(day))\(amount(facts, euro, it, expected: true))"
                : "Check with the treasurer the credit of flow \(flow) of PSP \(psp) (overdue since \(day))\(amount(facts, euro, it, expected: true))"
        case .tesPartial, .tesLate:
            return it ? "Seguire l'accredito del flusso \(flow) del PSP \(psp)\(figures)" : "Follow the credit of flow \(flow) of PSP \(psp)\(figures)"
        case .tesAmountMismatch where flow.isEmpty && (facts.expectedCents ?? 0) > (facts.actualCents ?? 0):
            return it ? "Chiedere al PSP \(psp) il saldo del pagamento dello IUV \(iuv) accreditato per meno\(expectedActual(facts, euro, it))"
                : "Ask PSP \(psp) for the rest of the payment of IUV \(iuv), credited short\(expectedActual(facts, euro, it))"
        case .tesAmountMismatch where flow.isEmpty:
            return it ? "Chiedere al PSP la restituzione dell'accredito \(facts.reference ?? "") in eccesso\(expectedActual(facts, euro, it))"
                : "Ask the PSP to take back credit \(facts.reference ?? ""), an excess\(expectedActual(facts, euro, it))"
        case .tesAmountMismatch:
            return it ? "Chiedere al PSP \(psp) il conguaglio del flusso \(flow)\(expectedActual(facts, euro, it))"
                : "Ask PSP \(psp) to settle the difference on flow \(flow)\(expectedActual(facts, euro, it))"
        case .tesUnknownReference, .causaleUnparseable:
            return it ? "Chiedere al tesoriere l'origine dell'accredito \(facts.reference ?? "")\(amount(facts, euro, it))"
                : "Ask the treasurer where credit \(facts.reference ?? "") comes from\(amount(facts, euro, it))"
        case .fdrRevisedAfterClose:
            return it ? "Riesaminare lo IUV \(iuv) chiuso prima della revisione del flusso \(flow)"
                : "Review IUV \(iuv), closed before flow \(flow) was revised"
        case .fdrUnknownReceiver:
            return it ? "Segnalare a pagoPA il flusso \(flow) ricevuto per un ente non servito\(amount(facts, euro, it, expected: true))"
                : "Report flow \(flow), received for a creditor not served, to pagoPA\(amount(facts, euro, it, expected: true))"
        case .fdrIncomplete:
            return it ? "Riscaricare le pagine mancanti del flusso \(flow) (quadra fetch flows)"
                : "Fetch the missing pages of flow \(flow) again (quadra fetch flows)"
        case .sourceSilent:
            return it ? "Verificare con pagoPA e il tesoriere che i flussi di dati dell'ente arrivino"
                : "Check with pagoPA and the treasurer that the creditor's feeds arrive"
        case .provvisorioAmountDiffers:
            return it ? "Rettificare le reversali del provvisorio \(facts.reference ?? "")\(expectedActual(facts, euro, it))"
                : "Correct the reversali of provvisorio \(facts.reference ?? "")\(expectedActual(facts, euro, it))"
        case .provvisorioNotRegularised:
            return it ? "Emettere la reversale a regolarizzazione del provvisorio \(facts.reference ?? "") (righe in reversali.csv.gz)\(amount(facts, euro, it, expected: true))"
                : "Issue the reversale regularising provvisorio \(facts.reference ?? "") (lines in reversali.csv.gz)\(amount(facts, euro, it, expected: true))"
        }
    }

    private func amount(_ facts: DiscrepancyFacts, _ euro: (Int64?) -> String, _ it: Bool, expected: Bool = false) -> String {
        guard let cents = expected ? facts.expectedCents : facts.actualCents ?? facts.expectedCents else { return "" }
        return it ? ", importo \(euro(cents))" : ", amount \(euro(cents))"
    }

    private func expectedActual(_ facts: DiscrepancyFacts, _ euro: (Int64?) -> String, _ it: Bool) -> String {
        guard facts.expectedCents != nil || facts.actualCents != nil else { return "" }
        return it ? ": atteso \(euro(facts.expectedCents)), rilevato \(euro(facts.actualCents))"
            : ": expected \(euro(facts.expectedCents)), found \(euro(facts.actualCents))"
    }
}
