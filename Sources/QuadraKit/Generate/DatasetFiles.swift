import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files of a generated dataset, under one root folder; names are the generator's own, never read
/// from input.
struct DatasetFiles {
    let root: String
    private var folders = Set<String>()

    init(root: String) {
        self.root = root
    }

    mutating func write(_ name: String, _ text: String) throws {
        try write(name, Array(text.utf8))
    }

    mutating func write(_ name: String, _ bytes: [UInt8]) throws {
        let path = root + "/" + name
        let folder = String(path[..<path.lastIndex(of: "/")!])
        if folders.insert(folder).inserted {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        // Plain write(2): FileManager's atomic write costs a rename and a sync per file, and a
        // dataset is a million files that nobody reads before the generator has finished.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            written += count
        }
    }
}

/// Receipts as loose files under `inbox/receipts/`, or packed in numbered ZIP archives there.
struct ReceiptOutput {
    private var files: DatasetFiles
    private let perArchive: Int

    init(files: DatasetFiles, perArchive: Int) throws {
        self.files = files
        self.perArchive = perArchive
    }

    mutating func add(_ name: String, _ text: String) throws {
        try files.write("inbox/receipts/" + name, text)
    }

    func finish() throws {}
}
