import TOMLKit

/// Reads one TOML table key by key, remembering which keys were used so that the rest can be
/// refused as unknown: a misspelt key must not be silently ignored.
struct TOMLTableReader {
    private let table: TOMLTable
    private let key: String
    private var used: Set<String> = []

    init(_ table: TOMLTable, key: String) {
        self.table = table
        self.key = key
    }

    func path(_ name: String) -> String { key.isEmpty ? name : "\(key).\(name)" }

    private mutating func value(_ name: String) -> TOMLValueConvertible? {
        used.insert(name)
        return table[name]
    }

    mutating func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else { throw QuadraConfiguration.Failure(key: path(name), reason: "is missing") }
        return value
    }

    mutating func optionalString(_ name: String) throws -> String? { try typed(name, "a string") { $0.string } }

    mutating func bool(_ name: String) throws -> Bool? { try typed(name, "true or false") { $0.bool } }

    mutating func int(_ name: String) throws -> Int? { try typed(name, "an integer") { $0.int } }

    mutating func table(_ name: String) throws -> TOMLTable? { try typed(name, "a table") { $0.table } }

    /// The value of `name` converted, nil when absent, an error naming the key when of another type.
    private mutating func typed<T>(_ name: String, _ expected: String, _ convert: (TOMLValueConvertible) -> T?) throws -> T? {
        guard let value = value(name) else { return nil }
        guard let converted = convert(value) else { throw wrongType(name, value, expected) }
        return converted
    }

    /// A string or a 1-based column position.
    mutating func stringOrInt(_ name: String) throws -> Either? {
        guard let value = value(name) else { return nil }
        if let text = value.string { return .string(text) }
        if let number = value.int { return .int(number) }
        throw wrongType(name, value, "a column name (string) or position (integer)")
    }

    enum Either { case string(String), int(Int) }

    mutating func strings(_ name: String) throws -> [String] {
        try array(name, of: "an array of strings", element: "a string") { $0.string }
    }

    /// An array of tables (`[[name]]`).
    mutating func tables(_ name: String) throws -> [TOMLTable] {
        try array(name, of: "an array of tables ([[\(name)]])", element: "a table") { $0.table }
    }

    /// An array whose every element converts; an element that does not is named by its index.
    private mutating func array<T>(_ name: String, of expected: String, element: String,
                                   _ convert: (TOMLValueConvertible) -> T?) throws -> [T] {
        guard let array = try typed(name, expected, { $0.array }) else { return [] }
        return try array.enumerated().map { index, item in
            guard let converted = convert(item) else {
                throw QuadraConfiguration.Failure(key: "\(path(name))[\(index)]", reason: "is \(Self.described(item)), not \(element)")
            }
            return converted
        }
    }

    /// Refuses the first key of the table that was never asked for.
    func finish() throws {
        if let unknown = table.keys.sorted().first(where: { !used.contains($0) }) {
            throw QuadraConfiguration.Failure(key: path(unknown), reason: "unknown key")
        }
    }

    private func wrongType(_ name: String, _ value: TOMLValueConvertible, _ expected: String) -> QuadraConfiguration.Failure {
        QuadraConfiguration.Failure(key: path(name), reason: "is \(Self.described(value)), not \(expected)")
    }

    /// "a string", "an integer": the TOML type of a value, for messages.
    private static func described(_ value: TOMLValueConvertible) -> String {
        let name = "\(value.type)"
        return ("aeiou".contains(name.prefix(1)) ? "an " : "a ") + name
    }
}
