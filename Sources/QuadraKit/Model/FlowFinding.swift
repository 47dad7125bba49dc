/// Something wrong with a reporting flow, stored on the flow: never a reason to drop its rows.
public struct FlowFinding: Sendable, Equatable, Codable {
    /// Stable codes, documented in README.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// `numeroTotalePagamenti` / `totPayments` differs from the rows.
        case countMismatch = "FDR_COUNT_MISMATCH"
        /// `importoTotalePagamenti` / `sumPayments` differs from the sum of the rows.
        case totalMismatch = "FDR_TOTAL_MISMATCH"
        /// The same (IUV, IUR, index) more than once in one flow.
        case duplicateRow = "FDR_DUPLICATE_ROW"
        /// The flow id is not `YYYY-MM-DD<pspId>-<unique>`, or its date is not the settlement date.
        case badId = "FDR_BAD_ID"
        /// A row's outcome code is none of 0/3/4/8/9 (the row is kept as UNKNOWN).
        case unknownOutcome = "FDR_UNKNOWN_OUTCOME"
        /// The receiving creditor is none of those the store knows.
        case unknownReceiver = "FDR_UNKNOWN_RECEIVER"
        /// A row whose amount or index could not be read (kept without them).
        case badRow = "FDR_BAD_ROW"
        /// The declared count or total is there but cannot be read (`abc`, negative, 20 digits): the
        /// check against the rows could not be made, which must not pass for a flow that adds up.
        case badHeader = "FDR_BAD_HEADER"
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
