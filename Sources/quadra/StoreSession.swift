import Foundation
import Logging
import QuadraKit

/// Opens the store under its lock for a writing command and maps failures to exit codes.
enum StoreSession {
    static func run(db: String, logger: Logger, _ body: (Store) throws -> ExitStatus) -> ExitStatus {
        do {
            let lock = try StoreLock(databasePath: db)
            defer { withExtendedLifetime(lock) {} }
            return try body(try Store(path: db))
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
