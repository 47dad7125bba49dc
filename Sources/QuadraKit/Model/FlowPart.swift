/// One part of an FdR-3 flow revision as the organization API delivers it: the header
/// (`SingleFlowResponse` without payments) or one page of its payments (`PaginatedPaymentsResponse`).
///
/// Parts are kept apart until the header and every page are in, then assembled into one ordinary
/// flow version, so reconciliation never sees half a flow.
public struct FlowPart: Sendable, Equatable {
    /// Which flow revision a part belongs to. A page names no flow: its identity comes from the path
    /// it was saved under, and its receiver only when that path has an 11-digit folder before `fdrs/`.
    public struct Identity: Sendable, Hashable, Codable {
        public var receiverFiscalCode: String?
        public var pspId: String
        public var flowId: String
        public var revision: Int
    }

    public enum Piece: Sendable, Equatable, Codable {
        case header(FlowHeader)
        /// Page `number` of `pages` (1-based), its payments in order.
        case page(number: Int, of: Int, rows: [FlowRow])
    }

    public var identity: Identity
    public var piece: Piece

    /// 0 for the header, else the page number: the part's place in the `flow_part` table.
    var number: Int {
        if case let .page(number, _, _) = piece { return number }
        return 0
    }

    /// The piece without what depends on the configuration (whether the receiver is served): what a
    /// part sent again is compared on.
    var comparable: Piece {
        guard case var .header(header) = piece else { return piece }
        header.receiverServed = nil
        return .header(header)
    }

    /// How a part is named in messages: `page 2 of flow F revision 1` or `the header of flow F revision 1`.
    var name: String {
        let flow = "flow \(identity.flowId) revision \(identity.revision) of PSP \(identity.pspId)"
        if case let .page(number, pages, _) = piece { return "page \(number) of \(pages) of \(flow)" }
        return "the header of \(flow)"
    }
}
