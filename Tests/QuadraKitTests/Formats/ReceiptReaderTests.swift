import Testing
@testable import QuadraKit

@Suite struct ReceiptReaderTests {
    @Test func readsTheRealMultiBeneficiarySample() throws {
        let (kind, content) = TestSupport.parse(try SampleReceipt.text)
        #expect(kind == .receiptV2)
        guard case let .receipt(receipt) = try content.get() else { Issue.record("not a receipt"); return }
        #expect(receipt.receiptId == "c110729d258c4ab1b765fe902aae41d6")
        #expect(receipt.noticeNumber == "311111111112222222")
        #expect(receipt.fiscalCode == "77777777777")
        #expect(receipt.iuv == "11111111112222222")
        #expect(receipt.paymentAmountCents == 3000)
        #expect(receipt.feeCents == 200)
        #expect(receipt.primaryCiIncurredFeeCents == 50)
        #expect(receipt.pspId == "88888888888")
        #expect(receipt.channelId == "88888888888_01")
        #expect(receipt.paymentMethod == "creditCard")
        #expect(receipt.paymentDateTime == "2021-10-01T17:48:22")
        #expect(receipt.applicationDate == "2021-10-01")
        #expect(receipt.transferDate == "2021-10-02")
        #expect(receipt.standIn == false)
        #expect(receipt.debtor == Party(kind: "F", identifier: "JHNDOE00A01F205N", fullName: "John Doe"))
        #expect(receipt.metadata == [MetadataEntry(key: "keytest3", value: "21")])
        #expect(receipt.transfers.count == 2)
        let first = receipt.transfers[0], second = receipt.transfers[1]
        #expect(first.idTransfer == 1 && first.amountCents == 2000 && first.beneficiaryFiscalCode == "77777777777")
        #expect(first.iban == "IT0000000000000000000000000" && !first.isStamp)
        #expect(first.taxonomyCode == "0101100IM")
        #expect(first.metadata == [MetadataEntry(key: "keytest", value: "1")])
        #expect(second.idTransfer == 2 && second.amountCents == 1000 && second.beneficiaryFiscalCode == "77777777778")
        #expect(second.taxonomyCode == "0201102IM" && second.metadata.isEmpty)
    }

    @Test(arguments: ["soapenv", "S", "env"])
    func readsTheSameReceiptInsideAnyEnvelopeWithTheSameDigest(prefix: String) throws {
        let bare = try TestSupport.receipt(try SampleReceipt.text)
        let wrapped = try TestSupport.receipt(try SampleReceipt.inEnvelope(prefix: prefix))
        #expect(wrapped == bare)
    }

    @Test func theDigestIgnoresTheStationButNotTheContent() throws {
        let original = try TestSupport.receipt(try SampleReceipt.text)
        let otherStation = try TestSupport.receipt(try SampleReceipt.replacing(
            "<idStation>77777777777_01</idStation>", with: "<idStation>77777777778_01</idStation>"))
        let otherNote = try TestSupport.receipt(try SampleReceipt.replacing(
            "<description>test</description>", with: "<description>test 2</description>"))
        #expect(otherStation.contentDigest == original.contentDigest)
        #expect(otherNote.contentDigest != original.contentDigest)
    }

    /// Stores written by earlier versions hold these digests: a re-delivery must still compare equal.
    @Test func theDigestOfTheSampleNeverChanges() throws {
        let v2 = try TestSupport.receipt(try SampleReceipt.text)
        let v1 = try TestSupport.receipt(try SampleReceipt.replacing("paSendRTV2Request", with: "paSendRTReq")
            .replacingOccurrences(of: "<companyName>company EC1</companyName>\n                <IBAN>", with: "<IBAN>"))
        #expect(v2.contentDigest == "3d55e03486615761b6d4fa6196291e815369edc994595644fd66a7a1860361ba")
        #expect(v1.contentDigest == "101edda849921864c4c7cd287e5a3d1c6a43fbcc37bd80c788d56b55a0317ca9")
    }

    @Test func readsAVersionOneReceipt() throws {
        let v1 = try SampleReceipt.replacing("paSendRTV2Request", with: "paSendRTReq")
            .replacingOccurrences(of: "<companyName>company EC1</companyName>\n                <IBAN>", with: "<IBAN>")
        let (kind, content) = TestSupport.parse(v1)
        #expect(kind == .receiptV1)
        guard case let .receipt(receipt) = try content.get() else { Issue.record("not a receipt"); return }
        #expect(receipt.version == .v1 && receipt.transfers.count == 2)
    }

    @Test func aDigitalStampTransferIsMarkedAndCarriesNoIBAN() throws {
        let text = try SampleReceipt.replacing("<IBAN>IT0000000000000000000000001</IBAN>",
                                               with: "<MBDAttachment>PG1hcmNhRGFCb2xsbz48L21hcmNhRGFCb2xsbz4=</MBDAttachment>")
        let receipt = try TestSupport.receipt(text)
        #expect(receipt.transfers[1].isStamp && receipt.transfers[1].iban == nil)
        #expect(!receipt.transfers[0].isStamp)
    }

    @Test(arguments: [
        ("<paymentAmount>30.00</paymentAmount>", "<paymentAmount>31.00</paymentAmount>", "transfers sum to 30.00 but paymentAmount is 31.00"),
        ("<idTransfer>2</idTransfer>", "<idTransfer>1</idTransfer>", "idTransfer 1 appears twice"),
        ("<outcome>OK</outcome>", "<outcome>KO</outcome>", "outcome is KO"),
        ("<transferAmount>10.00</transferAmount>", "<transferAmount>10.0</transferAmount>", "'10.0' is not a positive amount with two decimals"),
        ("<paymentAmount>30.00</paymentAmount>", "<paymentAmount>30,00</paymentAmount>", "'30,00' is not an amount with two decimals"),
        ("<receiptId>c110729d258c4ab1b765fe902aae41d6</receiptId>", "", "receiptId is missing"),
        ("<noticeNumber>311111111112222222</noticeNumber>", "<noticeNumber>3111</noticeNumber>", "not 18 digits"),
        ("<fiscalCodePA>77777777778</fiscalCodePA>", "<fiscalCodePA>7777</fiscalCodePA>", "not an 11-digit creditor fiscal code"),
        ("<idTransfer>2</idTransfer>", "<idTransfer>6</idTransfer>", "idTransfer 6 is not 1 to 5"),
        ("<applicationDate>2021-10-01</applicationDate>", "<applicationDate>2021-02-30</applicationDate>", "not an ISO date"),
        ("<standIn>false</standIn>", "<standIn>maybe</standIn>", "not a boolean"),
        ("<IBAN>IT0000000000000000000000001</IBAN>", "", "either an IBAN or an MBDAttachment"),
    ])
    func refusesAReceiptThatBreaksARule(old: String, new: String, reason: String) throws {
        let rejection = TestSupport.rejection(try SampleReceipt.replacing(old, with: new))
        #expect(rejection?.description.contains(reason) == true, "got \(String(describing: rejection))")
    }

    @Test func namesTheTransferElementThatIsWrong() throws {
        let rejection = TestSupport.rejection(try SampleReceipt.replacing("<transferAmount>10.00</transferAmount>", with: "<transferAmount>ten</transferAmount>"))
        #expect(rejection?.element == "receipt/transferList/transfer[2]/transferAmount")
    }

    @Test func refusesMalformedXMLWithTheLine() throws {
        let truncated = String(try SampleReceipt.text.prefix(600))
        let rejection = TestSupport.rejection(truncated)
        #expect(rejection != nil)
        #expect((rejection?.line ?? 0) > 0)
    }

    @Test func refusesAnUnknownRootElementNamingIt() {
        let rejection = TestSupport.rejection("<?xml version=\"1.0\"?><invoice xmlns=\"urn:example\"><total>1.00</total></invoice>")
        #expect(rejection?.reason.contains("{urn:example}invoice") == true)
    }

    @Test func refusesAReceiptRootInAnotherNamespace() {
        let kind = TestSupport.parse("<paSendRTV2Request xmlns=\"urn:other\"><receipt/></paSendRTV2Request>").kind
        #expect(kind == .unknown)
    }

    /// Finding 6.6: lenient parsing that filed money under the wrong owner. Each bad receipt is the
    /// real sample with one substitution, refused naming the element.
    @Test(arguments: [
        ("<fiscalCode>77777777777</fiscalCode>", "<fiscalCode>77777777777</fiscalCode><fiscalCode>77777777778</fiscalCode>",
         "receipt/fiscalCode", "appears twice"),
        ("<IBAN>IT0000000000000000000000001</IBAN>", "<IBAN>IT0000000000000000000000001</IBAN><IBAN>IT0000000000000000000000000</IBAN>",
         "receipt/transferList/transfer[2]/IBAN", "appears twice"),
        ("<paymentDateTime>2021-10-01T17:48:22</paymentDateTime>", "<paymentDateTime>2026-11-16T25:61:61</paymentDateTime>",
         "receipt/paymentDateTime", "not an ISO date-time"),
        ("<paymentDateTime>2021-10-01T17:48:22</paymentDateTime>", "<paymentDateTime>2021-10-01T17:48:22+99:00</paymentDateTime>",
         "receipt/paymentDateTime", "not an ISO date-time"),
        ("<IBAN>IT0000000000000000000000001</IBAN>", "<IBAN>hello</IBAN>", "receipt/transferList/transfer[2]/IBAN", "not an IBAN"),
        ("<receiptId>c110729d258c4ab1b765fe902aae41d6</receiptId>", "<receiptId>\(String(repeating: "7", count: 10_000))</receiptId>",
         "receipt/receiptId", "longer than the 35 characters"),
        ("<remittanceInformation>remittanceInformation1</remittanceInformation>",
         "<remittanceInformation>\(String(repeating: "è", count: 141))</remittanceInformation>",
         "receipt/transferList/transfer[1]/remittanceInformation", "longer than the 140 characters"),
    ])
    func lenientFieldsAreRefusedNamingTheElement(original: String, broken: String, element: String, reason: String) throws {
        let rejection = try #require(TestSupport.rejection(try SampleReceipt.replacing(original, with: broken)))
        #expect(rejection.element == element && rejection.reason.contains(reason), "\(rejection)")
    }

    @Test func fieldsAtTheirSchemaLengthAndOffsetsAreAccepted() throws {
        let receipt = try TestSupport.receipt(try SampleReceipt.replacing("<description>test</description>",
                                                                          with: "<description>\(String(repeating: "è", count: 140))</description>")
            .replacingOccurrences(of: "2021-10-01T17:48:22<", with: "2021-10-01T23:59:59.123+01:00<"))
        #expect(receipt.description?.count == 140 && receipt.paymentDateTime == "2021-10-01T23:59:59.123+01:00")
    }

    /// Finding 6.3: a 200 MB text node was gathered whole; now the parser stops at 1 MiB.
    @Test func aHugeTextNodeIsRefusedAsItArrives() throws {
        let huge = try SampleReceipt.replacing("<description>test</description>",
                                               with: "<description>\(String(repeating: "x", count: (1 << 20) + 1))</description>")
        let rejection = try #require(TestSupport.rejection(huge))
        #expect(rejection.reason.contains("longer than 1048576 bytes"), "\(rejection)")
    }
}
