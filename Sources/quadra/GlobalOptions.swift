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

    /// What every command does first: at most four malloc arenas, SQLite without memory statistics,
    /// and its log lines (to stderr, so stdout stays clean for `--json` output).
    func bootstrap() {
        ProcessMemory.limitArenas()
        ProcessMemory.dropSQLiteMemoryStatistics()
        let level = logLevel
        LoggingSystem.bootstrap { _ in LogLine(level: level) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension ExitStatus {
    var exitCode: ExitCode { ExitCode(rawValue) }
}
