/// `manifest.json`: what a night's reports hold and how to check them, deterministic for the same
/// store and as-of date (no clock, no timings; keys sorted by the encoder).
public struct ReportManifest: Sendable, Codable, Equatable {
    /// A document the run read, as the ledger filed it.
    public struct Document: Sendable, Codable, Equatable {
        public var path: String
        public var kind: String
        public var sha256: String
        public var outcome: String
    }

    /// A report file as it landed.
    public struct File: Sendable, Codable, Equatable {
        public var name: String
        public var size: Int
        public var sha256: String
    }

    public var asOf: String
    public var quadraVersion: String
    /// SHA-256 of the configuration file's bytes; absent when none was read.
    public var configurationDigest: String?
    /// The documents this run read, as the ledger filed them (empty for `quadra report` alone).
    public var documents: [Document] = []
    public var keysByLabel: [String: Int] = [:]
    public var keysByState: [String: Int] = [:]
    /// Receipt amounts summed per key state.
    public var amountCentsByState: [String: Int64] = [:]
    public var discrepanciesByCode: [String: Int] = [:]
    public var discrepanciesByStatus: [String: Int] = [:]
    public var files: [File] = []

    public init(asOf: String, quadraVersion: String, configurationDigest: String?) {
        self.asOf = asOf
        self.quadraVersion = quadraVersion
        self.configurationDigest = configurationDigest
    }
}
