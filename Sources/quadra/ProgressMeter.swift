import Foundation
import QuadraKit

/// Progress on a terminal (documents/s, MB/s), silent under cron where stderr is not a TTY.
final class ProgressMeter {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false

    func show(_ progress: Ingestor.Progress) {
        guard enabled, progress.seconds > 0 else { return }
        let rate = Double(progress.documents) / progress.seconds
        let megabytes = Double(progress.bytes) / 1_048_576
        let line = String(format: "\r%d/%d documents, %.0f documents/s, %.1f MB/s",
                          progress.documents, progress.totalDocuments, rate, megabytes / progress.seconds)
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
