/// Exit codes in the sysexits style, so cron and wrappers can tell what happened without reading logs.
public enum ExitStatus: Int32, Sendable {
    /// Everything read was stored.
    case success = 0
    /// Bad command-line usage.
    case usage = 64
    /// Some documents or items were rejected; the rest landed.
    case dataError = 65
    /// A file or the store could not be read or written.
    case ioError = 74
    /// Another run holds the store lock.
    case locked = 75
    /// The configuration file is missing, unreadable or wrong (sysexits `EX_CONFIG`).
    case configuration = 78
}
