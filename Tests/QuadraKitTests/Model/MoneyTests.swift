import Testing
@testable import QuadraKit

@Suite struct MoneyTests {
    @Test(arguments: [("30.00", 3000), ("0.01", 1), ("999999999.99", 99_999_999_999), ("1234.50", 123_450)] as [(String, Int64)])
    func twoDecimalTextConvertsExactly(text: String, cents: Int64) {
        #expect(Money.cents(fromTwoDecimals: text) == cents)
    }

    @Test(arguments: ["12.5", "12", "12,50", "-1.00", "1.000", ".50", "1e2", "", "12.5a", "1000000000000.00", "12.50 "])
    func otherTextIsRefusedNotRounded(text: String) {
        #expect(Money.cents(fromTwoDecimals: text) == nil)
    }

    @Test(arguments: [("0.2", 20), ("12", 1200), ("12.340", 1234), ("0.10", 10), ("100.00000", 10000)] as [(String, Int64)])
    func decimalNumbersConvertWhenWholeCents(text: String, cents: Int64) {
        #expect(Money.cents(fromDecimal: text) == cents)
    }

    @Test(arguments: ["12.345", "0.001", "1.", "-3", "1e2", "abc", "0.2.1"])
    func decimalNumbersWithFractionsOfCentsAreRefused(text: String) {
        #expect(Money.cents(fromDecimal: text) == nil)
    }

    @Test func formatsCentsAsDecimalText() {
        #expect(Money.format(3000) == "30.00")
        #expect(Money.format(5) == "0.05")
        #expect(Money.format(-1234) == "-12.34")
    }
}
