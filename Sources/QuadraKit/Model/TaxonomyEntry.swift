/// One row of the taxonomy table, valid for payments made from `validFrom` (inclusive) to `validTo` (exclusive).
public struct TaxonomyEntry: Sendable, Equatable {
    /// The bare code, e.g. `0101100IM`.
    public var code: String
    /// `VERSIONE TASSONOMIA`: the table's edition this row belongs to.
    public var version: String
    public var creditorType: String?
    public var creditorTypeName: String?
    public var macroAreaName: String?
    public var serviceTypeName: String?
    public var legalReason: String?
    public var serviceDescription: String?
    /// ISO dates converted from the table's month/day/year.
    public var validFrom: String
    public var validTo: String

    public init(code: String, version: String, validFrom: String, validTo: String) {
        self.code = code
        self.version = version
        self.validFrom = validFrom
        self.validTo = validTo
    }
}
