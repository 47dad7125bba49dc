/// Every discrepancy Quadra raises, declared once: its code as the reports spell it, how grave it
/// usually is, and what it means in one line. A new code is added here and nowhere else; the
/// README's table of codes is checked against this list by a test.
public enum DiscrepancyCode: String, Sendable, CaseIterable, Codable {
    case fdrOverdue = "FDR_OVERDUE"
    case rtIufAmountMismatch = "RT_IUF_AMOUNT_MISMATCH"
    case iurMismatch = "IUR_MISMATCH"
    case doublePayment = "DOUBLE_PAYMENT"
    case reportedWithoutReceipt = "REPORTED_WITHOUT_RECEIPT"
    case revokedPayment = "REVOKED_PAYMENT"
    case standInPayment = "STAND_IN_PAYMENT"
    case positionPaidNoReceipt = "POSITION_PAID_NO_RECEIPT"
    case positionStatusMismatch = "POSITION_STATUS_MISMATCH"
    case receiptWithoutPosition = "RECEIPT_WITHOUT_POSITION"
    case positionAmountMismatch = "POSITION_AMOUNT_MISMATCH"
    case transferPlanMismatch = "TRANSFER_PLAN_MISMATCH"
    case positionNotPayable = "POSITION_NOT_PAYABLE"
    case overpayment = "OVERPAYMENT"
    case paidAfterDueDate = "PAID_AFTER_DUE_DATE"
    case ibanNotCreditorAccount = "IBAN_NOT_CREDITOR_ACCOUNT"
    case taxonomyUnknown = "TAXONOMY_UNKNOWN"
    case taxonomyNotValidOnDate = "TAXONOMY_NOT_VALID_ON_DATE"
    case taxonomyMismatch = "TAXONOMY_MISMATCH"
    case tesOverdue = "TES_OVERDUE"
    case tesPartial = "TES_PARTIAL"
    case tesAmountMismatch = "TES_AMOUNT_MISMATCH"
    case tesLate = "TES_LATE"
    case tesUnknownReference = "TES_UNKNOWN_REFERENCE"
    case causaleUnparseable = "CAUSALE_UNPARSEABLE"
    case fdrRevisedAfterClose = "FDR_REVISED_AFTER_CLOSE"
    case fdrCountMismatch = "FDR_COUNT_MISMATCH"
    case fdrTotalMismatch = "FDR_TOTAL_MISMATCH"
    case fdrDuplicateRow = "FDR_DUPLICATE_ROW"
    case fdrBadId = "FDR_BAD_ID"
    case fdrUnknownOutcome = "FDR_UNKNOWN_OUTCOME"
    case fdrUnknownReceiver = "FDR_UNKNOWN_RECEIVER"
    case fdrBadRow = "FDR_BAD_ROW"
    case fdrIncomplete = "FDR_INCOMPLETE"
    case fdrBadHeader = "FDR_BAD_HEADER"
    case sourceSilent = "SOURCE_SILENT"
    case provvisorioAmountDiffers = "PROVVISORIO_IMPORTO_DIVERSO"
    case provvisorioNotRegularised = "PROVVISORIO_NON_REGOLARIZZATO"

    /// The severity a discrepancy of this code has unless its rule says otherwise
    /// (`REPORTED_WITHOUT_RECEIPT` for outcomes 8 and 9, `TES_UNKNOWN_REFERENCE` once reversed).
    public var severity: Discrepancy.Severity {
        switch self {
        case .fdrOverdue, .rtIufAmountMismatch, .iurMismatch, .doublePayment, .reportedWithoutReceipt, .positionAmountMismatch,
             .positionNotPayable, .overpayment, .tesOverdue, .tesAmountMismatch, .tesUnknownReference, .fdrCountMismatch,
             .fdrTotalMismatch, .fdrDuplicateRow, .fdrUnknownReceiver, .fdrBadRow, .fdrIncomplete, .fdrBadHeader,
             .provvisorioAmountDiffers:
            return .error
        case .revokedPayment, .positionPaidNoReceipt, .positionStatusMismatch, .receiptWithoutPosition, .transferPlanMismatch, .ibanNotCreditorAccount,
             .taxonomyUnknown, .taxonomyNotValidOnDate, .taxonomyMismatch, .tesPartial, .causaleUnparseable,
             .fdrRevisedAfterClose, .fdrBadId, .fdrUnknownOutcome, .sourceSilent, .provvisorioNotRegularised:
            return .warning
        case .standInPayment, .paidAfterDueDate, .tesLate:
            return .info
        }
    }

    /// What it means, in one line an accountant can act on.
    public var meaning: String {
        switch self {
        case .fdrOverdue: return "paid, and no flow has reported it by the payment day + 2 working days"
        case .rtIufAmountMismatch: return "the flow reports another amount than the receipt"
        case .iurMismatch: return "the flow reports the IUV with an IUR other than its receipt's"
        case .doublePayment: return "the same IUV and transfer paid or reported under several IURs"
        case .reportedWithoutReceipt: return "a flow reports a payment no receipt backs (warning for outcomes 8 and 9)"
        case .revokedPayment: return "a flow reports the payment as revoked (outcome 3)"
        case .standInPayment: return "paid while the station was in stand-in: amount and position may be stale"
        case .positionPaidNoReceipt: return "GPD marks the option paid and no receipt backs it"
        case .positionStatusMismatch: return "GPD says the position is paid and no receipt is in the store, or sent it as unpaid after its receipt"
        case .receiptWithoutPosition: return "paid, and no debt position of the creditor holds the IUV"
        case .positionAmountMismatch: return "the receipt paid another amount than the option asks"
        case .transferPlanMismatch: return "a transfer differs from the position's plan (beneficiary, IBAN or amount)"
        case .positionNotPayable: return "paid while the position was draft, invalid or expired"
        case .overpayment: return "a position paid more than once: money to give back"
        case .paidAfterDueDate: return "paid after the option's due date"
        case .ibanNotCreditorAccount: return "credited to an account the creditor has not declared"
        case .taxonomyUnknown: return "the transfer's category is not in the taxonomy table"
        case .taxonomyNotValidOnDate: return "the category was not valid on the payment day (newest edition)"
        case .taxonomyMismatch: return "the receipt's category is not the position's"
        case .tesOverdue: return "the flow was not credited by its settlement date + 1 working day"
        case .tesPartial: return "the flow is credited in part so far, not yet due"
        case .tesAmountMismatch: return "the flow is credited less than its total after its due date, a payment credited alone less than its share, or a flow or payment more (the excess to claim back)"
        case .tesLate: return "the flow was credited in full after its due date"
        case .tesUnknownReference: return "a credit names a flow or IUV the creditor has not (info once the bank reversed it)"
        case .causaleUnparseable: return "a credit's causale carries no pagoPA reference"
        case .fdrRevisedAfterClose: return "a flow revision changed a transfer after it was closed; open until a run of a later day finds it closed again"
        case .fdrCountMismatch: return "the flow declares another number of payments than it holds"
        case .fdrTotalMismatch: return "the flow declares another total than its rows sum to"
        case .fdrDuplicateRow: return "the same IUV, IUR and index twice in one flow"
        case .fdrBadId: return "the flow id is not date + PSP + unique part, or its date is not the settlement date"
        case .fdrUnknownOutcome: return "a row's outcome code is not 0, 3, 4, 8 or 9"
        case .fdrUnknownReceiver: return "a flow for a creditor that is not served"
        case .fdrBadRow: return "a row whose amount, index, IUV or IUR could not be read"
        case .fdrBadHeader: return "the flow's declared count or total cannot be read, so that check could not be made"
        case .sourceSilent: return "a served creditor got no receipts, flows or treasury it expects for [monitoring] silent_days working days"
        case .fdrIncomplete: return "an FdR-3 flow still missing its header or pages the working day after settlement (a later revision: after it was published)"
        case .provvisorioAmountDiffers: return "the reversali regularised a provvisorio for another amount than it had"
        case .provvisorioNotRegularised: return "a provvisorio di entrata has no reversale [accounting] regularise_working_days (30) working days after it was booked"
        }
    }
}

extension FlowFinding.Code {
    /// The discrepancy a flow finding raises: the same code (a test checks every finding has one).
    public var discrepancy: DiscrepancyCode { DiscrepancyCode(rawValue: rawValue)! }
}
