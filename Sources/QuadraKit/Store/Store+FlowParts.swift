import Foundation
import GRDB

/// An FdR-3 flow revision some of whose parts are stored but not yet all: it is not a flow version
/// yet, so reconciliation does not see it.
public struct IncompleteFlow: Sendable, Codable, Equatable {
    /// Nil while only pages whose path named no receiver are in.
    public var receiver: String?
    public var pspId: String
    public var flowId: String
    public var revision: Int
    public var hasHeader: Bool
    /// From the header, once it is in: what a deadline for the missing pages counts from.
    public var settlementDate: String?
    /// From the header: the Italian day this revision was published (`fdrDate`). A revision published
    /// after its flow's settlement has its own time to arrive whole.
    public var publishedOn: String?
    /// `totPage`, known once a page is in.
    public var pages: Int?
    public var pagesPresent: [Int]

    /// Pages not yet in (empty while `pages` is unknown).
    public var missingPages: [Int] {
        guard let pages else { return [] }
        return (1...max(pages, 1)).filter { !pagesPresent.contains($0) }
    }

    /// The header declares no payment (`totPayments` 0): the API then serves no page, and the header alone is the flow.
    var declaresNoPayment = false

    var isWhole: Bool { hasHeader && (pages != nil ? missingPages.isEmpty : declaresNoPayment) }

    /// `no header; pages 2, 3 of 3 missing`, `no page yet`.
    public var description: String {
        var parts: [String] = []
        if !hasHeader { parts.append("no header") }
        if let pages {
            let missing = missingPages
            if !missing.isEmpty { parts.append("page\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(pages) missing") }
        } else {
            parts.append("no page yet")
        }
        return parts.joined(separator: "; ")
    }
}

extension Store {
    /// Flow revisions with parts stored but not assembled, with what each still lacks.
    public func incompleteFlows() throws -> [IncompleteFlow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT psp_id, flow_id, revision FROM flow_part WHERE assembled = 0 ORDER BY flow_id, psp_id, revision
                """).map { row in
                try Self.flowParts(psp: row["psp_id"], flow: row["flow_id"], revision: row["revision"], receiver: nil, in: db)
            }
        }
    }

    /// What is stored of one flow revision's parts; `receiver` nil takes parts of any receiver.
    static func flowParts(psp: String, flow: String, revision: Int, receiver: String?, in db: Database) throws -> IncompleteFlow {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT receiver_fiscal_code, page, pages, body FROM flow_part
            WHERE psp_id = ? AND flow_id = ? AND revision = ? AND (receiver_fiscal_code IS NULL OR ? IS NULL OR receiver_fiscal_code = ?)
            ORDER BY page
            """), arguments: [psp, flow, revision, receiver, receiver])
        let pages = rows.filter { $0["page"] as Int > 0 }
        let header = try rows.first { $0["page"] as Int == 0 }.map { try FlowPartWriter.decoder.decode(FlowPart.Piece.self, from: $0["body"] as Data) }
        var parts = IncompleteFlow(receiver: rows.compactMap { $0["receiver_fiscal_code"] as String? }.first ?? receiver,
                                   pspId: psp, flowId: flow, revision: revision, hasHeader: header != nil,
                                   pages: pages.first?["pages"], pagesPresent: pages.map { $0["page"] })
        if case let .header(flowHeader)? = header {
            parts.settlementDate = flowHeader.settlementDate
            parts.publishedOn = RomeTime.localDate(ofUTC: flowHeader.flowInstant)?.description
            parts.declaresNoPayment = flowHeader.declaredCount == 0
        }
        return parts
    }
}
