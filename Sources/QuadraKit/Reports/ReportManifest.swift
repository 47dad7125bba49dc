import Foundation

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
    /// In a creditor's folder: whose files these are.
    public var creditor: ServedCreditor?
    /// In the intermediary-wide folder: the creditors with a folder of their own beside it.
    public var creditors: [ServedCreditor]?

    public init(asOf: String, quadraVersion: String, configurationDigest: String?) {
        self.asOf = asOf
        self.quadraVersion = quadraVersion
        self.configurationDigest = configurationDigest
    }

    /// The documents listed by the manifest already in `folder` (an earlier run of the same as-of
    /// date), followed by `documents` not already listed: a same-day rerun adds to the night's list
    /// instead of dropping what the first run read. None when there is no readable manifest.
    public static func documents(_ documents: [Document], after folder: String) -> [Document] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("manifest.json")),
              let earlier = try? decoder.decode(ReportManifest.self, from: data).documents else { return documents }
        let listed = Set(earlier.map { [$0.path, $0.sha256] })
        return earlier + documents.filter { !listed.contains([$0.path, $0.sha256]) }
    }
}
