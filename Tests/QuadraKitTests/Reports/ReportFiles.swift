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
        let script = "import csv,gzip,json,sys; print(json.dumps(list(csv.reader(gzip.open(sys.argv[1], 'rt', encoding='utf-8', newline='')))))"
        let python = try execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, url.path])
        guard python.status == 0, let rows = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [[String]] else {
            throw ReportError.io(path: url.path, reason: "python3 csv could not read it: \(python.stderr)")
        }
        return rows
    }

    /// Runs a program to its end: exit status, standard output and standard error.
    static func execute(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        (process.standardOutput, process.standardError) = (output, errors)
        try process.run()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    /// Every file's SHA-256 by its path below `folder` (`summary.html`, `80000000002/summary.html`).
    static func sha256s(in folder: URL) throws -> [String: String] {
        var digests: [String: String] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            digests[name] = Array(try Data(contentsOf: url)).sha256Hex
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
