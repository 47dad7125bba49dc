import Crypto
import Foundation
import GRDB

/// Files one part of an FdR-3 flow delivered in pages (header or page of payments) and, once the
/// header and all `totPage` pages of its revision are in, assembles them into one ordinary flow
/// version through `FlowWriter`, so reconciliation sees the same flow it would from the inline form.
///
/// Parts may arrive in any order and over several nights. The same part again is a `duplicate`; the
/// same page number (or header) with other content is refused, naming the part and where the first
/// came from; so is a page whose `totPage` disagrees with its siblings'.
struct FlowPartWriter {
    let db: Database
    let documentId: Int64

    func store(_ part: FlowPart, into outcome: inout DocumentOutcome) throws {
        let body = try Self.encoder.encode(part.piece)
        let digest = SHA256.hash(data: try Self.encoder.encode(part.comparable)).hexString
        if let first = try stored(part) {
            guard first.digest == digest else {
                throw DocumentRejection(element: part.number == 0 ? "header" : "page \(part.number)",
                                        reason: "\(part.name) was already stored from \(first.path) with other content")
            }
            outcome.status = .duplicate
            outcome.reason = "\(part.name) already stored from \(first.path)"
            return
        }
        var pages: Int?
        if case let .page(_, of: count, _) = part.piece {
            pages = count
            if let other = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT p.pages, d.path FROM flow_part p JOIN document d ON d.id = p.document_id
                WHERE p.psp_id = ? AND p.flow_id = ? AND p.revision = ? AND p.page > 0 AND p.pages <> ?
                  AND (p.receiver_fiscal_code IS NULL OR ? IS NULL OR p.receiver_fiscal_code = ?)
                """), arguments: Self.identityArguments(part.identity) + [count] + [part.identity.receiverFiscalCode, part.identity.receiverFiscalCode]) {
                throw DocumentRejection(element: "metadata.totPage",
                                        reason: "\(part.name): \(other["path"] as String) says the flow has \(other["pages"] as Int) pages")
            }
        }
        try db.cachedStatement(sql: """
            INSERT INTO flow_part (document_id, receiver_fiscal_code, psp_id, flow_id, revision, page, pages, content_digest, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [documentId, part.identity.receiverFiscalCode] + Self.identityArguments(part.identity)
                + [part.number, pages, digest, body])
        if case let .page(_, _, rows) = part.piece { outcome.records = rows.count }
        try assembleIfWhole(part.identity, into: &outcome)
    }

    /// The part with this number already stored for the same flow revision, if any.
    private func stored(_ part: FlowPart) throws -> (digest: String, path: String)? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT p.content_digest, d.path FROM flow_part p JOIN document d ON d.id = p.document_id
            WHERE p.psp_id = ? AND p.flow_id = ? AND p.revision = ? AND p.page = ?
              AND (p.receiver_fiscal_code IS NULL OR ? IS NULL OR p.receiver_fiscal_code = ?)
            """), arguments: Self.identityArguments(part.identity) + [part.number, part.identity.receiverFiscalCode, part.identity.receiverFiscalCode])
            .map { ($0["content_digest"], $0["path"]) }
    }

    /// Feeds the header and the pages in order to the flow writer once every part is in.
    private func assembleIfWhole(_ identity: FlowPart.Identity, into outcome: inout DocumentOutcome) throws {
        let parts = try Store.flowParts(psp: identity.pspId, flow: identity.flowId, revision: identity.revision,
                                         receiver: identity.receiverFiscalCode, in: db)
        guard parts.isWhole, let headerRow = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, body FROM flow_part WHERE psp_id = ? AND flow_id = ? AND revision = ? AND page = 0
              AND (receiver_fiscal_code IS NULL OR ? IS NULL OR receiver_fiscal_code = ?)
            """), arguments: Self.identityArguments(identity) + [identity.receiverFiscalCode, identity.receiverFiscalCode]),
            case let .header(header) = try Self.decoder.decode(FlowPart.Piece.self, from: headerRow["body"] as Data) else {
            outcome.reason = "flow \(identity.flowId) revision \(identity.revision) incomplete: " + parts.description
            return
        }
        let pages = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, body FROM flow_part WHERE psp_id = ? AND flow_id = ? AND revision = ? AND page > 0
              AND (receiver_fiscal_code IS NULL OR receiver_fiscal_code = ?) ORDER BY page
            """), arguments: Self.identityArguments(identity) + [header.receiverFiscalCode])
        let ids = [headerRow["id"] as Int64] + pages.map { $0["id"] as Int64 }
        try db.execute(sql: "UPDATE flow_part SET assembled = 1 WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
        outcome.reason = "completes flow \(identity.flowId) revision \(identity.revision) (\(pages.count) pages)"
        // The version goes in under a savepoint of its own: when it repeats one already stored (the same
        // flow through XML or the inline form) only the version is dropped, and the parts stay assembled.
        do {
            let result = try Store.inSavepoint(db, named: "flow_assembly") {
                let writer = FlowWriter(db: db, documentId: documentId)
                try writer.begin(header)
                for page in pages {
                    guard case let .page(_, _, rows) = try Self.decoder.decode(FlowPart.Piece.self, from: page["body"] as Data) else { continue }
                    for row in rows { try writer.add(row) }
                }
                return try writer.finish()
            }
            outcome.records = result.rows
            if !result.current { outcome.reason! += "; kept as history: a later version of this flow is already stored" }
        } catch let repeated as FlowWriter.Repeat {
            outcome.reason! += ", the same version already stored from \(repeated.path)"
        }
    }

    private static func identityArguments(_ identity: FlowPart.Identity) -> StatementArguments {
        [identity.pspId, identity.flowId, identity.revision]
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let decoder = JSONDecoder()
}
