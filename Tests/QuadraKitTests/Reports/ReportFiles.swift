import Crypto
import Foundation
@testable import QuadraKit

/// Reading report files back as a consumer would: inflated with the project's own inflater,
/// CSV parsed by python3's `csv` module, permissions from `stat`.
enum ReportFiles {
    static func inflate(_ url: URL) throws -> [UInt8] {
        let inflater = try GzipInflater()
        var out: [UInt8] = []
        try Array(try Data(contentsOf: url)).withUnsafeBytes { bytes in
            try inflater.inflate(bytes) { out.append(contentsOf: $0) }
        }
        try inflater.finish()
        return out
    }

    static func text(_ url: URL) throws -> String {
        String(decoding: try inflate(url), as: UTF8.self)
    }

    /// Rows as python3's `csv` reader sees them (a JSON array of arrays), header first.
    static func csvRows(_ url: URL) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import csv,gzip,json,sys; print(json.dumps(list(csv.reader(gzip.open(sys.argv[1], 'rt', encoding='utf-8', newline='')))))", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let rows = try JSONSerialization.jsonObject(with: data) as? [[String]] else {
            throw ReportError.io(path: url.path, reason: "python3 csv could not read it")
        }
        return rows
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    static func sha256s(in folder: URL) throws -> [String: String] {
        var digests: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            digests[name] = Array(try Data(contentsOf: folder.appendingPathComponent(name))).sha256Hex
        }
        return digests
    }
}

extension Array where Element == UInt8 {
    var sha256Hex: String {
        var hasher = Crypto.SHA256()
        hasher.update(data: self)
        return hasher.finalize().hexString
    }
}
