#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// What a writing command leaves beside the store when it closes it sound (`<db>.sealed`): the store
/// file's identity as it was then (device, inode, size, modification and change times).
///
/// `PRAGMA quick_check` reads every page, so checking the whole store before each run made a night's
/// cost grow with the history (1.0 s per 500 MB; ~15 s a night for a year of 100,000 receipts a day).
/// The seal lets a run skip that check when nothing but Quadra has written the file since Quadra last
/// closed it: any other write (a copy over it, a torn restore, a tool, a disk sector rewritten through
/// the file system) changes the change time, which no process can set back (`utimensat` moves only
/// the modification time and itself sets the change time). A run that dies leaves no seal (it is removed
/// before the store is opened), and a write-ahead log left with content means a run did not close,
/// so either way the next one checks every page. Damage that bypasses the file system (a sector gone
/// bad under an unchanged file) is what the nightly `quadra backup` finds: it copies every page and
/// checks the copy before it can replace the last good one.
struct StoreSeal: Equatable {
    private let fields: [Int64]

    /// The file's identity now; nil when it cannot be read.
    init?(of path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        fields = [Int64(info.st_dev), Int64(info.st_ino), Int64(info.st_size),
                  Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec),
                  Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec)]
    }

    private init?(line: String) {
        let parsed = line.split(separator: " ").compactMap { Int64($0) }
        guard parsed.count == 7 else { return nil }
        fields = parsed
    }

    static func file(for database: String) -> String { database + ".sealed" }

    /// True when the seal beside `database` names the file as it is now and no write-ahead log with
    /// content is beside it: nothing has touched the store since a command closed it sound.
    static func holds(for database: String) -> Bool {
        guard let text = try? String(contentsOfFile: file(for: database), encoding: .utf8),
              let sealed = StoreSeal(line: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let now = StoreSeal(of: database) else { return false }
        var log = stat()
        if stat(database + "-wal", &log) == 0 && log.st_size > 0 { return false }
        return sealed == now
    }

    /// Removes the seal before a command writes: from here until it closes the store, a crash must
    /// leave the next run to check every page.
    static func remove(for database: String) {
        unlink(file(for: database))
    }

    /// Seals the store as it is now (call once it is closed), owner-only like the store, through a
    /// rename so that a half-written seal is never read.
    static func write(for database: String) throws {
        guard let seal = StoreSeal(of: database) else { return }
        let target = file(for: database), temporary = "\(target).tmp-\(getpid())"
        let line = seal.fields.map(String.init).joined(separator: " ") + "\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary, target) == 0 else {
            unlink(temporary)
            throw Store.Unopenable(path: database, reason: "cannot be sealed: \(String(cString: strerror(errno)))")
        }
    }
}
