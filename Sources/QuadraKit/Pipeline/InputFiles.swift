#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The files named on a command line: files as given, folders walked recursively, in a stable
/// sorted order so two runs over the same inbox read documents in the same order. A ZIP archive
/// (told by its first bytes, whatever its name) is not a document: each regular entry of it is one,
/// listed in the archive's own order.
///
/// Folders are walked with `readdir` and `lstat`: an inbox of a million receipts is listed in
/// about a second, where FileManager's enumerator takes many. Each entry of an archive keeps where
/// its bytes lie, so no entry is looked up by name later.
enum InputFiles {
    struct File: Sendable {
        var input: InputFile
        /// Bytes on disk, or the inflated size a ZIP entry declares.
        var size: Int
        var path: String { input.path }
    }

    /// The documents to read, the entries passed over with the reason, for the log, and the ZIP
    /// archives the documents came from, which are archived whole.
    ///
    /// Iterating gives the documents in order; an archive's entries are read from its central
    /// directory again when the iteration reaches it, so the documents of a night are never all in
    /// memory at once (a million ZIP entries held as a list, and again as batches, took about
    /// 250 MB).
    struct Listing: Sequence {
        var cutoff: Int?
        /// Files (and unreadable archives) and ZIP archives, in reading order.
        fileprivate var sources: [Source] = []
        /// How many documents iterating gives.
        var count = 0
        var passedOver: [String] = []
        var archives: [String] = []
        /// Files modified too recently to be whole: left for the next run (`--settle`).
        var waiting: [String] = []

        fileprivate enum Source {
            case document(File)
            case archive(path: String, size: Int)
        }

        func makeIterator() -> Documents { Documents(sources: sources.makeIterator()) }
    }

    /// The documents of a listing, one archive's entries in memory at a time.
    struct Documents: IteratorProtocol {
        fileprivate var sources: IndexingIterator<[Listing.Source]>
        private var entries: IndexingIterator<[File]> = [File]().makeIterator()

        fileprivate init(sources: IndexingIterator<[Listing.Source]>) {
            self.sources = sources
        }

        mutating func next() -> File? {
            while true {
                if let file = entries.next() { return file }
                switch sources.next() {
                case nil: return nil
                case let .document(file): return file
                case let .archive(path, size): entries = InputFiles.documents(inArchive: path, size: size).files.makeIterator()
                }
            }
        }
    }

    /// Hidden entries (`.DS_Store`, editors' swap files) are not documents and are passed over, and
    /// so are symbolic links and special files inside folders, which could lead outside the inbox;
    /// each is named in `passedOver`, never dropped unseen.
    ///
    /// A file (or ZIP archive) modified at or after `modifiedBefore` (seconds since the epoch) may
    /// still be being copied in: it is listed as `waiting`, not read, since a half-copied document
    /// would be rejected and, with `--archive`, moved out of the inbox.
    static func list(_ paths: [String], modifiedBefore cutoff: Int? = nil) throws -> Listing {
        var listing = Listing(cutoff: cutoff)
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &listing)
            } else {
                add(path, info, into: &listing)
            }
        }
        return listing
    }

    private static func walk(_ folder: String, into listing: inout Listing) throws {
        guard let directory = opendir(folder) else { throw InputError.io(path: folder, reason: String(cString: strerror(errno))) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if name.hasPrefix(".") {
                listing.passedOver.append("\(path): hidden")
                continue
            }
            var info = stat()
            guard lstat(path, &info) == 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, into: &listing)
            case S_IFREG: add(path, info, into: &listing)
            case S_IFLNK: listing.passedOver.append("\(path): symbolic link (name the target itself to read it)")
            default: listing.passedOver.append("\(path): not a regular file")
            }
        }
    }

    private static func add(_ path: String, _ info: stat, into listing: inout Listing) {
        if let cutoff = listing.cutoff, Int(info.st_mtim.tv_sec) >= cutoff {
            listing.waiting.append(path)
            return
        }
        let size = Int(info.st_size)
        guard isZip(path) else {
            listing.sources.append(.document(File(input: InputFile(path: path), size: size)))
            listing.count += 1
            return
        }
        listing.archives.append(path)
        let (files, passedOver) = documents(inArchive: path, size: size)
        listing.count += files.count
        listing.passedOver += passedOver
        listing.sources.append(.archive(path: path, size: size))
    }

    /// The documents of an archive, and the entries passed over with the reason; an archive whose
    /// central directory cannot be read is one document, refused when read.
    fileprivate static func documents(inArchive path: String, size: Int) -> (files: [File], passedOver: [String]) {
        let entries: [ZipEntry]
        do {
            entries = try ZipDirectory.entries(of: path)
        } catch {
            return ([File(input: InputFile(unreadableArchive: path, error: error), size: size)], [])
        }
        var files: [File] = []
        var passedOver: [String] = []
        for entry in entries {
            if let reason = passOverReason(entry) {
                passedOver.append("\(path)/\(entry.name): \(reason)")
            } else {
                files.append(File(input: InputFile(entry: entry, in: path), size: Int(clamping: entry.uncompressedSize)))
            }
        }
        return (files, passedOver)
    }

    /// Whether the file begins with a ZIP signature: a local file header (`PK\u{3}\u{4}`) or, for an
    /// empty archive, the end of central directory (`PK\u{5}\u{6}`). A file that cannot be opened is
    /// listed as a document, whose reading then reports why.
    private static func isZip(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard read(fd, &magic, 4) == 4 else { return false }
        return magic[0] == 0x50 && magic[1] == 0x4B && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))
    }

    /// Why an entry of an archive is not a document, or nil when it is one. An encrypted entry is
    /// a document that cannot be read: it is refused with its reason, not passed over.
    private static func passOverReason(_ entry: ZipEntry) -> String? {
        let components = entry.name.split(separator: "/")
        if components.first == "__MACOSX" { return "macOS metadata" }
        if components.contains(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." }) { return "hidden" }
        switch entry.kind {
        case .directory: return "directory"
        case .symbolicLink: return "symbolic link"
        case .file: break
        }
        if entry.name.lowercased().hasSuffix(".zip") { return "ZIP inside a ZIP (not opened: extract it to read it)" }
        return nil
    }

    /// The nearest folder above `path` named by an 11-digit creditor fiscal code, if any.
    static func creditorFolder(of path: String) -> String? {
        path.split(separator: "/").dropLast().reversed().lazy.map(String.init).first(where: FiscalCode.hasOrganizationShape)
    }
}
