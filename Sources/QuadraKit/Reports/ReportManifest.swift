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
    /// The rows of tonight's classification, flows and treasury files by what happened to them
    /// (`new`, `changed`, `open`; empty in a full listing for what closed before tonight). Optional
    /// only so that a manifest written before they were counted still reads.
    public var keysByChange: [String: Int]?
    public var flowsByChange: [String: Int]?
    public var movementsByChange: [String: Int]?
    /// How the files are spelled (`[reports] csv_dialect` and `language`), so that `quadra report` run
    /// again without the configuration writes the same bytes. Optional only for manifests written
    /// before they were kept.
    public var csvDialect: String?
    public var language: String?
    /// The `[accounting]` metadata keys `reversali.csv.gz` was split by, for the same reason.
    public var capitoloKey: String?
    public var accertamentoKey: String?
    public var ufficioKey: String?
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

    /// The manifest already in `folder`, if one reads.
    public static func read(in folder: String) -> ReportManifest? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("manifest.json"))
            .flatMap { try? decoder.decode(ReportManifest.self, from: $0) }
    }

    /// The documents a run read, produced while `manifest.json` is written: a night of a million
    /// documents is read back from the ingest's spool (`OutcomeLog`) rather than held as a list.
    public struct DocumentList: Sendable {
        let produce: @Sendable (_ body: (Document) throws -> Void) throws -> Void

        public init(_ produce: @escaping @Sendable (_ body: (Document) throws -> Void) throws -> Void) {
            self.produce = produce
        }

        public static let none = DocumentList { _ in }

        /// The documents listed by the manifest already in `folder` (an earlier run of the same as-of
        /// date), followed by these not already listed: a same-day rerun adds to the night's list
        /// instead of dropping what the first run read. These alone when there is no readable manifest.
        public func after(_ folder: String) -> DocumentList {
            guard let earlier = ReportManifest.read(in: folder)?.documents else { return self }
            let listed = Set(earlier.map { [$0.path, $0.sha256] })
            return DocumentList { body in
                for document in earlier { try body(document) }
                try produce { document in
                    if !listed.contains([document.path, document.sha256]) { try body(document) }
                }
            }
        }
    }

    /// The manifest as `JSONEncoder.report` writes it, with `documents` streamed into its place: each
    /// document is written in the encoder's own layout (four keys, sorted, at the array's indentation),
    /// so the file reads back as if the whole list had been encoded at once.
    func write(documents: DocumentList, to out: AtomicFile) throws {
        var manifest = self
        manifest.documents = []
        let whole = try JSONEncoder.report.encode(manifest)
        let marker = Array("\n  \"documents\" : [".utf8)
        let bytes = Array(whole)
        guard let start = bytes.firstRange(of: marker)?.upperBound,
              let close = bytes[start...].firstIndex(of: UInt8(ascii: "]")) else {
            throw ReportError.io(path: out.path, reason: "the manifest has no document list to fill")
        }
        var buffer = Array(bytes[..<start])
        var first = true
        try documents.produce { document in
            buffer.append(contentsOf: (first ? "\n" : ",\n").utf8)
            first = false
            buffer.append(contentsOf: "    {\n      \"kind\" : ".utf8)
            try Self.appendJSON(document.kind, to: &buffer)
            buffer.append(contentsOf: ",\n      \"outcome\" : ".utf8)
            try Self.appendJSON(document.outcome, to: &buffer)
            buffer.append(contentsOf: ",\n      \"path\" : ".utf8)
            try Self.appendJSON(document.path, to: &buffer)
            buffer.append(contentsOf: ",\n      \"sha256\" : ".utf8)
            try Self.appendJSON(document.sha256, to: &buffer)
            buffer.append(contentsOf: "\n    }".utf8)
            if buffer.count >= 1 << 16 {
                try out.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: (first ? "\n\n  " : "\n  ").utf8)
        buffer.append(contentsOf: bytes[close...])
        buffer.append(UInt8(ascii: "\n"))
        try out.write(buffer)
    }

    /// A JSON string as the encoder writes it: printable ASCII but `"` and `\\` as it is (the common
    /// case, a path or a hash), anything else through the encoder itself.
    private static func appendJSON(_ text: String, to buffer: inout [UInt8]) throws {
        var text = text
        let plain = text.withUTF8 { utf8 in
            utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard plain else { return buffer.append(contentsOf: try JSONEncoder.report.encode(text)) }
        buffer.append(UInt8(ascii: "\""))
        text.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
    }
}
