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

    /// How many documents the paths hold, the entries passed over with the reason, for the log,
    /// the ZIP archives the documents come from, which are archived whole, and the files left for
    /// the next run.
    ///
    /// The documents themselves are not held: `documents()` walks the paths again and reads each
    /// archive's central directory again when it reaches it, so the documents of a night are never
    /// all in memory at once (a million ZIP entries held as a list, and again as batches, took about
    /// 250 MB; loose files cost as much).
    struct Listing {
        fileprivate let paths: [String]
        let cutoff: Range<Int>?
        /// How many documents `documents()` gives, unless the inbox changes in between.
        var count = 0
        var passedOver: [String] = []
        var archives: [String] = []
        /// Files modified too recently to be whole: left for the next run (`--settle`).
        var waiting: [String] = []

        /// The walk again, told which files are archives by the listing rather than by opening each
        /// file once more (an inbox of 10,000 loose receipts: 37,203 `open`s, 35,666 `read`s and 37,130
        /// `close`s, now 25,349, 23,812 and 25,276, on the thread that also hands batches to the
        /// parsers). What it reads then agrees with what the listing counted and archives.
        func documents() -> Documents { Documents(walk: Walk(paths: paths, cutoff: cutoff, archives: Set(archives))) }
    }

    /// The documents of a listing in order, with one folder's names per level and one archive's
    /// entries in memory. What cannot be read any more (a path named on the command line and gone
    /// since the listing, an entry vanishing while its folder is read) comes as a document whose
    /// reading says why.
    struct Documents {
        fileprivate var walk: Walk
        private var entries: IndexingIterator<[File]> = [File]().makeIterator()

        fileprivate init(walk: Walk) {
            self.walk = walk
        }

        mutating func next() -> File? {
            while true {
                if let file = entries.next() { return file }
                let found: Found?
                do {
                    found = try walk.next()
                } catch {
                    return File(input: InputFile(unreadable: error.path, error: error.inputError), size: 0)
                }
                switch found {
                case nil: return nil
                case let .document(file): return file
                case let .archive(path, size): entries = InputFiles.documents(inArchive: path, size: size).files.makeIterator()
                case .waiting, .passedOver: continue
                }
            }
        }
    }

    /// Hidden entries (`.DS_Store`, editors' swap files) are not documents and are passed over, and
    /// so are symbolic links and special files inside folders, which could lead outside the inbox;
    /// each is named in `passedOver`, never dropped unseen.
    ///
    /// A file (or ZIP archive) modified within `settling` (seconds since the epoch: the settle time
    /// either side of now) may still be being copied in: it is listed as `waiting`, not read, since a
    /// half-copied document would be rejected and, with `--archive`, moved out of the inbox. One dated
    /// further ahead is no copy in progress but a clock or a tool's date: it is read, where it waited
    /// for ever, every night saying it was modified less than a minute ago.
    static func list(_ paths: [String], settling cutoff: Range<Int>? = nil) throws(InputError) -> Listing {
        var listing = Listing(paths: paths, cutoff: cutoff)
        var walk = Walk(paths: paths, cutoff: cutoff)
        do {
            while let found = try walk.next() {
                switch found {
                case .document:
                    listing.count += 1
                case let .archive(path, size):
                    listing.archives.append(path)
                    let (files, passedOver) = documents(inArchive: path, size: size)
                    listing.count += files.count
                    listing.passedOver += passedOver
                case let .waiting(path):
                    listing.waiting.append(path)
                case let .passedOver(entry):
                    listing.passedOver.append(entry)
                }
            }
        } catch {
            throw error.inputError
        }
        return listing
    }

    /// What a walk meets, in reading order.
    fileprivate enum Found {
        case document(File)
        case archive(path: String, size: Int)
        case waiting(String)
        case passedOver(String)
    }

    /// A path the walk could not read (stat, lstat or opendir failed), with the system's reason.
    fileprivate struct Unreadable: Error {
        let path: String
        let reason = String(cString: strerror(errno))

        var inputError: InputError { .io(path: path, reason: reason) }
    }

    /// Walks the paths depth first, each folder's names in sorted order. After a throw (an entry
    /// that cannot be read) the walk goes on with the next entry.
    fileprivate struct Walk {
        private var paths: IndexingIterator<[String]>
        private let cutoff: Range<Int>?
        /// The archives a listing found; nil while listing, when each file's first bytes tell.
        private let archives: Set<String>?
        /// The folders being walked, from the outermost, each with the names still to visit.
        private var folders: [(path: String, names: IndexingIterator<[String]>)] = []

        init(paths: [String], cutoff: Range<Int>?, archives: Set<String>? = nil) {
            self.paths = paths.makeIterator()
            self.cutoff = cutoff
            self.archives = archives
        }

        mutating func next() throws(Unreadable) -> Found? {
            while true {
                guard !folders.isEmpty else {
                    guard let path = paths.next() else { return nil }
                    var info = stat()
                    guard stat(path, &info) == 0 else { throw Unreadable(path: path) }
                    if (info.st_mode & S_IFMT) == S_IFDIR { try enter(path) } else { return file(path, info) }
                    continue
                }
                guard let name = folders[folders.count - 1].names.next() else {
                    folders.removeLast()
                    continue
                }
                let folder = folders[folders.count - 1].path
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                if name.hasPrefix(".") { return .passedOver("\(path): hidden") }
                var info = stat()
                guard lstat(path, &info) == 0 else { throw Unreadable(path: path) }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: try enter(path)
                case S_IFREG: return file(path, info)
                case S_IFLNK: return .passedOver("\(path): symbolic link (name the target itself to read it)")
                default: return .passedOver("\(path): not a regular file")
                }
            }
        }

        private mutating func enter(_ folder: String) throws(Unreadable) {
            guard let directory = opendir(folder) else { throw Unreadable(path: folder) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = InputFiles.name(of: entry)
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            folders.append((folder, names.sorted().makeIterator()))
        }

        private func file(_ path: String, _ info: stat) -> Found {
            if let cutoff, cutoff.contains(Int(info.st_mtim.tv_sec)) { return .waiting(path) }
            let size = Int(info.st_size)
            let archive = archives.map { $0.contains(path) } ?? isZip(path)
            return archive ? .archive(path: path, size: size) : .document(File(input: InputFile(path: path), size: size))
        }
    }

    /// A folder entry's name, read in place up to its NUL. glibc packs the records `readdir` returns,
    /// so a record may end well before the 256 bytes `d_name` is declared with: copying the whole
    /// array read past the buffer's last record, and when that record ended a mapped page the night
    /// died with SIGSEGV before writing anything (four nights of about a hundred benchmark nights).
    static func name(of entry: UnsafePointer<dirent>) -> String {
        String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name)!

    /// The documents of an archive, and the entries passed over with the reason; an archive whose
    /// central directory cannot be read is one document, refused when read.
    fileprivate static func documents(inArchive path: String, size: Int) -> (files: [File], passedOver: [String]) {
        let entries: [ZipEntry]
        do {
            entries = try ZipDirectory.entries(of: path)
        } catch {
            return ([File(input: InputFile(unreadable: path, error: error), size: size)], [])
        }
        var files: [File] = []
        var passedOver: [String] = []
        for entry in entries {
            if let reason = passOverReason(entry) {
                passedOver.append("\(path)/\(entry.name): \(reason)")
            } else {
                // The size an entry declares weighs its batch; past the limit the entry is refused when
                // read, and unbounded a hostile one overflowed the batch's sum.
                let size = Int(min(entry.uncompressedSize, ZipEntryReader.maximumSize + 1))
                files.append(File(input: InputFile(entry: entry, in: path), size: size))
            }
        }
        return (files, passedOver)
    }

    /// Whether the file begins with a ZIP signature: a local file header (`PK\u{3}\u{4}`) or, for an
    /// empty archive, the end of central directory (`PK\u{5}\u{6}`). A file that cannot be opened is
    /// listed as a document, whose reading then reports why.
    fileprivate static func isZip(_ path: String) -> Bool {
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
