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
            let status = try body(store)
            try store.closeSealing()
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
}
