import ArgumentParser
import Foundation
import Logging
import QuadraKit

/// `quadra note add | list | remove`: the clerks' signed notes on discrepancies, which may hide a
/// known one from the nightly lists (see `DiscrepancyNote`).
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Notes on discrepancies: add (optionally hiding one from the nightly lists), list the history, remove.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a note on a discrepancy (with --code) or on every discrepancy of a key, flow or movement.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The discrepancy code; without it the note is on every discrepancy of the item.") var code: String?
        @Option(help: "The key's IUV.") var iuv: String?
        @Option(help: "With --iuv: the key's IUR.") var iur: String?
        @Option(help: "With --iuv: the transfer index.") var index: Int?
        @Option(help: "A flow id (the flow's own discrepancies).") var flow: String?
        @Option(help: "A treasury movement: its movement_id or the bank's reference.") var movement: String?
        @Option(help: "The creditor's fiscal code.") var creditor: String
        @Option(help: "What the note says.") var text: String
        @Flag(help: "Keep the discrepancies it covers out of the nightly lists while their code and amounts stay as now.")
        var hide = false
        @Option(help: "With --hide: the day the discrepancies are shown again (YYYY-MM-DD).") var until: String?
        @Option(help: "The author (default: the login name).") var by: String?

        func validate() throws {
            guard [iuv, flow, movement].compactMap({ $0 }).count == 1 else {
                throw ValidationError("name exactly one item: --iuv, --flow or --movement")
            }
            if (iur != nil || index != nil) && iuv == nil { throw ValidationError("--iur and --index go with --iuv") }
            if let code, DiscrepancyCode(rawValue: code) == nil { throw ValidationError("unknown discrepancy code '\(code)'") }
            if let until {
                guard hide else { throw ValidationError("--until ends a silence: it goes with --hide") }
                guard CivilDate(iso: until) != nil else { throw ValidationError("--until must be a date YYYY-MM-DD, not '\(until)'") }
            }
            guard creditor.count == 11, creditor.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ValidationError("--creditor must be an 11-digit fiscal code")
            }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--text must say something") }
        }

        func run() throws {
            let subject = DiscrepancyNote.Subject(creditor: creditor, code: code, iuv: iuv, iur: iur, transferIndex: index,
                                                  flowId: flow, treasuryReference: movement)
            try global.withLockedStore(opening: .existing) { store, _, logger in
                let note = try store.addNote(subject, text: text, author: NoteCommand.author(by), writtenAt: NoteCommand.now(),
                                             hide: hide, until: until.flatMap(CivilDate.init(iso:)))
                print("note #\(note.id)" + (hide ? ": hides \(note.hiddenAt.count) open discrepancies" : ""))
                if hide && note.hiddenAt.isEmpty {
                    logger.warning("note #\(note.id) hides nothing: no open discrepancy of creditor \(creditor) matches it now")
                }
                return .success
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The notes' history, oldest first, removals included.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only notes not removed and not past their --until date.") var open = false
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() throws {
            let store = try global.readableStore()
            defer { store.closeReading() }
            var notes: [DiscrepancyNote]
            do {
                notes = try store.notes()
            } catch {
                Logger(label: "quadra").error("cannot read the store \(global.db): \(error)")
                throw ExitStatus.ioError.exitCode
            }
            if open {
                let today = try AsOfDate.parse(nil)
                notes = notes.filter { $0.isOpen(on: today) }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(notes), as: UTF8.self))
                return
            }
            for note in notes {
                let item = [note.subject.code, note.subject.creditor, note.subject.iuv.map { "iuv \($0)" },
                            note.subject.iur.map { "iur \($0)" }, note.subject.transferIndex.map { "index \($0)" },
                            note.subject.flowId.map { "flow \($0)" }, note.subject.treasuryReference.map { "movement \($0)" }]
                let silence = note.hide ? " hides \(note.hiddenAt.count)" + (note.until.map { " until \($0)" } ?? "") : ""
                print("#\(note.id) \(note.writtenAt) \(note.author) on \(item.compactMap { $0 }.joined(separator: " "))\(silence): \(note.text)")
                if let removal = note.removal {
                    print("#\(removal.id) \(removal.writtenAt) \(removal.author) removes #\(note.id): \(removal.text)")
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a note: a new signed entry; the note stays in the history.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The note's number (#N in `quadra note list`).") var id: Int64
        @Option(help: "The author (default: the login name).") var by: String?
        @Option(help: "Why the note is removed.") var text: String

        func run() throws {
            try global.withLockedStore(opening: .existing) { store, _, logger in
                do {
                    let removal = try store.removeNote(id, text: text, author: NoteCommand.author(by), writtenAt: NoteCommand.now())
                    print("note #\(removal.id) removes #\(id)")
                    return .success
                } catch let failure as NoteFailure {
                    logger.error("\(failure.description)")
                    return .dataError
                }
            }
        }
    }

    /// `--by`, else the login name (cron has no terminal, so the account's name then).
    static func author(_ by: String?) -> String {
        if let by, !by.isEmpty { return by }
        if let login = getlogin() { return String(cString: login) }
        return ProcessInfo.processInfo.userName
    }

    /// The moment a note is written, in UTC: the only clock a note reads.
    static func now() -> String {
        RomeTime.utc(fromEpochSeconds: Int64(Date().timeIntervalSince1970))
    }
}
