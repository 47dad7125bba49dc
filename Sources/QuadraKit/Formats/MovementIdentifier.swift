import Crypto

/// Builds `TreasuryMovement.movementId`: SHA-256 over fields that name a movement at the bank,
/// never over the file or page it came in, so a journal or statement sent again lands on the same
/// movements instead of doubling them.
enum MovementIdentifier {
    static func make(_ parts: [String?]) -> String {
        var digest = SHA256()
        for part in parts {
            // A unit separator between parts keeps ("ab", "c") apart from ("a", "bc").
            digest.update(marker: 0x1F, text: part ?? "")
        }
        return digest.finalize().hexString
    }

    /// Numbers the movements that share every identifying field inside one document (a CSV with no
    /// reference column, a bank booking the same credit twice), so each keeps its own identity.
    struct Occurrences {
        private var seen: [String: Int] = [:]

        mutating func index(of parts: [String?]) -> String {
            let key = parts.map { $0 ?? "" }.joined(separator: "\u{1F}")
            let index = seen[key, default: 0]
            seen[key] = index + 1
            return String(index)
        }
    }
}
