import Foundation

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
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw InputError.io(path: path, reason: "cannot be written")
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
