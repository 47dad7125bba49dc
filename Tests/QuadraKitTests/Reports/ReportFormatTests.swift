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
        #expect(ReportWriter.sortedList("TES_PARTIAL|FDR_LATE") == "FDR_LATE|TES_PARTIAL")
        #expect(ReportWriter.sortedList("b,a") == "a|b")
    }

    @Test func jsonLinesEscapeAndKeepNumbersAsNumbers() {
        let line = ReportWriter.jsonLine(["code", "age_days", "iuv", "message"], ["X", "3", nil, "a \"q\"\n\u{1}"],
                                         numeric: ["age_days"])
        #expect(line == "{\"code\":\"X\",\"age_days\":3,\"iuv\":null,\"message\":\"a \\\"q\\\"\\n\\u0001\"}\n")
    }

    /// Settlement 2026-11-17 (a Tuesday): the credit is due by Wednesday 18.
    @Test(arguments: [
        ("2026-11-18", "0", "PENDING"), ("2026-11-19", "0", "NOT_CREDITED"), ("2026-11-19", "500", "PARTIAL"),
        ("2026-11-19", "1000", "CREDITED"), ("2026-11-19", "1200", "OVER_CREDITED"),
    ])
    func creditStatusFollowsTheDeadline(asOf: String, credited: String, expected: String) throws {
        let writer = ReportWriter(store: try Store(path: try TestSupport.scratchFolder().appendingPathComponent("q.sqlite").path),
                                  asOf: CivilDate(iso: asOf)!)
        #expect(writer.creditStatus(settlementDate: "2026-11-17", totalCents: "1000", creditedCents: credited) == expected)
    }
}
