/// A clerk's note on a discrepancy (`quadra note add`): who wrote what, when, on which item, and
/// whether it silences the item. Notes are an audit trail: never edited, a removal is a later entry.
///
/// The rules of silence live here, once: a hiding note hides exactly the discrepancies it saw when it
/// was written, at the amounts it saw, until its `until` date or its removal. A discrepancy whose code
/// or amounts have moved since is something new to look at, so it comes back with the note beside it.
public struct DiscrepancyNote: Sendable, Codable, Equatable {
    /// The item a note is on: a key (IUV, optionally IUR and index), a flow or a movement of one
    /// creditor, and optionally one code; without a code, every discrepancy of the item.
    public struct Subject: Sendable, Codable, Equatable {
        public var creditor: String
        public var code: String?
        public var iuv: String?
        public var iur: String?
        public var transferIndex: Int?
        public var flowId: String?
        /// The bank's reference of the movement, as discrepancies and `treasury.csv` name it.
        public var treasuryReference: String?

        public init(creditor: String, code: String? = nil, iuv: String? = nil, iur: String? = nil, transferIndex: Int? = nil,
                    flowId: String? = nil, treasuryReference: String? = nil) {
            self.creditor = creditor
            self.code = code
            self.iuv = iuv
            self.iur = iur
            self.transferIndex = transferIndex
            self.flowId = flowId
            self.treasuryReference = treasuryReference
        }

        /// Whether `discrepancy` is one of this item's (and of its code, when the note names one).
        /// A flow note covers the flow's own discrepancies, not those of its keys, which are the keys' items.
        public func covers(_ discrepancy: Seen) -> Bool {
            guard discrepancy.creditor == creditor, code == nil || discrepancy.code == code else { return false }
            if let iuv {
                return discrepancy.iuv == iuv && (iur == nil || discrepancy.iur == iur)
                    && (transferIndex == nil || discrepancy.transferIndex == transferIndex.map(String.init))
            }
            if let flowId { return discrepancy.flowId == flowId && discrepancy.iuv == nil && discrepancy.treasuryReference == nil }
            return treasuryReference != nil && discrepancy.treasuryReference == treasuryReference
        }
    }

    /// A discrepancy as a report row shows it: identity and amounts as text, as a hiding note keeps it.
    public struct Seen: Sendable, Codable, Hashable {
        public var code: String
        public var creditor: String?
        public var iuv: String?
        public var iur: String?
        public var transferIndex: String?
        public var flowId: String?
        public var treasuryReference: String?
        public var expectedCents: String?
        public var actualCents: String?

        public init(code: String, creditor: String?, iuv: String?, iur: String?, transferIndex: String?, flowId: String?,
                    treasuryReference: String?, expectedCents: String?, actualCents: String?) {
            self.code = code
            self.creditor = creditor
            self.iuv = iuv
            self.iur = iur
            self.transferIndex = transferIndex
            self.flowId = flowId
            self.treasuryReference = treasuryReference
            self.expectedCents = expectedCents
            self.actualCents = actualCents
        }

        /// From a row of `discrepancies.csv` as the store streams it (code 0, creditor 3 … actual 10).
        init(reportRow row: [String?]) {
            self.init(code: row[0] ?? "", creditor: row[3], iuv: row[4], iur: row[5], transferIndex: row[6], flowId: row[7],
                      treasuryReference: row[8], expectedCents: row[9], actualCents: row[10])
        }
    }

    /// The later entry that removed a note.
    public struct Removal: Sendable, Codable, Equatable {
        public var id: Int64
        public var writtenAt: String
        public var author: String
        public var text: String
    }

    public var id: Int64
    /// UTC instant, `2026-11-21T08:15:00Z`.
    public var writtenAt: String
    public var author: String
    public var text: String
    public var subject: Subject
    public var hide: Bool
    /// The first day the item is shown again.
    public var until: CivilDate?
    /// What a hiding note silenced when written.
    public var hiddenAt: [Seen]
    public var removal: Removal?

    /// Not removed, and (when it has one) before its `until` date.
    public func isOpen(on day: CivilDate) -> Bool {
        removal == nil && (until.map { day < $0 } ?? true)
    }

    /// Whether this note keeps `discrepancy` out of the night's lists on `day`.
    public func hides(_ discrepancy: Seen, on day: CivilDate) -> Bool {
        hide && isOpen(on: day) && hiddenAt.contains(discrepancy)
    }

    /// The note as one line beside a discrepancy: `#3 mrossi 2026-11-21: text`.
    public var line: String { "#\(id) \(author) \(writtenAt.prefix(10)): \(text)" }
}

/// The notes in force, for a night's reports: which hides a discrepancy, and which to show beside it.
public struct NoteBook: Sendable {
    /// Notes not removed, oldest first.
    public let notes: [DiscrepancyNote]

    public init(_ notes: [DiscrepancyNote]) {
        self.notes = notes.filter { $0.removal == nil }.sorted { $0.id < $1.id }
    }

    /// The oldest note that hides `discrepancy` (of `status`) on `day`, if any. Only an open
    /// discrepancy is silenced: its resolution or escalation is news the lists still give.
    public func hiding(_ discrepancy: DiscrepancyNote.Seen, status: String?, on day: CivilDate) -> DiscrepancyNote? {
        guard status == "new" || status == "open" else { return nil }
        return notes.first { $0.hides(discrepancy, on: day) }
    }

    /// Every note on the discrepancy's item, one line each, `|`-joined; nil when none.
    public func lines(for discrepancy: DiscrepancyNote.Seen) -> String? {
        let lines = notes.filter { $0.subject.covers(discrepancy) }.map(\.line)
        return lines.isEmpty ? nil : lines.joined(separator: " | ")
    }
}
