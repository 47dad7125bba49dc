import Foundation
import Testing
@testable import QuadraKit

@Suite struct DebtPositionReaderTests {
    private func positions(_ text: String, creditor: String? = "80000000002") throws -> ([DebtPosition], [DocumentRejection]) {
        let (kind, content) = TestSupport.parse(text, creditor: creditor)
        #expect(kind == .debtPositions)
        guard case let .debtPositions(positions, quarantined) = try content.get() else { throw DocumentRejection(reason: "not positions") }
        return (positions, quarantined)
    }

    private static func position(iupd: String, iuv: String, amount: Int, transfers: String? = nil) -> String {
        """
        {"iupd": "\(iupd)", "type": "F", "fiscalCode": "RSSMRA80A01H501U", "fullName": "Mario Rossi",
         "paymentOption": [{"iuv": "\(iuv)", "amount": \(amount), "isPartialPayment": false, "dueDate": "2026-12-31T00:00:00.000",
           "transfer": \(transfers ?? "[{\"idTransfer\": \"1\", \"amount\": \(amount), \"category\": \"9/0101100IM/\", \"iban\": \"IT60X0542811101000000123456\"}]")}]}
        """
    }

    @Test func readsTheRealBulkUploadSampleForTheGivenCreditor() throws {
        let text = String(decoding: try TestSupport.specSample("gpd_payment_positions_upload_1position.json"), as: UTF8.self)
        let (read, quarantined) = try positions(text, creditor: "77777777777")
        #expect(quarantined.isEmpty)
        let position = try #require(read.first)
        #expect(position.creditorFiscalCode == "77777777777" && position.iupd == "IUPD_WEBINAR_001")
        #expect(position.debtor?.fullName == "Mario Rossi")
        let option = try #require(position.options.first)
        #expect(option.iuv == "4700000000000003" && option.amountCents == 100 && option.dueDate == "2025-07-18T00:00:00.000")
        #expect(option.transfers.first?.idTransfer == 1 && option.transfers.first?.beneficiaryFiscalCode == "77777777777")
        #expect(option.transfers.first?.taxonomyCode == nil, "category_webinar is not a taxonomy code")
    }

    @Test func withoutAnOwnerTheDocumentIsRefused() throws {
        let text = String(decoding: try TestSupport.specSample("gpd_payment_positions_upload_1position.json"), as: UTF8.self)
        let (_, content) = TestSupport.parse(text, creditor: nil)
        guard case let .failure(rejection) = content else { Issue.record("accepted without owner"); return }
        #expect(rejection.reason.contains("no owning creditor"))
    }

    @Test func theOwnerNamedInAResponseModelWins() throws {
        let text = "{\"organizationFiscalCode\": \"80000000010\", " + Self.position(iupd: "P1", iuv: "01000000000000001", amount: 500).dropFirst()
        let (read, _) = try positions(text, creditor: "80000000002")
        #expect(read.first?.creditorFiscalCode == "80000000010")
    }

    @Test func readsASinglePositionAndAnArray() throws {
        #expect(try positions(Self.position(iupd: "P1", iuv: "01000000000000001", amount: 500)).0.count == 1)
        let array = "[\(Self.position(iupd: "P1", iuv: "01000000000000001", amount: 500)), \(Self.position(iupd: "P2", iuv: "01000000000000002", amount: 700))]"
        #expect(try positions(array).0.map(\.iupd) == ["P1", "P2"])
    }

    @Test func aPositionBreakingARuleIsQuarantinedAloneAndNamed() throws {
        let badSplit = "[{\"idTransfer\": \"1\", \"amount\": 400, \"iban\": \"IT60X0542811101000000123456\"}, {\"idTransfer\": \"2\", \"amount\": 50, \"organizationFiscalCode\": \"80000000010\", \"iban\": \"IT60X0542811101000000123457\"}]"
        let bulk = """
            {"paymentPositions": [\(Self.position(iupd: "GOOD", iuv: "01000000000000001", amount: 500)),
                                  \(Self.position(iupd: "BAD", iuv: "01000000000000002", amount: 500, transfers: badSplit)),
                                  \(Self.position(iupd: "DUP", iuv: "01000000000000001", amount: 500))]}
            """
        let (read, quarantined) = try positions(bulk)
        #expect(read.map(\.iupd) == ["GOOD"])
        #expect(quarantined.count == 2)
        #expect(quarantined[0].element == "paymentPositions[1].paymentOption[0].transfer")
        #expect(quarantined[0].reason.contains("sum to 4.50 but the option amount is 5.00"))
        #expect(quarantined[1].reason.contains("IUV 01000000000000001 already used by position GOOD"))
    }

    @Test func aStampTransferIsMarkedAndCountsInTheSplit() throws {
        let text = String(decoding: try TestSupport.specSample("gpd_payment_option_response_3transfers_iban_iban_stamp.json"), as: UTF8.self)
        let option = text.replacingOccurrences(of: "\"organizationFiscalCode\": \"string\"", with: "\"organizationFiscalCode\": \"77777777778\"")
        let wrapped = "{\"iupd\": \"IUPD-STAMP\", \"organizationFiscalCode\": \"77777777777\", \"paymentOption\": [\(option)]}"
        let (read, quarantined) = try positions(wrapped, creditor: nil)
        #expect(quarantined.isEmpty, "\(quarantined)")
        let transfers = try #require(read.first?.options.first?.transfers)
        #expect(transfers.map(\.isStamp) == [false, false, true])
        #expect(transfers.map(\.beneficiaryFiscalCode) == ["77777777778", "77777777777", "77777777777"])
        #expect(read.first?.options.first?.status == "PO_PAID")
    }

    @Test func thePlaceholderBeneficiaryOfTheRealSampleIsQuarantined() throws {
        let text = String(decoding: try TestSupport.specSample("gpd_payment_option_response_3transfers_iban_iban_stamp.json"), as: UTF8.self)
        let wrapped = "[{\"iupd\": \"IUPD-1\", \"paymentOption\": [\(text)]}, \(Self.position(iupd: "IUPD-2", iuv: "01000000000000009", amount: 100))]"
        let (read, quarantined) = try positions(wrapped, creditor: "77777777777")
        #expect(read.map(\.iupd) == ["IUPD-2"])
        #expect(quarantined.first?.description.contains("'string' is not an 11-digit creditor fiscal code") == true)
    }

    @Test func wrongTypesAreQuarantinedWithTheirPath() throws {
        let bulk = """
            {"paymentPositions": [\(Self.position(iupd: "P1", iuv: "01000000000000001", amount: 500)),
              {"iupd": "P2", "paymentOption": [{"iuv": "X", "amount": "five", "transfer": []}]}]}
            """
        let (read, quarantined) = try positions(bulk)
        #expect(read.count == 1)
        #expect(quarantined.first?.element == "paymentPositions[1]")
        #expect(quarantined.first?.reason.contains("amount") == true)
    }

    /// A probe's file that crashed every night (two transfers of 5·10^18 cents overflow a sum): now the
    /// position is quarantined naming the amount, and the good one beside it lands.
    @Test func amountsPastAnyPagoPAAmountAreQuarantinedNotSummed() throws {
        let huge = "[{\"idTransfer\": \"1\", \"amount\": 5000000000000000000, \"iban\": \"IT60X0542811101000000123456\"}, {\"idTransfer\": \"2\", \"amount\": 5000000000000000000, \"iban\": \"IT60X0542811101000000123456\"}]"
        let bulk = """
            {"paymentPositions": [\(Self.position(iupd: "HUGE", iuv: "01000000000000001", amount: 1, transfers: huge)),
                                  \(Self.position(iupd: "BIG", iuv: "01000000000000002", amount: 10000000000000)),
                                  \(Self.position(iupd: "GOOD", iuv: "01000000000000003", amount: 500))]}
            """
        let (read, quarantined) = try positions(bulk)
        #expect(read.map(\.iupd) == ["GOOD"])
        #expect(quarantined.map(\.element) == ["paymentPositions[0].paymentOption[0].transfer[0].amount",
                                                "paymentPositions[1].paymentOption[0].amount"])
        #expect(quarantined.allSatisfy { $0.reason.contains("from 1 to 99999999999") })
    }

    /// Numbers no `Int64` holds (20 digits and more, a fraction) made the decoder throw an
    /// error without a path, and the position was refused with the decoder's raw text: now each is
    /// refused naming its field, like any amount out of range, and the good position beside it lands.
    @Test func amountsNoIntegerHoldsAreQuarantinedNamingTheField() throws {
        func option(_ iuv: String, amount: String, fee: String = "0", transferAmount: String? = nil) -> String {
            """
            {"iupd": "P\(iuv.suffix(1))", "type": "F", "fiscalCode": "RSSMRA80A01H501U", "fullName": "Mario Rossi",
             "paymentOption": [{"iuv": "\(iuv)", "amount": \(amount), "fee": \(fee), "isPartialPayment": false,
               "dueDate": "2026-12-31T00:00:00.000", "transfer": [{"idTransfer": "1", "amount": \(transferAmount ?? amount),
               "category": "9/0101100IM/", "iban": "IT60X0542811101000000123456"}]}]}
            """
        }
        let bulk = """
            {"paymentPositions": [\(option("01000000000000001", amount: "99999999999999999999")),
                                  \(option("01000000000000002", amount: "500", transferAmount: "12345678901234567890123")),
                                  \(option("01000000000000003", amount: "100.5")),
                                  \(option("01000000000000004", amount: "500", fee: "123456789012345678901234567890123456789012345678901234567890")),
                                  \(option("01000000000000005", amount: "500"))]}
            """
        let (read, quarantined) = try positions(bulk)
        #expect(read.map(\.iupd) == ["P5"])
        #expect(quarantined.map(\.element) == ["paymentPositions[0].paymentOption[0].amount",
                                                "paymentPositions[1].paymentOption[0].transfer[0].amount",
                                                "paymentPositions[2].paymentOption[0].amount",
                                                "paymentPositions[3].paymentOption[0].fee"])
        #expect(quarantined.allSatisfy { $0.reason.contains("must be whole cents from") })
    }

    @Test func checkedSumsReportOverflowInsteadOfTrapping() {
        #expect(Money.sum([Int64.max, 1]) == nil)
        #expect(Money.sum([5_000_000_000_000_000_000, 5_000_000_000_000_000_000]) == nil)
        #expect(Money.sum([2000, 1000, -500]) == 2500)
    }

    @Test func malformedJSONIsRefused() {
        let (_, content) = TestSupport.parse("{\"paymentPositions\": [", creditor: "80000000002")
        guard case .failure = content else { Issue.record("accepted"); return }
    }
}
