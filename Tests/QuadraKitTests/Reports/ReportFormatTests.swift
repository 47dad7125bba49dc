import Testing
@testable import QuadraKit

@Suite struct ReportFormatTests {
    @Test func fieldsAreQuotedOnlyWhenRFC4180AsksForIt() {
        #expect(CSVWriter.line(["plain", nil, "a,b", "say \"hi\"", "two\nlines"]) == "plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
        // Finding 6.7: formulas are shown, not run; amounts stay numbers.
        #expect(CSVWriter.line(["=HYPERLINK(\"http://x\")", "+39 333", "-1200", "-", "@SUM(A1)", "\tx", "1200", "a=b"])
                == "\"'=HYPERLINK(\"\"http://x\"\")\",'+39 333,-1200,'-,'@SUM(A1),'\tx,1200,a=b\r\n")
    }

    @Test func debtorIdsKeepSixCharactersAndTheirLength() {
        #expect(ReportWriter.mask("RSSMRA80A01H501U") == "RSSMRA**********")
        #expect(ReportWriter.mask("ABC") == "ABC")
    }

    @Test func listsAreSortedAndPipeJoined() {
        #expect(Store.sortedList("TES_PARTIAL|FDR_LATE") == "FDR_LATE|TES_PARTIAL")
        #expect(Store.sortedList("b,a") == "a|b")
    }

    @Test func jsonLinesEscapeAndKeepNumbersAsNumbers() {
        let line = ReportWriter.jsonLine(["code", "age_days", "iuv", "message"], ["X", "3", nil, "a \"q\"\n\u{1}"],
                                         numeric: ["age_days"])
        #expect(line == "{\"code\":\"X\",\"age_days\":3,\"iuv\":null,\"message\":\"a \\\"q\\\"\\n\\u0001\"}\n")
    }

    /// Settlement 2026-11-17 (a Tuesday): the credit is due by Wednesday 18. A net credit of zero or
    /// less is nothing credited, whatever the flow's total.
    @Test(arguments: [
        ("2026-11-18", Int64(0), FlowCreditStatus.pending), ("2026-11-19", 0, .notCredited), ("2026-11-19", -300, .notCredited),
        ("2026-11-18", -300, .pending), ("2026-11-19", 500, .partial), ("2026-11-19", 1000, .credited),
        ("2026-11-19", 1200, .overCredited),
    ])
    func creditStatusFollowsTheDeadline(asOf: String, credited: Int64, expected: FlowCreditStatus) throws {
        let classifier = Classifier(asOf: CivilDate(iso: asOf)!)
        #expect(classifier.creditStatus(totalCents: 1000, creditedCents: credited, settlementDate: CivilDate(iso: "2026-11-17")) == expected)
    }
}
