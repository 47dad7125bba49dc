/// How one bank's CSV export is laid out, declared in the configuration (`[[bank_csv]]`), so that a
/// new bank's statement needs configuration, not code.
///
/// ```swift
/// var layout = BankCSVLayout(name: "home-banking", date: .name("Data contabile"),
///                            amount: .split(credit: .name("Avere"), debit: .name("Dare")),
///                            causale: .name("Descrizione"))
/// layout.decimalComma = true
/// layout.account = "IT60X0542811101000000123456"
/// ```
///
/// A file is recognised as this layout by its header: it must contain `headerContains` when set,
/// else every column named by name.
public struct BankCSVLayout: Sendable, Equatable {
    /// A column by its header text (matched trimmed, case-insensitively) or by 1-based position.
    public enum Column: Sendable, Equatable, CustomStringConvertible {
        case name(String)
        case position(Int)

        public var description: String {
            switch self {
            case let .name(name): return "'\(name)'"
            case let .position(position): return "column \(position)"
            }
        }
    }

    /// Where a row's amount and direction come from.
    public enum Amount: Sendable, Equatable {
        /// One signed column: a negative amount is a debit.
        case signed(Column)
        /// An unsigned amount and a column whose value tells a credit (one of `creditMarks`) from a debit.
        case withSign(Column, sign: Column, creditMarks: [String])
        /// Separate credit (avere) and debit (dare) columns, one of them filled per row.
        case split(credit: Column, debit: Column)
    }

    public var name: String
    public var delimiter: Character = ";"
    /// `1.234,56` rather than `1,234.56`.
    public var decimalComma = false
    public var dateFormat = CSVDateFormat.dayMonthYear
    /// Lines before the first movement; the first of them is the header.
    public var headerLines = 1
    /// Text the header must contain for a file to be read with this layout.
    public var headerContains: String?
    /// The account of every row, when the export is of one account and does not repeat it.
    public var account: String?
    public var accountColumn: Column?
    public var date: Column
    public var valueDate: Column?
    public var amount: Amount
    public var causale: Column
    public var reference: Column?
    public var debtorName: Column?

    public init(name: String, date: Column, amount: Amount, causale: Column) {
        self.name = name
        self.date = date
        self.amount = amount
        self.causale = causale
    }

    /// Every column the layout uses, for checks and header matching.
    public var columns: [Column] {
        var columns = [date, causale] + [valueDate, reference, debtorName, accountColumn].compactMap { $0 }
        switch amount {
        case let .signed(column): columns.append(column)
        case let .withSign(column, sign, _): columns += [column, sign]
        case let .split(credit, debit): columns += [credit, debit]
        }
        return columns
    }
}
