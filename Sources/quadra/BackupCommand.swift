import ArgumentParser
import Logging
import QuadraKit

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to FILE with SQLite's online backup (safe while a run writes); the copy is 0600.",
        discussion: "Exit codes: 0 copied, 64 usage, 74 the store is missing or damaged, or FILE cannot be written."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The backup file to write (replaced only once the new copy is whole).")
    var to: String

    func run() throws {
        // The store as it is: the copy taken before a new build's first run is the store before its upgrade.
        let store = try global.readableStore(migrating: false)
        defer { store.closeReading() }
        do {
            try store.backup(to: to)
        } catch {
            Logger(label: "quadra").error("backup of \(global.db) to \(to) failed: \(error)")
            throw ExitStatus.ioError.exitCode
        }
        Logger(label: "quadra").info("backup of \(global.db) written to \(to)")
    }
}
