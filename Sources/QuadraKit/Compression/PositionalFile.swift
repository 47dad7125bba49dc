#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A file read by position (`pread`), never by a shared cursor: the ZIP reader jumps between the
/// central directory and the entries, and each reader owns its descriptor, so workers never share one.
struct PositionalFile: ~Copyable {
    let path: String
    let size: UInt64
    private let fd: Int32

    init(path: String) throws(InputError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.io(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError.io(path: path, reason: reason)
        }
        size = UInt64(info.st_size)
    }

    deinit { close(fd) }

    /// Exactly `count` bytes at `offset`; fewer only where the file ends first.
    func read(_ count: Int, at offset: UInt64) throws(InputError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = try bytes.withUnsafeMutableBytes { buffer in Result { () throws(InputError) in try read(into: buffer, at: offset) } }.get()
        bytes.removeLast(count - filled)
        return bytes
    }

    /// Fills `buffer` from `offset` and returns how many bytes were read (fewer only at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(InputError) -> Int {
        // Offsets come from the file itself (a ZIP's directory): past its end there is nothing to read,
        // and a hostile one past `Int64.max` would trap as an `off_t` and end the night.
        guard offset < size else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let count = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset) + off_t(filled))
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError.io(path: path, reason: String(cString: strerror(errno)))
            }
            filled += count
        }
        return filled
    }
}
