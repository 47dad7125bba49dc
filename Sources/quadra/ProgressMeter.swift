import Foundation
import QuadraKit

/// Progress on a terminal (documents/s, MB/s, then each phase of a run), silent under cron where
/// stderr is not a TTY.
final class ProgressMeter {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false

    func show(_ progress: Ingestor.Progress) {
        guard progress.seconds > 0 else { return }
        let rate = Double(progress.documents) / progress.seconds
        let megabytes = Double(progress.bytes) / 1_048_576
        write(String(format: "\r%d/%d documents, %.0f documents/s, %.1f MB/s",
                     progress.documents, progress.totalDocuments, rate, megabytes / progress.seconds))
    }

    func show(_ progress: NightlyRun.Progress) {
        switch progress {
        case let .documents(ingest): show(ingest)
        case let .reconciling(day): line("reconciling as of \(day)…")
        case let .keys(summary): line("\(summary.line)")
        case let .reports(folder): line("writing reports into \(folder)…")
        }
    }

    /// Ends the line being rewritten, if any.
    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }

    private func line(_ text: String) {
        finish()
        write(text)
    }

    private func write(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(text.utf8))
        shown = true
    }
}
