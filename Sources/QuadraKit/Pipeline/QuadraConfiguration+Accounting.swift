/// The `[accounting]` section: which GPD transfer metadata keys carry the ente's *capitolo*,
/// *accertamento* and *ufficio* (each ente names them its own way), so reversali.csv.gz can split a
/// provvisorio the way the ragioneria books it; and how long a provvisorio may wait for its reversale.
///
/// ```toml
/// [accounting]
/// capitolo_key = "CAPITOLO"
/// accertamento_key = "ACCERTAMENTO"
/// ufficio_key = "UFFICIO"
/// regularise_working_days = 30   # PROVVISORIO_NON_REGOLARIZZATO after this many working days
/// ```
public struct AccountingConfiguration: Sendable, Equatable {
    public var capitoloKey: String?
    public var accertamentoKey: String?
    public var ufficioKey: String?
    public var regulariseWorkingDays = ProvvisorioRules().regulariseWorkingDays

    public init(capitoloKey: String? = nil, accertamentoKey: String? = nil, ufficioKey: String? = nil) {
        self.capitoloKey = capitoloKey
        self.accertamentoKey = accertamentoKey
        self.ufficioKey = ufficioKey
    }
}

extension QuadraConfiguration {
    static func readAccounting(_ reader: inout TOMLTableReader) throws -> AccountingConfiguration {
        var accounting = AccountingConfiguration()
        guard let table = try reader.table("accounting") else { return accounting }
        var section = TOMLTableReader(table, key: "accounting")
        func key(_ name: String) throws -> String? {
            guard let key = try section.optionalString(name) else { return nil }
            guard !key.isEmpty, key.count <= 140 else {
                throw Failure(key: "accounting.\(name)", reason: "'\(key)' is not a metadata key (1 to 140 characters)")
            }
            return key
        }
        accounting.capitoloKey = try key("capitolo_key")
        accounting.accertamentoKey = try key("accertamento_key")
        accounting.ufficioKey = try key("ufficio_key")
        if let days = try section.int("regularise_working_days") {
            guard (1...366).contains(days) else {
                throw Failure(key: "accounting.regularise_working_days", reason: "\(days) is not a number of working days from 1 to 366")
            }
            accounting.regulariseWorkingDays = days
        }
        try section.finish()
        return accounting
    }
}
