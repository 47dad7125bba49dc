import Logging
import QuadraKit

extension GlobalOptions {
    /// What a command that writes the store starts and ends with: logging, the configuration (exit 78
    /// when wrong), the store under its lock, and the resulting exit status thrown for ArgumentParser.
    func withLockedStore(_ body: (Store, QuadraConfiguration, Logger) throws -> ExitStatus) throws {
        bootstrapLogging()
        let logger = Logger(label: "quadra")
        let configuration = try loadConfiguration(logger: logger)
        throw StoreSession.run(db: db, logger: logger) { try body($0, configuration, logger) }.exitCode
    }
}
