import Logging
import QuadraKit

extension GlobalOptions {
    /// What a command that writes the store starts and ends with: logging, the configuration (exit 78
    /// when wrong), the store under its lock, and the resulting exit status thrown for ArgumentParser.
    func withLockedStore(opening: Store.Opening = .create(groupReadable: false), configurationRequired: Bool = false,
                         _ body: (Store, QuadraConfiguration, Logger) throws -> ExitStatus) throws {
        bootstrap()
        let logger = Logger(label: "quadra")
        let configuration = try loadConfiguration(logger: logger, required: configurationRequired)
        throw StoreSession.run(db: db, opening: opening, logger: logger) { try body($0, configuration, logger) }.exitCode
    }

    /// The store for a command that only reads it: exit 74 when it is missing (nothing is created) or
    /// cannot be read, so a typo in `--db` never reports an empty night; 75 when it must be migrated
    /// for this build while a run holds it. Such a command needs no configuration, but one named with
    /// `--config` is loaded as the writing commands load it: a typo in the path, or a broken file, is
    /// exit 78 rather than silently taken for none.
    func readableStore(migrating: Bool = true) throws -> Store {
        bootstrap()
        if config != nil { _ = try loadConfiguration(logger: Logger(label: "quadra")) }
        do {
            let store = try Store(path: db, opening: .existing, migrating: migrating)
            StoreSession.noteUpgrades(of: store, logger: Logger(label: "quadra"))
            try store.checkIntegrityUnlessSealed()
            return store
        } catch let waiting as Store.UpgradeWaits {
            Logger(label: "quadra").error("\(waiting)")
            throw ExitStatus.locked.exitCode
        } catch {
            Logger(label: "quadra").error("\(error)")
            throw ExitStatus.ioError.exitCode
        }
    }
}
