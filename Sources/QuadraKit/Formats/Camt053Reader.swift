/// Reads an ISO 20022 camt.053 bank-to-customer statement (`BkToCstmrStmt`, versions 001.02 to
/// 001.08) into the credits of the statements' accounts.
///
/// A booked credit entry (`CdtDbtInd` CRDT) is a credit; a debit entry with `RvslInd` true is the
/// reversal of an earlier credit, as ISO 20022 defines it, and is kept like an OPI `STORNATO` (the
/// store links it to the credit). Other debits, reversals of debits and entries not booked (`Sts`
/// other than BOOK) are passed over and counted. The fields read have the same place in every
/// version; where later versions nest a name (`Sts/Cd`, `Dbtr/Pty/Nm`) both forms are read.
final class Camt053Reader: XMLContentReader {
    static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

    /// True for the camt.053 namespaces from 001.02 to 001.08.
    static func reads(namespace: String) -> Bool {
        guard namespace.hasPrefix(namespacePrefix), let version = Int(namespace.dropFirst(namespacePrefix.count)) else { return false }
        return (2...8).contains(version)
    }

    private var path: [String] = []
    private var sawStatementMessage = false
    private var statementOrdinal = 0
    private var statementFields: [String: String] = [:]
    private var entryOrdinal = 0
    private var entry: [String: String] = [:]
    private var remittance: [String] = []
    private var pending: [(element: String, fields: [String: String], remittance: [String])] = []
    private var statement = TreasuryStatement()
    private var quarantined: [DocumentRejection] = []

    func didStart(_ name: String, namespace: String?) throws {
        path.append(name)
        switch (path.count, name) {
        case (2, "BkToCstmrStmt"):
            sawStatementMessage = true
        case (3, "Stmt"):
            statementOrdinal += 1
            entryOrdinal = 0
            statementFields = [:]
            pending = []
        case (4, "Ntry") where path[2] == "Stmt":
            entryOrdinal += 1
            entry = [:]
            remittance = []
        default:
            break
        }
    }

    func didEnd(_ name: String, namespace: String?, text: String) throws {
        defer { path.removeLast() }
        guard path.count >= 3, path[1] == "BkToCstmrStmt", path[2] == "Stmt" else { return }
        switch path.count {
        case 3:
            readStatement()
        case 4 where name == "Ntry":
            pending.append((element: "Stmt[\(statementOrdinal)]/Ntry[\(entryOrdinal)]", fields: entry, remittance: remittance))
        default:
            if path[3] == "Ntry" {
                let relative = path[4...].joined(separator: "/")
                if name == "Ustrd" {
                    remittance.append(text)
                } else if entry[relative] == nil {
                    entry[relative] = text
                }
            } else {
                let relative = path[3...].joined(separator: "/")
                if statementFields[relative] == nil { statementFields[relative] = text }
            }
        }
    }

    func content() throws -> ParsedContent {
        guard sawStatementMessage else {
            throw DocumentRejection(element: "Document", reason: "a camt.053 document holds a BkToCstmrStmt, this one does not")
        }
        return .treasury(statement, quarantined: quarantined)
    }

    /// Turns the entries of the statement just closed into movements, now that its account is known.
    private func readStatement() {
        let element = "Stmt[\(statementOrdinal)]"
        guard let account = statementFields["Acct/Id/IBAN"] ?? statementFields["Acct/Id/Othr/Id"], !account.isEmpty else {
            if !pending.isEmpty {
                quarantined.append(DocumentRejection(element: "\(element)/Acct",
                                                     reason: "the statement names no account: its \(pending.count) entries are not stored"))
            }
            return
        }
        if let currency = statementFields["Acct/Ccy"], currency != "EUR" {
            quarantined.append(DocumentRejection(element: "\(element)/Acct/Ccy",
                                                 reason: "the account is in \(currency), not EUR: its \(pending.count) entries are not stored"))
            return
        }
        var occurrences = MovementIdentifier.Occurrences()
        for entry in pending {
            statement.add(at: entry.element, quarantining: &quarantined) {
                try movement(entry.fields, remittance: entry.remittance, element: entry.element,
                             account: IBAN.normalized(account), occurrences: &occurrences)
            }
        }
        pending = []
    }

    private func movement(_ fields: [String: String], remittance: [String], element: String, account: String,
                          occurrences: inout MovementIdentifier.Occurrences) throws -> TreasuryMovement? {
        func reject(_ field: String, _ reason: String) -> DocumentRejection {
            DocumentRejection(element: "\(element)/\(field)", reason: reason)
        }
        let status = fields["Sts/Cd"] ?? fields["Sts"] ?? "BOOK"
        guard status == "BOOK" else { return nil }
        let reversal = fields["RvslInd"] == "true" || fields["RvslInd"] == "1"
        let sign: TreasuryMovement.Sign
        switch (fields["CdtDbtInd"], reversal) {
        case ("CRDT", false): sign = .credit
        case ("DBIT", true): sign = .reversal
        case ("DBIT", false), ("CRDT", true): return nil
        case let (other, _): throw reject("CdtDbtInd", "CdtDbtInd '\(other ?? "")' is not CRDT or DBIT")
        }
        let amountText = fields["Amt"] ?? ""
        guard let amount = Money.cents(fromDecimal: amountText), amount > 0 else {
            throw reject("Amt", "Amt '\(amountText)' is not a positive amount in whole cents")
        }
        guard let bookingDate = (fields["BookgDt/Dt"] ?? fields["BookgDt/DtTm"]).flatMap(ISODate.datePart) else {
            throw reject("BookgDt", "the booking date '\(fields["BookgDt/Dt"] ?? fields["BookgDt/DtTm"] ?? "")' is not an ISO date")
        }
        let valueDate = (fields["ValDt/Dt"] ?? fields["ValDt/DtTm"]).flatMap(ISODate.datePart)
        let reference = fields["AcctSvcrRef"] ?? fields["NtryRef"] ?? fields["NtryDtls/TxDtls/Refs/AcctSvcrRef"]
        let identity = ["camt053", account, reference, bookingDate, String(amount), sign.rawValue]
        let id = MovementIdentifier.make(identity + [occurrences.index(of: identity)])
        let causale = remittance.joined(separator: " ")
        var movement = TreasuryMovement(movementId: id, format: .camt053, account: account, bookingDate: bookingDate,
                                        amountCents: amount, sign: sign, rawCausale: causale, element: element)
        movement.valueDate = valueDate
        movement.reference = reference
        movement.transactionId = fields["NtryDtls/TxDtls/Refs/TxId"]
        movement.endToEndId = fields["NtryDtls/TxDtls/Refs/EndToEndId"]
        movement.debtorName = fields["NtryDtls/TxDtls/RltdPties/Dbtr/Nm"] ?? fields["NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm"]
        movement.additionalInfo = fields["AddtlNtryInf"] ?? fields["NtryDtls/TxDtls/AddtlTxInf"]
        movement.statementId = statementFields["Id"]
        return movement
    }
}
