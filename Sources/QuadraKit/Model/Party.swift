/// A debtor or payer as pagoPA names them (`ctSubject`): personal data, masked in reports.
public struct Party: Sendable, Equatable {
    /// `F` for a natural person, `G` for a legal person (`entityUniqueIdentifierType`).
    public var kind: String
    /// Fiscal code or VAT number (`entityUniqueIdentifierValue`).
    public var identifier: String
    public var fullName: String?

    public init(kind: String, identifier: String, fullName: String?) {
        self.kind = kind
        self.identifier = identifier
        self.fullName = fullName
    }
}

/// One `mapEntry` of the `metadata` lists receipts and positions carry (accounting codes, mostly).
public struct MetadataEntry: Sendable, Equatable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
