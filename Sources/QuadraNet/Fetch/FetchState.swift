import Foundation
import QuadraKit

/// What `quadra fetch flows` has fetched, per creditor: a watermark (every flow published up to it
/// is in the inbox, so the next fetch lists only flows published after it) and the flows fetched
/// past the watermark (skipped when listed again). A flow is recorded only once its header and every
/// page are written, so an interrupted fetch fetches that flow again and leaves no gap.
///
/// Kept as a JSON file beside the inbox (`<inbox>.fetch-state.json`), not in the store: fetch runs
/// beside the station and before the nightly run, and needs no store lock; the state describes what
/// was put in the inbox, which `quadra run --archive` empties.
struct FetchState: Codable, Equatable {
    struct Organization: Codable, Equatable {
        /// `publishedGt` for the next listing.
        var watermark: String?
        /// `fdr/revision/psp` → its `published`, for flows fetched past the watermark.
        var fetched: [String: String] = [:]
    }

    var organizations: [String: Organization] = [:]

    static func load(_ path: String) throws -> FetchState {
        guard let data = FileManager.default.contents(atPath: path) else { return FetchState() }
        do {
            return try JSONDecoder().decode(FetchState.self, from: data)
        } catch {
            throw FetchError.configuration("the fetch state \(path) is not readable JSON (\(error)); move it away to fetch again from --since")
        }
    }

    func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let file = try AtomicFile(path: path, mode: 0o600)
        try file.write(Array(try encoder.encode(self)))
        _ = try file.commit()
    }
}
