import Testing
@testable import QuadraKit

@Suite struct TaxonomyCodeTests {
    @Test(arguments: [("9/0101100IM/", "0101100IM"), ("0101100IM", "0101100IM"), ("9/0101002IM/free text", "0101002IM"),
                      (" 9/0201102IM/ ", "0201102IM")])
    func normalisesBareAndWrappedForms(raw: String, code: String) {
        #expect(TaxonomyCode.normalize(raw) == code)
    }

    @Test(arguments: ["category_webinar", "G", "9/0101100XX/", "010110IM", "9/0101100IM", ""])
    func refusesWhatIsNotACode(raw: String) {
        #expect(TaxonomyCode.normalize(raw) == nil)
    }
}
