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

    /// The path of folder `name`, created when first asked for.
    mutating func folder(_ name: String) throws -> String {
        let folder = root + "/" + name
        if folders.insert(folder).inserted {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return folder
    }

    mutating func write(_ name: String, _ bytes: [UInt8]) throws {
        let slash = name.lastIndex(of: "/") ?? name.startIndex
        let path = try folder(String(name[..<slash])) + (slash == name.startIndex ? "/" : "") + name[slash...]
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

/// Receipts as loose files under an inbox's `receipts/`, or packed in numbered ZIP archives there, as
/// an intermediary that collects a night's receipts from its stations would hand them over.
struct ReceiptOutput {
    private var files: DatasetFiles
    private let folder: String
    private let perArchive: Int
    private var archive: ZipWriter?
    private var inArchive = 0
    private var archives = 0

    init(files: DatasetFiles, folder: String, perArchive: Int) {
        self.files = files
        self.folder = folder
        self.perArchive = perArchive
    }

    mutating func add(_ name: String, _ text: String) throws {
        guard perArchive > 0 else { return try files.write(folder + "/" + name, text) }
        if archive == nil {
            archives += 1
            let path = try files.folder(folder)
            archive = try ZipWriter(path: path + "/receipts-" + String(archives).leftPadded(to: 4, with: "0") + ".zip")
        }
        try archive!.append(Array(text.utf8), as: name)
        inArchive += 1
        if inArchive == perArchive { try finish() }
    }

    /// Writes the archive being filled, if any.
    mutating func finish() throws {
        try archive?.close()
        archive = nil
        inArchive = 0
    }
}
