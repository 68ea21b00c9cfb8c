import ScorecardCore
import Testing

@Suite("Civil dates, timestamps and durations")
struct TimeTests {
    @Test func dayRoundTripsThroughText() {
        // Every 97th day from 0001-01-01 to 9999-12-31: the years `YYYY-MM-DD` can spell.
        #expect(CivilDate("0001-01-01")?.daysSinceEpoch == -719_162)
        #expect(CivilDate("9999-12-31")?.daysSinceEpoch == 2_932_896)
        for days in stride(from: -719_162, through: 2_932_896, by: 97) {
            let d = CivilDate(daysSinceEpoch: days)
            let parsed = CivilDate(d.description)
            #expect(parsed == d, "\(days) → \(d.description)")
            let c = d.components
            #expect(CivilDate(year: c.year, month: c.month, day: c.day) == d)
        }
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        // 1900-01-01 … 2300-12-31 day by day: each date follows the previous one.
        var previous = CivilDate(year: 1899, month: 12, day: 31)!
        for year in 1900...2300 {
            for month in 1...12 {
                for day in 1...31 {
                    guard let d = CivilDate(year: year, month: month, day: day) else { continue }
                    #expect(d.daysSinceEpoch == previous.daysSinceEpoch + 1)
                    previous = d
                }
            }
        }
    }

    @Test func epochAnchors() {
        #expect(CivilDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(CivilDate("1969-12-31")?.daysSinceEpoch == -1)
        #expect(CivilDate("2000-03-01")?.daysSinceEpoch == 11_017)
        #expect(CivilDate(daysSinceEpoch: 20_773).description == "2026-11-16")
        #expect(CivilDate("2026-11-16")!.adding(days: 15).description == "2026-12-01")
        #expect(CivilDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CivilDate("2024-03-01")!.adding(days: -1).description == "2024-02-29")
    }

    @Test(arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("2100-02-29", false), ("1900-02-29", false),
        ("2400-02-29", true), ("2026-04-30", true), ("2026-04-31", false), ("2026-12-31", true), ("2026-13-01", false),
        ("2026-00-10", false), ("2026-01-00", false), ("2026-1-01", false), ("2026-01-1", false), ("20260101", false),
        ("2026-01-01T", false), ("2026/01/01", false), ("2026-0a-01", false), ("", false),
    ])
    func parsing(text: String, valid: Bool) {
        let d = CivilDate(text)
        #expect((d != nil) == valid)
        if let d { #expect(d.description == text) }
    }

    @Test(arguments: [
        ("2026-11-16", 1), ("2026-11-17", 2), ("2026-11-21", 6), ("2026-11-22", 7), ("1970-01-01", 4), ("1969-12-31", 3),
        ("2000-01-01", 6), ("1900-01-01", 1),
    ])
    func isoWeekday(date: String, weekday: Int) {
        #expect(CivilDate(date)?.isoWeekday == weekday)
    }

    @Test func startTimestamp() {
        #expect(CivilDate("2026-11-16")?.startTimestamp == "2026-11-16T00:00:00Z")
    }

    @Test func ordering() {
        #expect(CivilDate("2026-11-16")! < CivilDate("2026-11-17")!)
        #expect(CivilDate("1969-12-31")! < CivilDate("1970-01-01")!)
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"), (-86_400, "1969-12-31T00:00:00Z"),
        (-86_401, "1969-12-30T23:59:59Z"), (86_399, "1970-01-01T23:59:59Z"), (1_794_819_900, "2026-11-16T09:05:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"), (4_102_444_799, "2099-12-31T23:59:59Z"),
    ])
    func timestampFormatsAndParses(seconds: Int, text: String) {
        #expect(Timestamp.format(epochSeconds: seconds) == text)
        #expect(Timestamp.epochSeconds(text) == seconds)
    }

    @Test func timestampRoundTrip() {
        for seconds in stride(from: -5_000_000_000, through: 5_000_000_000, by: 7_777_777) {
            #expect(Timestamp.epochSeconds(Timestamp.format(epochSeconds: seconds)) == seconds)
        }
    }

    @Test func timestampFractionsAreDropped() {
        #expect(Timestamp.epochSeconds("2026-11-16T09:05:00.123Z") == 1_794_819_900)
    }

    @Test(arguments: [
        "2026-11-16 09:05:00", "2026-11-16T09:05:00", "2026-11-16T24:00:00Z", "2026-11-16T09:60:00Z", "2026-02-30T00:00:00Z",
        "2026-11-16T09:05:00.Z1", "2026-11-16T09:05:00+00:00", "",
    ])
    func badTimestampsAreRejected(text: String) {
        #expect(Timestamp.epochSeconds(text) == nil)
    }

    @Test(arguments: [
        ("00:00:00", 0), ("00:00:59", 59), ("00:01:00", 60), ("01:00:00", 3_600), ("9:05:03", 32_703), ("23:59:59", 86_399),
        ("100:00:00", 360_000),
    ])
    func hmsParses(text: String, seconds: Int) {
        #expect(HMS.seconds(text) == seconds)
    }

    @Test(arguments: ["1:2", "00:60:00", "00:00:60", "00:1:00", "00:00:1", "aa:bb:cc", "-1:00:00", "00:00", "00:00:00:00", "", "::"])
    func hmsRejects(text: String) {
        #expect(HMS.seconds(text) == nil)
    }

    @Test func hmsClock() {
        #expect(HMS.clock(0) == "00:00:00")
        #expect(HMS.clock(3_723) == "01:02:03")
        #expect(HMS.clock(360_000) == "100:00:00")
        #expect(HMS.seconds(HMS.clock(98_765)) == 98_765)
    }
}
