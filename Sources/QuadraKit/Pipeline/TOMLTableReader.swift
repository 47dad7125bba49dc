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

    mutating func optionalString(_ name: String) throws -> String? {
        guard let value = value(name) else { return nil }
        guard let text = value.string else { throw wrongType(name, value, "a string") }
        return text
    }

    mutating func bool(_ name: String) throws -> Bool? {
        guard let value = value(name) else { return nil }
        guard let flag = value.bool else { throw wrongType(name, value, "true or false") }
        return flag
    }

    mutating func int(_ name: String) throws -> Int? {
        guard let value = value(name) else { return nil }
        guard let number = value.int else { throw wrongType(name, value, "an integer") }
        return number
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
        guard let value = value(name) else { return [] }
        guard let array = value.array else { throw wrongType(name, value, "an array of strings") }
        return try array.enumerated().map { index, element in
            guard let text = element.string else {
                throw QuadraConfiguration.Failure(key: "\(path(name))[\(index)]", reason: "is a \(element.type), not a string")
            }
            return text
        }
    }

    mutating func table(_ name: String) throws -> TOMLTable? {
        guard let value = value(name) else { return nil }
        guard let table = value.table else { throw wrongType(name, value, "a table") }
        return table
    }

    /// An array of tables (`[[name]]`).
    mutating func tables(_ name: String) throws -> [TOMLTable] {
        guard let value = value(name) else { return [] }
        guard let array = value.array else { throw wrongType(name, value, "an array of tables ([[\(name)]])") }
        return try array.enumerated().map { index, element in
            guard let table = element.table else {
                throw QuadraConfiguration.Failure(key: "\(path(name))[\(index)]", reason: "is a \(element.type), not a table")
            }
            return table
        }
    }

    /// Refuses the first key of the table that was never asked for.
    func finish() throws {
        if let unknown = table.keys.sorted().first(where: { !used.contains($0) }) {
            throw QuadraConfiguration.Failure(key: path(unknown), reason: "unknown key")
        }
    }

    private func wrongType(_ name: String, _ value: TOMLValueConvertible, _ expected: String) -> QuadraConfiguration.Failure {
        QuadraConfiguration.Failure(key: path(name), reason: "is a \(value.type), not \(expected)")
    }
}
