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

    /// Hidden files (`.DS_Store`, editors' swap files) are not documents and are passed over, and
    /// so are symbolic links inside folders, which could lead outside the inbox.
    static func list(_ paths: [String]) throws -> [File] {
        var files: [File] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &files)
            } else {
                files.append(File(path: path, size: Int(info.st_size)))
            }
        }
        return files
    }

    private static func walk(_ folder: String, into files: inout [File]) throws {
        guard let directory = opendir(folder) else { throw InputError.io(path: folder, reason: String(cString: strerror(errno))) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(directory)
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, into: &files)
            case S_IFREG: files.append(File(path: path, size: Int(info.st_size)))
            default: continue
            }
        }
    }

    /// The nearest folder above `path` named by an 11-digit creditor fiscal code, if any.
    static func creditorFolder(of path: String) -> String? {
        path.split(separator: "/").dropLast().reversed().lazy.map(String.init).first(where: FiscalCode.hasOrganizationShape)
    }
}
