import ArgumentParser
import Foundation
import Logging
import QuadraKit

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the store holds: documents by kind and outcome, rows per table, refusals with reasons."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let store = try global.readableStore()
        defer { store.closeReading() }
        let status: StoreStatus
        do {
            status = try store.status()
        } catch {
            Logger(label: "quadra").error("cannot read the store \(global.db): \(error)")
            throw ExitStatus.ioError.exitCode
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        print("Documents")
        for row in status.documents { print("  \(row.kind.padding(16))\(row.outcome.padding(11))\(row.count)") }
        print("Rows")
        for row in status.tables { print("  \(row.table.padding(20))\(row.rows)") }
        if !status.flowsByPSP.isEmpty {
            print("Current flows by PSP")
            for row in status.flowsByPSP {
                print("  \(row.pspId.padding(20))\(row.flows) flows, \(row.rows) rows, \(Money.format(row.totalCents)) EUR")
            }
        }
        let flagged = status.flows.filter { !$0.findings.isEmpty }
        if !flagged.isEmpty {
            print("Flow findings")
            for flow in flagged {
                for finding in flow.findings { print("  \(flow.flowId) (\(flow.receiver)) \(finding.code.rawValue): \(finding.detail)") }
            }
        }
        if !status.incompleteFlows.isEmpty {
            print("Incomplete FdR-3 flows (not reconciled until whole)")
            for flow in status.incompleteFlows {
                print("  \(flow.flowId) revision \(flow.revision) (\(flow.receiver ?? "receiver unknown"), \(flow.pspId)): \(flow.description)")
            }
        }
        if !status.treasury.counts.isEmpty {
            print("Treasury movements (creditor, sign, causale)")
            for row in status.treasury.counts {
                print("  \((row.creditor ?? "no creditor").padding(14))\(row.sign.padding(10))\(row.causaleKind.padding(13))\(String(row.count).padding(6))\(row.amount)")
            }
        }
        for journal in status.treasury.incompleteJournals {
            print("Journal \(journal.journal): pages \(journal.pagesPresent.map(String.init).joined(separator: ", ")) of \(journal.pages)")
        }
        if !status.rejected.isEmpty {
            print("Rejected documents")
            for row in status.rejected { print("  \(row.path): \(row.reason)") }
        }
        if !status.quarantined.isEmpty {
            print("Quarantined items")
            for row in status.quarantined { print("  \(row.path) \(row.element ?? ""): \(row.reason)") }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
