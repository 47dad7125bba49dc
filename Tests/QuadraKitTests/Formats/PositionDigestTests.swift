import Foundation
import Testing
@testable import QuadraKit

/// A position's content digest decides whether a position sent again is a new version: its bytes
/// must never change, or every stored position would look changed the next time it is sent. These
/// digests were made by `JSONEncoder` (sorted keys), which wrote the canonical form until it was
/// written by hand for speed.
@Suite struct PositionDigestTests {
    private func digests(_ text: String) throws -> [String] {
        let (_, content) = TestSupport.parse(text, creditor: "80000000002")
        guard case let .debtPositions(positions, quarantined) = try content.get() else { throw DocumentRejection(reason: "not positions") }
        #expect(quarantined.isEmpty)
        return positions.map(\.contentDigest)
    }

    @Test func theRealSampleKeepsItsDigest() throws {
        let text = String(decoding: try TestSupport.specSample("gpd_payment_positions_upload_1position.json"), as: UTF8.self)
        #expect(try digests(text) == ["0046f3b0c6a42b89289474611e02fdd26c28fce02f1af0cddd56d7b85b6caac9"])
    }

    /// Every field, both spellings of `idTransfer`, a stamp, metadata, and texts holding what JSON
    /// escapes (quotes, backslash, slash, control characters) and what it does not (accents, the euro
    /// sign, an emoji, U+2028, DEL).
    @Test func everyFieldAndEveryEscapeKeepTheirDigest() throws {
        let text = #"""
        [{"iupd": "IUPD-\"1\"/\\x", "organizationFiscalCode": "80000000002", "type": "G", "fiscalCode": "80000000010",
          "fullName": "Caff\u00e8 \u20ac \ud83d\ude00 a\u2028b\u007fc\u0001d\u001fe\tf\ng\rh\bi\fj", "companyName": "Comune \"di\" Esempio",
          "officeName": "Ufficio / Tributi", "validityDate": "2026-11-01T00:00:00", "switchToExpired": true, "payStandIn": true,
          "status": "VALID", "paymentDate": "2026-11-02",
          "paymentOption": [
            {"iuv": "01000000000000017", "nav": "301000000000000017", "organizationFiscalCode": "80000000002", "amount": 12345,
             "description": "TARI 2026 \u00e0 rata 1", "isPartialPayment": true, "dueDate": "2026-12-31", "retentionDate": "2027-12-31",
             "fee": 150, "notificationFee": 0, "status": "PO_UNPAID", "paymentDate": "2026-11-03", "idReceipt": "R/1",
             "idFlowReporting": "F\\1",
             "paymentOptionMetadata": [{"key": "capitolo", "value": "1010/\"b\""}, {"key": "", "value": "\u00fc"}],
             "transfer": [
               {"idTransfer": "1", "amount": 12000, "organizationFiscalCode": "80000000002", "remittanceInformation": "Tassa \"rifiuti\"",
                "category": "9/0101100IM/", "iban": "IT60X0542811101000000123456", "postalIban": "IT60X0760111101000000123456",
                "companyName": "Comune", "status": "T_UNREPORTED", "transferMetadata": [{"key": "k", "value": "v"}]},
               {"idTransfer": 2, "amount": 345, "stamp": {"hashDocument": "aGFzaA==", "stampType": "01", "provincialResidence": "RM"},
                "transferMetadata": []}
             ]},
            {"iuv": "01000000000000025", "amount": 1, "transfer": [{"idTransfer": "1", "amount": 1, "iban": "IT60X0542811101000000123456",
              "stamp": null}]}
          ]},
         {"iupd": "B", "paymentOption": [{"iuv": "01000000000000033", "amount": 100,
          "transfer": [{"idTransfer": "1", "amount": 100, "postalIban": "IT60X0760111101000000123456"}]}]}]
        """#
        #expect(try digests(text) == ["088ecf7ee9054025799429640ec53fb29b3df5f5ad927b0930ade8570559c58f",
                                      "f600f927efb830e7a38fd1562829b069ed632e004dbda707f2f3f1f07faaa9ef"])
    }
}
