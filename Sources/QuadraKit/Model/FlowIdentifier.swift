/// The rule for flow ids: `<settlement date YYYY-MM-DD><PSP id>-<unique part>`, e.g.
/// `2025-03-1860000000001-S459321233`; the same id is printed in the credit's causale.
public enum FlowIdentifier {
    /// What is wrong with a flow id, or nil when it follows the rule.
    public static func problem(_ id: String, pspId: String, settlementDate: String?) -> String? {
        guard id.utf8.count >= 12, let date = CivilDate(iso: String(id.prefix(10))) else {
            return "flow id \(id) does not start with a date YYYY-MM-DD"
        }
        let rest = id.dropFirst(10)
        guard rest.hasPrefix(pspId + "-"), rest.count > pspId.count + 1 else {
            return "flow id \(id) does not continue with the PSP id \(pspId) and '-'"
        }
        if let settlementDate, settlementDate != date.description {
            return "flow id \(id) is dated \(date) but the settlement date is \(settlementDate)"
        }
        return nil
    }
}
