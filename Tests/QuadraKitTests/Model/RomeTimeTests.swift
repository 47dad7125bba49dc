import Testing
@testable import QuadraKit

@Suite struct RomeTimeTests {
    @Test(arguments: [
        ("2026-01-15T10:00:00", "2026-01-15T09:00:00Z"),
        ("2026-07-15T10:00:00", "2026-07-15T08:00:00Z"),
        ("2026-03-29T01:59:59", "2026-03-29T00:59:59Z"),
        ("2026-03-29T03:00:00", "2026-03-29T01:00:00Z"),
        ("2026-10-25T03:00:00", "2026-10-25T02:00:00Z"),
        ("2026-01-01T00:30:00", "2025-12-31T23:30:00Z"),
        ("2025-03-18T08:39:23.123", "2025-03-18T07:39:23Z"),
    ])
    func localTimeConvertsToUTCAcrossDaylightSaving(local: String, utc: String) {
        #expect(RomeTime.utc(fromLocal: local) == utc)
    }

    @Test func instantsAndEpochSecondsConvert() {
        #expect(RomeTime.utc(fromInstant: "2026-11-17T10:47:02Z") == "2026-11-17T10:47:02Z")
        #expect(RomeTime.utc(fromInstant: "2026-11-17T11:47:02+01:00") == "2026-11-17T10:47:02Z")
        #expect(RomeTime.utc(fromEpochSeconds: 0) == "1970-01-01T00:00:00Z")
        #expect(RomeTime.utc(fromEpochSeconds: 1_742_463_778) == "2025-03-20T09:42:58Z")
    }

    @Test func theItalianDateOfAnInstantCanBeTheNextDay() {
        #expect(RomeTime.localDate(ofUTC: "2026-11-17T23:30:00Z")?.description == "2026-11-18")
        #expect(RomeTime.localDate(ofUTC: "2026-07-17T21:59:59Z")?.description == "2026-07-17")
        #expect(RomeTime.localDate(ofUTC: "2026-07-17T22:00:00Z")?.description == "2026-07-18")
    }

    @Test func garbageIsRefused() {
        #expect(RomeTime.utc(fromLocal: "yesterday") == nil)
        #expect(RomeTime.utc(fromLocal: "2026-02-30T10:00:00") == nil)
    }
}
