/// A day of a creditor's treasury: the treasurer's OPI giornale di cassa for creditors that have an
/// OPI account, else the bank's camt.053 statement. Each carries the day's pagoPA credits and one
/// ordinary payment out, which reconciliation must pass over.
struct TreasuryDocument {
    let world: DatasetWorld
    let firstDay: CivilDate

    /// The day's ordinary payment out (a supplier's invoice), the same every day.
    private static let payment: Int64 = 183_000

    func fileName(creditor: Int, day: Int) -> String {
        let kind = world.creditors[creditor].opiAccount == nil ? "camt053" : "GDC"
        return "\(kind)_\(world.creditors[creditor].fiscalCode)_\(firstDay.adding(days: day)).xml"
    }

    /// `reversale`: the REGOLARIZZATO an OPI journal of that day carries, if any.
    func xml(creditor index: Int, day: Int, credits: [DatasetPlan.Credit], reversale: DatasetReversali.Reversale? = nil) -> String {
        world.creditors[index].opiAccount == nil ? camt(index, day: day, credits: credits)
            : opi(index, day: day, credits: credits, reversale: reversale)
    }

    /// The `numero_documento` of the journal's movement `ordinal` on `day`: a provvisorio's number.
    static func documentNumber(day: CivilDate, ordinal: Int) -> String {
        "\(day.description.replacingDashes.suffix(4))\(String(ordinal).leftPadded(to: 7, with: "0"))"
    }

    private func opi(_ index: Int, day offset: Int, credits: [DatasetPlan.Credit], reversale: DatasetReversali.Reversale?) -> String {
        let creditor = world.creditors[index]
        let day = firstDay.adding(days: offset)
        let stamp = day.description.replacingDashes
        let income = credits.reduce(Int64(0)) { $0 + $1.amountCents }
        let opening = Int64(241_865_037 + index * 1_000)
        var movements = movement(number: 1, kind: "USCITA", document: "MANDATO", amount: Self.payment, day: day, stamp: stamp,
                                 account: "IT90D0503411100000000098765", client: "FORNITORE DI PROVA S.R.L.",
                                 causale: "FORNITURA CANCELLERIA UFFICI COMUNALI FATT. \(offset + 100)/2026")
        for (ordinal, credit) in credits.enumerated() {
            let psp = world.psps[credit.psp]
            movements += movement(number: ordinal + 2, kind: "ENTRATA", document: "SOSPESO ENTRATA", amount: credit.amountCents, day: day,
                                  stamp: stamp, account: psp.iban, client: psp.name.uppercased(), causale: credit.causale)
        }
        if let reversale { movements += regolarizzato(reversale, number: credits.count + 2, day: day, stamp: stamp) }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <flusso_giornale_di_cassa>
                <testata_messaggio>
                    <codice_ABI_BT>\(creditor.treasuryABI)</codice_ABI_BT>
                    <data_ora_creazione_flusso>\(WorkingDayCalendar.italianBanking.adding(workingDays: 1, to: day))T02:31:45</data_ora_creazione_flusso>
                    <codice_ente>E\(creditor.fiscalCode.suffix(5))</codice_ente>
                    <descrizione_ente>\(creditor.name.uppercased().xmlEscaped)</descrizione_ente>
                    <codice_istat_ente>000\(creditor.fiscalCode.suffix(6))</codice_istat_ente>
                    <codice_fiscale_ente>\(creditor.fiscalCode)</codice_fiscale_ente>
                    <codice_tramite_ente>A2A-\(creditor.fiscalCode.suffix(8))</codice_tramite_ente>
                    <codice_tramite_BT>A2A-\(creditor.treasuryABI)001</codice_tramite_BT>
                    <codice_ente_BT>0\(creditor.fiscalCode.suffix(6))</codice_ente_BT>
                </testata_messaggio>
                <identificativo_flusso_BT>GDC-\(stamp)\(creditor.treasuryABI)\(creditor.fiscalCode)#001#001</identificativo_flusso_BT>
                <pagina>1</pagina>
                <pagine_totali>1</pagine_totali>
                <esercizio>\(day.year)</esercizio>
                <data_riferimento_GdC>\(day)</data_riferimento_GdC>
                <informazioni_conto_evidenza>
                    <conto_evidenza>\(creditor.opiAccount ?? "")</conto_evidenza>
                    <descrizione_conto_evidenza>FONDI ORDINARI</descrizione_conto_evidenza>
            \(movements)        </informazioni_conto_evidenza>
                <saldo_complessivo_precedente>\(Money.format(opening))</saldo_complessivo_precedente>
                <totale_complessivo_entrate>\(Money.format(income))</totale_complessivo_entrate>
                <totale_complessivo_uscite>\(Money.format(Self.payment))</totale_complessivo_uscite>
                <saldo_complessivo_finale>\(Money.format(opening + income - Self.payment))</saldo_complessivo_finale>
                <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="GDC-\(stamp)">
                    <ds:SignedInfo>
                        <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>
                        <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
                        <ds:Reference URI="">
                            <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                            <ds:DigestValue>R0VORVJBVEVELU5PVC1TSUdORUQ=</ds:DigestValue>
                        </ds:Reference>
                    </ds:SignedInfo>
                    <ds:SignatureValue>R0VORVJBVEVELU5PVC1TSUdORUQ=</ds:SignatureValue>
                </ds:Signature>
            </flusso_giornale_di_cassa>

            """
    }

    private func movement(number: Int, kind: String, document: String, amount: Int64, day: CivilDate, stamp: String,
                          account: String, client: String, causale: String) -> String {
        let padded = String(number).leftPadded(to: 7, with: "0")
        return """
                    <movimento_conto_evidenza>
                        <identificativo_flusso>\(stamp)\(padded)</identificativo_flusso>
                        <numero_movimento>\(padded)</numero_movimento>
                        <tipo_movimento>\(kind)</tipo_movimento>
                        <tipo_documento>\(document)</tipo_documento>
                        <tipo_operazione>ESEGUITO</tipo_operazione>
                        <numero_documento>\(Self.documentNumber(day: day, ordinal: number))</numero_documento>
            \(sospeso(kind: kind, day: day))            <numero_pagamento_funzionario_delegato>0000000</numero_pagamento_funzionario_delegato>
                        <progressivo_documento>0000001</progressivo_documento>
                        <importo>\(Money.format(amount))</importo>
                        <numero_bolletta_quietanza>\(padded)</numero_bolletta_quietanza>
                        <numero_bolletta_quietanza_storno>0000000</numero_bolletta_quietanza_storno>
                        <data_movimento>\(day)</data_movimento>
                        <data_movimento_siope>\(day)</data_movimento_siope>
                        <data_valuta_ente>\(day)</data_valuta_ente>
                        <tipo_esecuzione>SEPA CREDIT TRANSFER</tipo_esecuzione>
                        <coordinate>\(account)</coordinate>
                        <codice_riferimento_operazione>\(stamp)\(padded)IT</codice_riferimento_operazione>
                        <codice_riferimento_interno>GDC-\(stamp)-\(padded)</codice_riferimento_interno>
                        <tipo_contabilita>INFRUTTIFERO</tipo_contabilita>
                        <destinazione>LIBERA</destinazione>
                        <assoggettamento_bollo>ESENTE BOLLO</assoggettamento_bollo>
                        <assoggettamento_spese>ESENTE SPESE</assoggettamento_spese>
                        <cliente>
                            <anagrafica_cliente>\(client.xmlEscaped)</anagrafica_cliente>
                        </cliente>
                        <causale>\(causale.xmlEscaped)</causale>
                    </movimento_conto_evidenza>

            """
    }

    /// The reversale that regularises earlier provvisori: no money moves, each `sospeso` names one.
    private func regolarizzato(_ reversale: DatasetReversali.Reversale, number: Int, day: CivilDate, stamp: String) -> String {
        let padded = String(number).leftPadded(to: 7, with: "0")
        let total = reversale.sospesi.reduce(Int64(0)) { $0 + $1.amountCents }
        let sospesi = reversale.sospesi.map { sospeso in
            """
                        <sospeso>
                            <numero_provvisorio>\(sospeso.number)</numero_provvisorio>
                            <importo_provvisorio>\(Money.format(sospeso.amountCents))</importo_provvisorio>
                        </sospeso>

            """
        }
        return """
                    <movimento_conto_evidenza>
                        <identificativo_flusso>\(stamp)\(padded)</identificativo_flusso>
                        <numero_movimento>\(padded)</numero_movimento>
                        <tipo_movimento>ENTRATA</tipo_movimento>
                        <tipo_documento>REVERSALE</tipo_documento>
                        <tipo_operazione>REGOLARIZZATO</tipo_operazione>
                        <numero_documento>\(reversale.number)</numero_documento>
                        <progressivo_documento>0000001</progressivo_documento>
                        <importo>\(Money.format(total))</importo>
                        <data_movimento>\(day)</data_movimento>
                        <data_movimento_siope>\(day)</data_movimento_siope>
                        <tipo_esecuzione>REGOLARIZZAZIONE</tipo_esecuzione>
                        <assoggettamento_bollo>ESENTE BOLLO</assoggettamento_bollo>
                        <cliente>
                            <anagrafica_cliente>VERSANTI DIVERSI PAGOPA</anagrafica_cliente>
                        </cliente>
                        <causale>REGOLARIZZAZIONE PROVVISORI PAGOPA REVERSALE \(reversale.number)</causale>
            \(sospesi.joined())        </movimento_conto_evidenza>

            """
    }

    /// A credit the treasurer has not yet matched to a collection order stands as a suspense item.
    private func sospeso(kind: String, day: CivilDate) -> String {
        guard kind == "ENTRATA" else { return "" }
        return """
                        <sospeso_da_regolarizzare>
                            <data_effettiva_sospeso>\(day)</data_effettiva_sospeso>
                            <codice_gestionale_provvisorio>0000099999</codice_gestionale_provvisorio>
                        </sospeso_da_regolarizzare>

            """
    }

    private func camt(_ index: Int, day offset: Int, credits: [DatasetPlan.Credit]) -> String {
        let creditor = world.creditors[index]
        let day = firstDay.adding(days: offset)
        let stamp = day.description.replacingDashes
        var entries = entry(reference: "\(stamp)D0001", amount: Self.payment, credit: false, day: day, party: "FORNITORE DI PROVA S.R.L.",
                            account: "IT90D0503411100000000098765", remittance: "FORNITURA CANCELLERIA FATT. \(offset + 100)/2026")
        for (ordinal, credit) in credits.enumerated() {
            let psp = world.psps[credit.psp]
            entries += entry(reference: "\(stamp)C\(String(ordinal + 1).leftPadded(to: 6, with: "0"))", amount: credit.amountCents, credit: true,
                             day: day, party: psp.name.uppercased(), account: psp.iban, remittance: credit.causale)
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt>
                <GrpHdr>
                  <MsgId>CAMT053-\(creditor.fiscalCode)-\(stamp)</MsgId>
                  <CreDtTm>\(day)T23:59:00</CreDtTm>
                </GrpHdr>
                <Stmt>
                  <Id>STMT-\(creditor.fiscalCode)-\(stamp)</Id>
                  <CreDtTm>\(day)T23:59:00</CreDtTm>
                  <Acct>
                    <Id>
                      <IBAN>\(creditor.iban)</IBAN>
                    </Id>
                    <Ccy>EUR</Ccy>
                  </Acct>
            \(entries)    </Stmt>
              </BkToCstmrStmt>
            </Document>

            """
    }

    private func entry(reference: String, amount: Int64, credit: Bool, day: CivilDate, party: String, account: String, remittance: String) -> String {
        let side = credit ? "Dbtr" : "Cdtr"
        return """
                  <Ntry>
                    <NtryRef>\(reference)</NtryRef>
                    <Amt Ccy="EUR">\(Money.format(amount))</Amt>
                    <CdtDbtInd>\(credit ? "CRDT" : "DBIT")</CdtDbtInd>
                    <Sts>BOOK</Sts>
                    <BookgDt>
                      <Dt>\(day)</Dt>
                    </BookgDt>
                    <ValDt>
                      <Dt>\(day)</Dt>
                    </ValDt>
                    <AcctSvcrRef>\(reference)</AcctSvcrRef>
                    <NtryDtls>
                      <TxDtls>
                        <Refs>
                          <AcctSvcrRef>\(reference)</AcctSvcrRef>
                        </Refs>
                        <RltdPties>
                          <\(side)>
                            <Nm>\(party.xmlEscaped)</Nm>
                          </\(side)>
                          <\(side)Acct>
                            <Id>
                              <IBAN>\(account)</IBAN>
                            </Id>
                          </\(side)Acct>
                        </RltdPties>
                        <RmtInf>
                          <Ustrd>\(remittance.xmlEscaped)</Ustrd>
                        </RmtInf>
                      </TxDtls>
                    </NtryDtls>
                  </Ntry>

            """
    }
}
