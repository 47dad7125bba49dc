#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import Logging

/// Quadra's log lines on stderr: `2026-11-21T01:30:02Z quadra warning: rejected inbox/rt.xml: …`,
/// one UTC timestamp and one program name per line, so the cron log needs no second stamp.
///
/// ```swift
/// LoggingSystem.bootstrap { _ in LogLine(level: .info) }
/// ```
///
/// A message is always one line: newlines and other control characters (from libxml2's reasons or
/// a file name holding a newline) are escaped, so a log reader counting lines counts events.
public struct LogLine: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(level: Logger.Level) {
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.format(level: event.level, message: event.message.description, epochSeconds: time(nil)) + "\n"
        // One write(2) per line, so lines from two threads never interleave.
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// The line for a message at a moment (seconds since the epoch).
    public static func format(level: Logger.Level, message: String, epochSeconds: time_t) -> String {
        var seconds = epochSeconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                           Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return "\(stamp) quadra \(level.rawValue): \(oneLine(message))"
    }

    /// `text` with control characters escaped (`\n`, `\r`, `\t`, else `\u00XX`) and backslashes doubled.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }) else { return text }
        var escaped = ""
        EscapedText.append(text, escapingQuotes: false, to: &escaped)
        return escaped
    }
}
