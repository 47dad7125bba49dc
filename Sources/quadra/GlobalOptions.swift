#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Logging
import QuadraKit

/// Options every command shares: where the store is and how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The SQLite store.")
    var db: String = Store.defaultPath

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "The configuration file (creditors served, bank CSV layouts); default quadra.toml when present.")
    var config: String?

    /// The configuration, or exit 78 with the key at fault on stderr.
    func loadConfiguration(logger: Logger, required: Bool = false) throws -> QuadraConfiguration {
        do {
            return try QuadraConfiguration.load(path: config, required: required)
        } catch let failure as QuadraConfiguration.Failure {
            logger.error("configuration: \(failure.description)")
            throw ExitStatus.configuration.exitCode
        }
    }

    /// Logging goes to stderr so stdout stays clean for `--json` output.
    /// What every command does first: its log lines, and at most two malloc arenas. glibc gives each
    /// thread that allocates an arena of its own, up to eight per core, and a night's parsing threads,
    /// writer and readers each kept one growing (200,000 receipts: 730 MB peak RSS, 638 MB with two).
    /// (`mallopt` is not in Swift's Glibc module, so it is looked up by name; `M_ARENA_MAX` is -8.)
    func bootstrap() {
        #if canImport(Glibc)
        if let mallopt = dlsym(nil, "mallopt") {
            _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8, 2)
        }
        #endif
        let level = logLevel
        LoggingSystem.bootstrap { _ in LogLine(level: level) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension ExitStatus {
    var exitCode: ExitCode { ExitCode(rawValue) }
}
