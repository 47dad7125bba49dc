import TOMLKit

extension QuadraConfiguration {
    /// Reads one `[[bank_csv]]` table into a layout, checking that the columns make sense together.
    ///
    /// ```toml
    /// [[bank_csv]]
    /// name = "home-banking"           # for messages
    /// delimiter = ";"                 # one character; default ";"
    /// decimal_comma = true            # 1.234,56; default false (1,234.56)
    /// date_format = "DD/MM/YYYY"      # default; also YYYY-MM-DD, DD.MM.YY, ...
    /// header_lines = 1                # lines before the first movement; the first is the header
    /// header_contains = "Movimenti"   # optional: how the file is recognised when columns are positions
    /// account = "IT60X0542811101000000123456"   # or columns.account
    /// credit_marks = ["C", "AVERE"]   # with columns.sign: values that mean a credit
    /// [bank_csv.columns]              # a header name or a 1-based position each
    /// date = "Data contabile"
    /// value_date = "Data valuta"
    /// amount = "Importo"              # signed, or with `sign`; or `credit` and `debit` instead
    /// causale = "Descrizione"
    /// reference = "Riferimento"
    /// ```
    static func readLayout(_ table: TOMLTable, key: String) throws -> BankCSVLayout {
        var reader = TOMLTableReader(table, key: key)
        let name = try reader.string("name")
        guard let columnsTable = try reader.table("columns") else {
            throw Failure(key: "\(key).columns", reason: "is missing: the layout must say where date, amount and causale are")
        }
        var columnsReader = TOMLTableReader(columnsTable, key: "\(key).columns")
        func column(_ field: String) throws -> BankCSVLayout.Column? {
            switch try columnsReader.stringOrInt(field) {
            case nil: return nil
            case let .string(text)?:
                guard !text.isEmpty else { throw Failure(key: "\(key).columns.\(field)", reason: "the column name is empty") }
                return .name(text)
            case let .int(position)?:
                guard position >= 1 else { throw Failure(key: "\(key).columns.\(field)", reason: "positions start at 1, not \(position)") }
                return .position(position)
            }
        }
        func required(_ field: String) throws -> BankCSVLayout.Column {
            guard let found = try column(field) else { throw Failure(key: "\(key).columns.\(field)", reason: "is missing") }
            return found
        }
        let amount: BankCSVLayout.Amount
        let creditMarks = try reader.strings("credit_marks")
        switch (try column("amount"), try column("sign"), try column("credit"), try column("debit")) {
        case let (amountColumn?, nil, nil, nil):
            guard creditMarks.isEmpty else { throw Failure(key: "\(key).credit_marks", reason: "is only used with columns.sign") }
            amount = .signed(amountColumn)
        case let (amountColumn?, sign?, nil, nil):
            guard !creditMarks.isEmpty else { throw Failure(key: "\(key).credit_marks", reason: "is missing: which values of columns.sign mean a credit?") }
            amount = .withSign(amountColumn, sign: sign, creditMarks: creditMarks)
        case let (nil, nil, credit?, debit?):
            amount = .split(credit: credit, debit: debit)
        default:
            throw Failure(key: "\(key).columns", reason: "give either amount (with an optional sign) or both credit and debit")
        }
        var layout = BankCSVLayout(name: name, date: try required("date"), amount: amount, causale: try required("causale"))
        layout.valueDate = try column("value_date")
        layout.reference = try column("reference")
        layout.debtorName = try column("debtor")
        layout.accountColumn = try column("account")
        try columnsReader.finish()

        if let delimiter = try reader.optionalString("delimiter") {
            guard delimiter.count == 1, let character = delimiter.first, character != "\"", !character.isNewline else {
                throw Failure(key: "\(key).delimiter", reason: "'\(delimiter)' is not a single delimiter character")
            }
            layout.delimiter = character
        }
        layout.decimalComma = try reader.bool("decimal_comma") ?? false
        if let pattern = try reader.optionalString("date_format") {
            guard let format = CSVDateFormat(pattern: pattern) else {
                throw Failure(key: "\(key).date_format", reason: "'\(pattern)' needs DD, MM and YYYY (or YY), e.g. DD/MM/YYYY")
            }
            layout.dateFormat = format
        }
        if let lines = try reader.int("header_lines") {
            guard lines >= 1 else { throw Failure(key: "\(key).header_lines", reason: "a layout needs a header line to be recognised by") }
            layout.headerLines = lines
        }
        layout.headerContains = try reader.optionalString("header_contains")
        if let account = try reader.optionalString("account") {
            layout.account = try checkedIBAN(account, key: "\(key).account")
        }
        try reader.finish()
        guard (layout.account == nil) != (layout.accountColumn == nil) else {
            throw Failure(key: "\(key).account", reason: "give either account (one IBAN for the whole file) or columns.account")
        }
        let named = layout.columns.filter { if case .name = $0 { return true } else { return false } }
        guard layout.headerContains != nil || !named.isEmpty else {
            throw Failure(key: "\(key).header_contains", reason: "is missing: with every column given by position, the file is recognised by a text its header contains")
        }
        if let repeated = layout.columns.enumerated().first(where: { layout.columns[..<$0.offset].contains($0.element) }) {
            throw Failure(key: "\(key).columns", reason: "\(repeated.element) is used for two fields")
        }
        return layout
    }
}
