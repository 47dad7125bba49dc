/// A date layout such as `DD/MM/YYYY` or `YYYY-MM-DD`: `D`, `M` and `Y` runs are digits, anything
/// else must appear as written. Banks export dates in local forms; the store keeps ISO dates.
public struct CSVDateFormat: Sendable, Equatable, CustomStringConvertible {
    public static let dayMonthYear = CSVDateFormat(pattern: "DD/MM/YYYY")!

    public let pattern: String
    private let tokens: [Token]

    private enum Token: Equatable {
        case field(Character, width: Int)
        case literal(Character)
    }

    /// Nil unless the pattern has exactly one day (`DD`), month (`MM`) and year (`YYYY` or `YY`) field.
    public init?(pattern: String) {
        var tokens: [Token] = []
        for character in pattern {
            if "DMY".contains(character), case let .field(last, width)? = tokens.last, last == character {
                tokens[tokens.count - 1] = .field(character, width: width + 1)
            } else {
                tokens.append("DMY".contains(character) ? .field(character, width: 1) : .literal(character))
            }
        }
        let fields = tokens.compactMap { token -> String? in
            if case let .field(letter, width) = token { return String(repeating: letter, count: width) }
            return nil
        }
        guard fields.count == 3, fields.contains("DD"), fields.contains("MM"),
              fields.contains("YYYY") || fields.contains("YY") else { return nil }
        self.pattern = pattern
        self.tokens = tokens
    }

    public var description: String { pattern }

    /// The ISO `YYYY-MM-DD` form of `text`, nil if it does not follow the pattern or is no real date.
    /// Two-digit years are taken as 20YY: bank statements are recent.
    public func iso(_ text: String) -> String? {
        var characters = Substring(text)
        var values: [Character: Int] = [:]
        for token in tokens {
            switch token {
            case let .literal(expected):
                guard characters.first == expected else { return nil }
                characters = characters.dropFirst()
            case let .field(letter, width):
                let digits = characters.prefix(width)
                guard digits.count == width, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else { return nil }
                values[letter] = value
                characters = characters.dropFirst(width)
            }
        }
        guard characters.isEmpty, var year = values["Y"], let month = values["M"], let day = values["D"] else { return nil }
        if year < 100 { year += 2000 }
        return CivilDate(year: year, month: month, day: day)?.description
    }
}
