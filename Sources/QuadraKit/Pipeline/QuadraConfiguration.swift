import Foundation
import TOMLKit

/// What a run is configured with (`quadra.toml`): the creditors Quadra serves and the layouts of the
/// banks' CSV statements.
///
/// ```toml
/// [[creditor]]
/// fiscal_code = "80000000002"
/// name = "Comune di Esempio"
/// ibans = ["IT60X0542811101000000123456"]
/// opi_accounts = ["0000001"]
///
/// [[bank_csv]]
/// name = "home-banking"
/// decimal_comma = true
/// account = "IT60X0542811101000000123456"
/// columns = { date = "Data contabile", credit = "Avere", debit = "Dare", causale = "Descrizione" }
/// ```
///
/// Every key is checked at start-up: an unknown key or a bad value (a fiscal code or IBAN that
/// fails its check digits, a column named twice) stops the run with the key's full name, before
/// any document is read, since a wrong configuration would file credits under the wrong creditor.
public struct QuadraConfiguration: Sendable, Equatable {
    public static let defaultPath = "quadra.toml"

    public var creditors: [Creditor] = []
    public var bankCSVLayouts: [BankCSVLayout] = []
    /// `[pagopa]`: the APIs `quadra fetch` reads; nil when the section is absent.
    public var pagopa: PagoPAConfiguration?
    /// `[inbox]`: what proves the inbox is the real one and not an empty folder left by a failed mount.
    public var inbox = InboxCheck()
    /// `[reports] csv_dialect`: how the CSV reports are spelled (`machine` by default, or `excel-it`).
    public var csvDialect = CSVDialect.machine
    /// `[reports] language`: `it` (default) or `en`, for the discrepancies' description and action.
    public var reportLanguage = ReportLanguage.italian
    /// `[monitoring] silent_days`: working days without a source before `SOURCE_SILENT`; nil never.
    public var silentDays: Int?
    /// `[accounting]`: the metadata keys of capitolo, accertamento and ufficio, and the provvisori's deadline.
    public var accounting = AccountingConfiguration()

    public init(creditors: [Creditor] = [], bankCSVLayouts: [BankCSVLayout] = []) {
        self.creditors = creditors
        self.bankCSVLayouts = bankCSVLayouts
    }

    public var directory: CreditorDirectory { CreditorDirectory(creditors) }

    /// A configuration error: the key at fault (`creditor[1].ibans[0]`) and what is wrong with it.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var reason: String

        public var description: String { key.isEmpty ? reason : "\(key): \(reason)" }
    }

    /// Reads `path`; with no explicit path, `quadra.toml` if present, else an empty configuration —
    /// unless `required` (the nightly run): a night reconciled for no creditor would exit 0 with
    /// empty reports, so it is refused naming what is missing; so is a file that names no creditor
    /// (an empty file): the night served nobody and resolved every open discrepancy as green.
    public static func load(path: String?, required: Bool = false) throws -> QuadraConfiguration {
        let chosen = path ?? defaultPath
        guard FileManager.default.fileExists(atPath: chosen) else {
            if path == nil && required {
                throw Failure(key: "", reason: "no configuration: give --config FILE or put \(defaultPath) in the working folder, naming the creditors served")
            }
            if path == nil { return QuadraConfiguration() }
            throw Failure(key: "", reason: "the configuration file \(chosen) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: chosen) else {
            throw Failure(key: "", reason: "the configuration file \(chosen) cannot be read")
        }
        let configuration: QuadraConfiguration
        do {
            configuration = try parse(String(decoding: data, as: UTF8.self))
        } catch var failure as Failure {
            failure.reason += " (in \(chosen))"
            throw failure
        }
        if required && configuration.creditors.isEmpty {
            throw Failure(key: "creditor", reason: "\(chosen) names no [[creditor]]: a night must serve at least one")
        }
        return configuration
    }

    public static func parse(_ text: String) throws -> QuadraConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Failure(key: "", reason: "not valid TOML: \(error.description) at line \(error.source.begin.line)")
        }
        var reader = TOMLTableReader(table, key: "")
        var configuration = QuadraConfiguration()
        for (index, creditor) in try reader.tables("creditor").enumerated() {
            configuration.creditors.append(try readCreditor(creditor, key: "creditor[\(index)]"))
        }
        for (index, layout) in try reader.tables("bank_csv").enumerated() {
            configuration.bankCSVLayouts.append(try readLayout(layout, key: "bank_csv[\(index)]"))
        }
        configuration.pagopa = try readPagoPA(&reader)
        configuration.accounting = try readAccounting(&reader)
        if let inbox = try reader.table("inbox") {
            var section = TOMLTableReader(inbox, key: "inbox")
            configuration.inbox.requireMount = try section.bool("require_mount") ?? false
            configuration.inbox.sentinel = try section.optionalString("sentinel")
            if let sentinel = configuration.inbox.sentinel, sentinel.isEmpty || sentinel.contains("/") || sentinel == "." || sentinel == ".." {
                throw Failure(key: "inbox.sentinel", reason: "'\(sentinel)' is not a plain file name")
            }
            try section.finish()
        }
        if let reports = try reader.table("reports") {
            var section = TOMLTableReader(reports, key: "reports")
            if let name = try section.optionalString("csv_dialect") {
                guard let dialect = CSVDialect(rawValue: name) else {
                    throw Failure(key: "reports.csv_dialect", reason: "'\(name)' is none of \(CSVDialect.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                configuration.csvDialect = dialect
            }
            if let name = try section.optionalString("language") {
                guard let language = ReportLanguage(rawValue: name) else {
                    throw Failure(key: "reports.language", reason: "'\(name)' is none of \(ReportLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                configuration.reportLanguage = language
            }
            try section.finish()
        }
        if let monitoring = try reader.table("monitoring") {
            var section = TOMLTableReader(monitoring, key: "monitoring")
            configuration.silentDays = try section.int("silent_days")
            if let days = configuration.silentDays, !(1...366).contains(days) {
                throw Failure(key: "monitoring.silent_days", reason: "\(days) is not a number of working days from 1 to 366")
            }
            try section.finish()
        }
        try reader.finish()
        try checkDistinct(configuration)
        return configuration
    }

    private static func readCreditor(_ table: TOMLTable, key: String) throws -> Creditor {
        var reader = TOMLTableReader(table, key: key)
        let fiscalCode = try reader.string("fiscal_code")
        guard FiscalCode.isValidOrganization(fiscalCode) else {
            throw Failure(key: "\(key).fiscal_code", reason: "'\(fiscalCode)' is not an 11-digit fiscal code with a valid check digit")
        }
        var creditor = Creditor(fiscalCode: fiscalCode, name: try reader.string("name"))
        for (index, iban) in try reader.strings("ibans").enumerated() {
            creditor.ibans.append(try checkedIBAN(iban, key: "\(key).ibans[\(index)]"))
        }
        creditor.opiAccounts = try reader.strings("opi_accounts")
        for (index, account) in creditor.opiAccounts.enumerated() where account.isEmpty || account.count > 25 {
            throw Failure(key: "\(key).opi_accounts[\(index)]", reason: "'\(account)' is not a conto_evidenza code (1 to 25 characters)")
        }
        creditor.expectsPositions = try reader.bool("expects_positions") ?? true
        creditor.expectsTreasury = try reader.bool("expects_treasury") ?? true
        try reader.finish()
        return creditor
    }

    /// The IBAN in electronic form; the error says whether only the check digits are wrong.
    static func checkedIBAN(_ text: String, key: String) throws -> String {
        let iban = IBAN.normalized(text)
        guard !IBAN.isValid(iban) else { return iban }
        if iban.count > 4 {
            let body = iban.dropFirst(4)
            let country = iban.prefix(2)
            if let right = (0...99).lazy.map({ $0 < 10 ? "0\($0)" : "\($0)" }).first(where: { IBAN.isValid(country + $0 + body) }) {
                throw Failure(key: key, reason: "\(text) has wrong check digits (\(right) would be right)")
            }
        }
        throw Failure(key: key, reason: "\(text) is not an IBAN (country, length or characters)")
    }

    private static func checkDistinct(_ configuration: QuadraConfiguration) throws {
        var fiscalCodes: [String: Int] = [:]
        var ibans: [String: String] = [:]
        for (index, creditor) in configuration.creditors.enumerated() {
            if let first = fiscalCodes.updateValue(index, forKey: creditor.fiscalCode) {
                throw Failure(key: "creditor[\(index)].fiscal_code", reason: "\(creditor.fiscalCode) is already creditor[\(first)]")
            }
            for (ibanIndex, iban) in creditor.ibans.enumerated() {
                if let owner = ibans.updateValue(creditor.fiscalCode, forKey: iban) {
                    throw Failure(key: "creditor[\(index)].ibans[\(ibanIndex)]", reason: "\(iban) is already listed for \(owner)")
                }
            }
        }
    }
}
