import Foundation

/// Reads the official taxonomy table ("Tassonomia dei servizi di incasso"), from the JSON export or
/// the `;`-separated CSV, into entries with ISO validity dates.
///
/// The code is taken from "DATI SPECIFICI DI INCASSO" (the live service spells it "DATI SPECIFICI
/// INCASSO"), never rebuilt from the numeric columns, which lose leading zeros in the CSV. Column
/// names are matched without `#` prefixes and date-format suffixes, as the CSV header carries them.
enum TaxonomyReader {
    static func recognizesJSON(_ shape: JSONShape.Keys) -> Bool {
        shape.isArray && (shape.keys.contains("DATI SPECIFICI DI INCASSO") || shape.keys.contains("DATI SPECIFICI INCASSO"))
    }

    static func recognizesCSV(_ bytes: [UInt8]) -> Bool {
        let firstLine = bytes.prefix(4096).split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? []
        let header = String(decoding: firstLine, as: UTF8.self).uppercased()
        return header.contains(";") && header.contains("DATI SPECIFICI") && header.contains("VALIDITA")
    }

    static func readJSON(_ bytes: [UInt8]) throws -> ParsedContent {
        let rows: [[String: String]]
        do {
            rows = try JSONDecoder().decode([[String: String]].self, from: Data(bytes))
        } catch {
            throw DocumentRejection(reason: "not a taxonomy JSON table: \(JSONErrors.describe(error))")
        }
        return entries(rows.enumerated().map { (location: "[\($0)]", fields: $1) })
    }

    static func readCSV(_ bytes: [UInt8]) throws -> ParsedContent {
        let records = SemicolonCSV.records(String(decoding: bytes, as: UTF8.self))
        guard let header = records.first else { throw DocumentRejection(reason: "empty taxonomy CSV") }
        let names = header.fields.map(normalizedColumn)
        var rows: [(location: String, fields: [String: String])] = []
        for record in records.dropFirst() where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            guard record.fields.count == names.count else {
                rows.append((location: "line \(record.line)", fields: ["": "has \(record.fields.count) columns, the header \(names.count)"]))
                continue
            }
            rows.append((location: "line \(record.line)", fields: Dictionary(zip(names, record.fields), uniquingKeysWith: { first, _ in first })))
        }
        return entries(rows)
    }

    private static func normalizedColumn(_ name: String) -> String {
        var text = name.trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("#") { text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces) }
        if let parenthesis = text.firstIndex(of: "(") { text = text[..<parenthesis].trimmingCharacters(in: .whitespaces) }
        return text.uppercased()
    }

    private static func entries(_ rows: [(location: String, fields: [String: String])]) -> ParsedContent {
        var entries: [TaxonomyEntry] = []
        var quarantined: [DocumentRejection] = []
        for row in rows {
            let fields = Dictionary(row.fields.map { (normalizedColumn($0.key), $0.value.trimmingCharacters(in: .whitespaces)) },
                                    uniquingKeysWith: { first, _ in first })
            do {
                entries.append(try entry(fields))
            } catch {
                var rejection = error as? DocumentRejection ?? DocumentRejection(reason: "\(error)")
                rejection.element = row.location
                quarantined.append(rejection)
            }
        }
        return .taxonomy(entries, quarantined: quarantined)
    }

    private static func entry(_ fields: [String: String]) throws -> TaxonomyEntry {
        if let problem = fields[""] { throw DocumentRejection(reason: problem) }
        guard let wrapped = fields["DATI SPECIFICI DI INCASSO"] ?? fields["DATI SPECIFICI INCASSO"] else {
            throw DocumentRejection(reason: "DATI SPECIFICI DI INCASSO is missing")
        }
        guard let code = TaxonomyCode.normalize(wrapped) else { throw DocumentRejection(reason: "'\(wrapped)' is not a taxonomy code") }
        guard let version = fields["VERSIONE TASSONOMIA"], !version.isEmpty else { throw DocumentRejection(reason: "VERSIONE TASSONOMIA is missing") }
        let from = try isoDate(fields["DATA INIZIO VALIDITA"], column: "DATA INIZIO VALIDITA")
        let to = try isoDate(fields["DATA FINE VALIDITA"], column: "DATA FINE VALIDITA")
        guard from < to else { throw DocumentRejection(reason: "validity ends (\(to)) before it starts (\(from))") }
        var entry = TaxonomyEntry(code: code, version: version, validFrom: from, validTo: to)
        entry.creditorType = fields["CODICE TIPO ENTE CREDITORE"]
        entry.creditorTypeName = fields["TIPO ENTE CREDITORE"]
        entry.macroAreaName = fields["NOME MACRO AREA"]
        entry.serviceTypeName = fields["TIPO SERVIZIO"]
        entry.legalReason = fields["MOTIVO GIURIDICO DELLA RISCOSSIONE"]
        entry.serviceDescription = fields["DESCRIZIONE TIPO SERVIZIO"]
        return entry
    }

    /// The table writes dates month/day/year (`mm/gg/aaaa`).
    private static func isoDate(_ text: String?, column: String) throws -> String {
        guard let text, !text.isEmpty else { throw DocumentRejection(reason: "\(column) is missing") }
        let parts = text.split(separator: "/")
        guard parts.count == 3, parts[2].count == 4, let month = Int(parts[0]), let day = Int(parts[1]) else {
            throw DocumentRejection(reason: "\(column) '\(text)' is not a month/day/year date")
        }
        let iso = "\(parts[2])-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        guard ISODate.matches(iso, .date) else { throw DocumentRejection(reason: "\(column) '\(text)' is not a real month/day/year date") }
        return iso
    }
}
