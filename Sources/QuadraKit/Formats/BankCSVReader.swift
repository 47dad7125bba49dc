import Foundation

/// Reads a bank's CSV statement with the `BankCSVLayout` the configuration declares for it.
///
/// Credits are kept; debits are passed over and counted. A row that breaks the layout (a missing
/// column, an amount or date that does not parse) is quarantined with its line; the others land.
enum BankCSVReader {
    /// The first layout whose header signature the file's first line carries.
    static func layout(for bytes: [UInt8], among layouts: [BankCSVLayout]) -> BankCSVLayout? {
        let firstLine = String(decoding: bytes.prefix(8192).split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? [],
                               as: UTF8.self)
        return layouts.first { layout in
            guard layout.headerLines > 0 else { return false }
            if let signature = layout.headerContains { return firstLine.contains(signature) }
            let header = Set(SemicolonCSV.records(firstLine, separator: layout.delimiter).first?.fields.map(normalized) ?? [])
            let names = layout.columns.compactMap { column -> String? in
                if case let .name(name) = column { return normalized(name) }
                return nil
            }
            return !names.isEmpty && names.allSatisfy(header.contains)
        }
    }

    static func read(_ bytes: [UInt8], layout: BankCSVLayout) throws -> ParsedContent {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = SemicolonCSV.records(text, separator: layout.delimiter)
        guard layout.headerLines == 0 || !records.isEmpty else { throw DocumentRejection(reason: "the CSV is empty") }
        let header = layout.headerLines > 0 ? records[0].fields.map(normalized) : []
        var statement = TreasuryStatement()
        var quarantined: [DocumentRejection] = []
        var occurrences = MovementIdentifier.Occurrences()
        for record in records.dropFirst(layout.headerLines) where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            statement.add(at: "line \(record.line)", quarantining: &quarantined) {
                try movement(Row(fields: record.fields, header: header, line: record.line), layout: layout, occurrences: &occurrences)
            }
        }
        return .treasury(statement, quarantined: quarantined)
    }

    private struct Row {
        var fields: [String]
        var header: [String]
        var line: Int

        func value(_ column: BankCSVLayout.Column) throws -> String {
            let index: Int?
            switch column {
            case let .name(name): index = header.firstIndex(of: normalized(name))
            case let .position(position): index = position - 1
            }
            guard let index, fields.indices.contains(index) else {
                throw DocumentRejection(element: "line \(line)", reason: "the row has no \(column) (\(fields.count) columns)")
            }
            return fields[index].trimmingCharacters(in: .whitespaces)
        }

        func optional(_ column: BankCSVLayout.Column?) throws -> String? {
            guard let column else { return nil }
            let text = try value(column)
            return text.isEmpty ? nil : text
        }
    }

    private static func movement(_ row: Row, layout: BankCSVLayout,
                                 occurrences: inout MovementIdentifier.Occurrences) throws -> TreasuryMovement? {
        let element = "line \(row.line)"
        guard let cents = try signedAmount(row, layout: layout) else { return nil }
        guard cents > 0 else { return nil }
        let dateText = try row.value(layout.date)
        guard let bookingDate = layout.dateFormat.iso(dateText) else {
            throw DocumentRejection(element: element, reason: "date '\(dateText)' does not follow \(layout.dateFormat)")
        }
        var valueDate: String?
        if let text = try row.optional(layout.valueDate) {
            guard let iso = layout.dateFormat.iso(text) else {
                throw DocumentRejection(element: element, reason: "value date '\(text)' does not follow \(layout.dateFormat)")
            }
            valueDate = iso
        }
        guard let account = try row.optional(layout.accountColumn) ?? layout.account else {
            throw DocumentRejection(element: element, reason: "the row names no account")
        }
        let causale = try row.value(layout.causale)
        let reference = try row.optional(layout.reference)
        let identity = ["bank-csv", IBAN.normalized(account), reference, bookingDate, String(cents), causale]
        let id = MovementIdentifier.make(identity + [occurrences.index(of: identity)])
        var movement = TreasuryMovement(movementId: id, format: .bankCSV, account: IBAN.normalized(account), bookingDate: bookingDate,
                                        amountCents: cents, sign: .credit, rawCausale: causale, element: element)
        movement.valueDate = valueDate
        movement.reference = reference
        movement.debtorName = try row.optional(layout.debtorName)
        return movement
    }

    /// The row's amount in cents, negative for a debit; nil for a row that moves nothing.
    private static func signedAmount(_ row: Row, layout: BankCSVLayout) throws -> Int64? {
        func cents(_ text: String, _ column: BankCSVLayout.Column) throws -> Int64 {
            guard let value = parseAmount(text, decimalComma: layout.decimalComma) else {
                throw DocumentRejection(element: "line \(row.line)", reason: "amount '\(text)' in \(column) is not an amount in whole cents")
            }
            return value
        }
        switch layout.amount {
        case let .signed(column):
            return try cents(row.value(column), column)
        case let .withSign(column, signColumn, marks):
            let amount = try cents(row.value(column), column)
            let mark = try row.value(signColumn).uppercased()
            return marks.contains { $0.uppercased() == mark } ? amount : -amount
        case let .split(creditColumn, debitColumn):
            if let credit = try row.optional(creditColumn) {
                let amount = abs(try cents(credit, creditColumn))
                if amount != 0 { return amount }
            }
            if let debit = try row.optional(debitColumn) { return -abs(try cents(debit, debitColumn)) }
            throw DocumentRejection(element: "line \(row.line)", reason: "neither \(creditColumn) nor \(debitColumn) holds an amount")
        }
    }

    /// Exact cents from a bank's amount text: an optional sign (leading, or trailing as some exports
    /// print it), thousands separators in groups of three and the decimal mark the layout declares.
    /// `12.5` under a decimal comma is refused rather than read as 125: the mark is wrong, not the
    /// grouping.
    static func parseAmount(_ text: String, decimalComma: Bool) -> Int64? {
        var body = text.filter { $0 != " " && $0 != "\u{A0}" && $0 != "€" }
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") {
            negative = body.hasPrefix("-")
            body.removeFirst()
        } else if body.hasSuffix("-") {
            negative = true
            body.removeLast()
        }
        let (thousands, decimal): (Character, Character) = decimalComma ? (".", ",") : (",", ".")
        let parts = body.split(separator: decimal, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let groups = parts[0].split(separator: thousands, omittingEmptySubsequences: false)
        guard groups.count == 1 || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }) else { return nil }
        body = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        guard let cents = Money.cents(fromDecimal: body) else { return nil }
        return negative ? -cents : cents
    }

    private static func normalized(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).uppercased()
    }
}
