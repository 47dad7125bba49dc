import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the whole trail of an IUV, notice number, receipt id or flow id: position, receipt, flow rows, credits, verdicts."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Argument(help: "An IUV, notice number, receipt id (IUR) or flow id.")
    var term: String

    func run() throws {
        let trail: ExplainTrail
        do {
            let store = try global.readableStore()
            defer { store.closeReading() }
            trail = try store.explain(term)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Logger(label: "quadra").error("cannot read the store \(global.db): \(error)")
            throw ExitStatus.ioError.exitCode
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(trail), as: UTF8.self))
            return
        }
        guard !trail.iuvs.isEmpty else {
            print("Nothing in the store matches \(term).")
            throw ExitStatus.dataError.exitCode
        }
        print("\(term): IUV \(trail.iuvs.joined(separator: ", "))")
        for section in trail.sections {
            print("\n\(section.title) (\(section.rows.count))")
            for row in section.rows {
                print("  " + row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: " "))
            }
        }
    }
}
