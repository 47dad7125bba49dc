import Foundation
import Logging
import QuadraKit

/// Opens the store under its lock for a writing command and maps failures to exit codes.
enum StoreSession {
    static func run(db: String, opening: Store.Opening = .create(groupReadable: false), logger: Logger,
                    _ body: (Store) throws -> ExitStatus) -> ExitStatus {
        do {
            let (store, lock) = try Store.openLocked(path: db, opening: opening)
            defer { withExtendedLifetime(lock) {} }
            noteUpgrades(of: store, logger: logger)
            let status = try body(store)
            // The night's work is done and stored: a seal that cannot be written costs the next run
            // a full check, never this run its exit status.
            do {
                try store.closeSealing()
            } catch {
                logger.warning("the store was not sealed (\(error)): the next command checks it whole")
            }
            return status
        } catch let failure as StoreLock.Failure {
            logger.error("\(failure.description)")
            if case .held = failure { return .locked }
            return .ioError
        } catch {
            logger.error("\(error)")
            return .ioError
        }
    }

    /// Logs the migrations opening the store applied: the first night of a new build may take longer for them.
    static func noteUpgrades(of store: Store, logger: Logger) {
        for upgrade in store.upgrades { logger.notice("the store was upgraded for this build: \(upgrade)") }
    }
}
