#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The files named on a command line: files as given, folders walked recursively, in a stable
/// sorted order so two runs over the same inbox read documents in the same order.
///
/// Folders are walked with `readdir` and `lstat`: an inbox of a million receipts is listed in
/// about a second, where FileManager's enumerator takes many.
enum InputFiles {
    struct File: Sendable {
        var path: String
        var size: Int
    }

    /// The documents to read, and the entries passed over with the reason, for the log.
    struct Listing {
        var files: [File] = []
        var passedOver: [String] = []
    }

    /// Hidden entries (`.DS_Store`, editors' swap files) are not documents and are passed over, and
    /// so are symbolic links and special files inside folders, which could lead outside the inbox;
    /// each is named in `passedOver`, never dropped unseen.
    static func list(_ paths: [String]) throws -> Listing {
        var listing = Listing()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &listing)
            } else {
                listing.files.append(File(path: path, size: Int(info.st_size)))
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
            case S_IFREG: listing.files.append(File(path: path, size: Int(info.st_size)))
            case S_IFLNK: listing.passedOver.append("\(path): symbolic link (name the target itself to read it)")
            default: listing.passedOver.append("\(path): not a regular file")
            }
        }
    }

    /// The nearest folder above `path` named by an 11-digit creditor fiscal code, if any.
    static func creditorFolder(of path: String) -> String? {
        path.split(separator: "/").dropLast().reversed().lazy.map(String.init).first(where: FiscalCode.hasOrganizationShape)
    }
}
