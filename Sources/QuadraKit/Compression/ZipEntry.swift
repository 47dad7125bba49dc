/// One member of a ZIP archive as its central directory describes it: where its bytes lie and what
/// they must be once inflated. The name is a label for logs and the ledger, never a path to open.
struct ZipEntry: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case file, directory, symbolicLink
    }

    var name: String
    var kind: Kind
    /// General purpose bit flags; bit 0 marks an encrypted entry.
    var flags: UInt16
    /// 0 stored, 8 deflate; anything else is refused.
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var localHeaderOffset: UInt64

    var isEncrypted: Bool { flags & 1 != 0 }

    /// A name that climbs out of the archive (`..`) or starts at the root: never opened as a path here,
    /// but a member named `../../etc/cron.d/x.xml` is an attack, not a document, and its name would
    /// stand in the ledger and the manifests as the document's place.
    var leavesTheArchive: Bool {
        name.hasPrefix("/") || name.hasPrefix("\\") || name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }
}
