/// The defects the generator plants, each named for what went wrong in the world, with the
/// discrepancy codes the engine must raise for it. `truth.jsonl` records every planted defect.
public enum InjectedAnomaly: String, CaseIterable, Sendable, Codable {
    // On one transfer key (single-transfer payments).
    case missingFlowRow = "MISSING_FLOW_ROW"
    case wrongFlowAmount = "WRONG_FLOW_AMOUNT"
    case doublePayment = "DOUBLE_PAYMENT"
    case iurMismatch = "IUR_MISMATCH"
    case revokedInFlow = "REVOKED_IN_FLOW"
    case taxonomyUnknown = "TAXONOMY_UNKNOWN"
    case taxonomyExpired = "TAXONOMY_EXPIRED"
    case ibanNotCreditorAccount = "IBAN_NOT_CREDITOR_ACCOUNT"
    // Against the creditor's debt positions.
    case taxonomyMismatch = "TAXONOMY_MISMATCH"
    case positionAmountMismatch = "POSITION_AMOUNT_MISMATCH"
    case receiptWithoutPosition = "RECEIPT_WITHOUT_POSITION"
    case positionNotPayable = "POSITION_NOT_PAYABLE"
    case paidAfterDueDate = "PAID_AFTER_DUE_DATE"
    // Evidence with no payment behind it.
    case reportedWithoutReceipt = "REPORTED_WITHOUT_RECEIPT"
    case positionPaidNoReceipt = "POSITION_PAID_NO_RECEIPT"
    // On a whole flow and its credit.
    case missingCredit = "MISSING_CREDIT"
    case splitCredit = "SPLIT_CREDIT"
    case partialCredit = "PARTIAL_CREDIT"
    case overCredit = "OVER_CREDIT"
    case unparseableCausale = "UNPARSEABLE_CAUSALE"
    case revisedFlow = "REVISED_FLOW"
    case flowTotalMismatch = "FLOW_TOTAL_MISMATCH"
    case flowCountMismatch = "FLOW_COUNT_MISMATCH"
    case duplicateFlowRow = "DUPLICATE_FLOW_ROW"
    // On the treasury alone.
    case unknownReference = "UNKNOWN_REFERENCE"
    /// Not a defect: a payment taken while the creditor's station was in Stand-In, which the engine
    /// reports for information.
    case standIn = "STAND_IN"

    /// Kinds planted on a single-transfer payment.
    static let onPayments: [InjectedAnomaly] = [
        .missingFlowRow, .wrongFlowAmount, .doublePayment, .iurMismatch, .revokedInFlow, .taxonomyUnknown, .taxonomyExpired,
        .ibanNotCreditorAccount, .taxonomyMismatch, .positionAmountMismatch, .receiptWithoutPosition, .positionNotPayable,
        .paidAfterDueDate, .reportedWithoutReceipt, .positionPaidNoReceipt,
    ]
    /// Kinds that need the creditor to load debt positions.
    static let needPositions: Set<InjectedAnomaly> = [
        .taxonomyMismatch, .positionAmountMismatch, .receiptWithoutPosition, .positionNotPayable, .paidAfterDueDate,
        .positionPaidNoReceipt,
    ]
    /// Kinds planted on a clean flow.
    static let onFlows: [InjectedAnomaly] = [
        .missingCredit, .splitCredit, .partialCredit, .overCredit, .unparseableCausale, .revisedFlow, .flowTotalMismatch,
        .flowCountMismatch, .duplicateFlowRow, .unknownReference,
    ]

    /// The codes raised on each key the anomaly touches.
    var keyCodes: [String] {
        switch self {
        case .missingFlowRow: return ["FDR_OVERDUE"]
        case .wrongFlowAmount: return ["RT_IUF_AMOUNT_MISMATCH"]
        case .doublePayment: return ["DOUBLE_PAYMENT"]
        case .iurMismatch: return ["IUR_MISMATCH"]
        case .revokedInFlow: return ["REVOKED_PAYMENT"]
        case .taxonomyUnknown: return ["TAXONOMY_UNKNOWN"]
        case .taxonomyExpired: return ["TAXONOMY_NOT_VALID_ON_DATE"]
        case .ibanNotCreditorAccount: return ["IBAN_NOT_CREDITOR_ACCOUNT"]
        case .taxonomyMismatch: return ["TAXONOMY_MISMATCH"]
        case .positionAmountMismatch: return ["POSITION_AMOUNT_MISMATCH", "TRANSFER_PLAN_MISMATCH"]
        case .receiptWithoutPosition: return ["RECEIPT_WITHOUT_POSITION"]
        case .positionNotPayable: return ["POSITION_NOT_PAYABLE"]
        case .paidAfterDueDate: return ["PAID_AFTER_DUE_DATE"]
        case .reportedWithoutReceipt: return ["REPORTED_WITHOUT_RECEIPT"]
        case .positionPaidNoReceipt: return ["POSITION_PAID_NO_RECEIPT"]
        case .standIn: return ["STAND_IN_PAYMENT"]
        default: return []
        }
    }

    /// The codes raised on the flow (or on the credit movement) the anomaly touches.
    var flowCodes: [String] {
        switch self {
        case .missingCredit: return ["TES_OVERDUE"]
        case .partialCredit, .overCredit: return ["TES_AMOUNT_MISMATCH"]
        case .unparseableCausale: return ["TES_OVERDUE"]
        case .flowTotalMismatch: return ["FDR_TOTAL_MISMATCH"]
        case .flowCountMismatch: return ["FDR_COUNT_MISMATCH"]
        case .duplicateFlowRow: return ["FDR_DUPLICATE_ROW"]
        default: return []
        }
    }

    var movementCodes: [String] {
        switch self {
        case .unparseableCausale: return ["CAUSALE_UNPARSEABLE"]
        case .unknownReference: return ["TES_UNKNOWN_REFERENCE"]
        default: return []
        }
    }
}
