import ScorecardCore
import Testing

/// Hand-worked KPI cases, computed through `KPICalculator.report` as server and client do.
@Suite("KPI calculator")
struct KPICalculatorTests {
    static let agent = "agent-1"
    static let monday = CivilDate("2026-11-16")!
    static let wednesday = CivilDate("2026-11-18")!

    static func call(
        _ id: String, at startedAt: String = "2026-11-16T10:00:00Z", direction: CallDirection = .inbound,
        status: CallStatus = .answered, talk: Int = 60, disposition: String? = "General Enquiry"
    ) -> Call {
        Call(
            id: id, personID: agent, startedAt: startedAt, direction: direction,
            callType: direction == .inbound ? "InBound" : "Manual", status: status, talkSeconds: talk,
            handlingSeconds: talk + 30, disposition: disposition)
    }

    static func summary(_ date: String, aht: Int, login: Int = 0, busy: Int = 0, idle: Int = 0, pause: Int = 0, wrapup: Int = 0, dial: Int = 0)
        -> DaySummary
    {
        DaySummary(
            personID: agent, date: CivilDate(date)!, loginSeconds: login, busySeconds: busy, idleSeconds: idle,
            pauseSeconds: pause, wrapupSeconds: wrapup, dialSeconds: dial, ahtSeconds: aht)
    }

    static func report(_ calls: [Call], _ summaries: [DaySummary] = [], from: CivilDate = monday, to: CivilDate = wednesday) -> KPIReport {
        KPICalculator.report(personID: agent, from: from, to: to, calls: calls, summaries: summaries)
    }

    @Test func noCallsGivesZerosAndEveryDay() {
        let r = Self.report([])
        #expect(r.personID == Self.agent)
        #expect(r.from == Self.monday)
        #expect(r.to == Self.wednesday)
        #expect(r.calls == CallCounts())
        #expect(r.avgTalkSeconds == 0)
        #expect(r.avgHandlingSeconds == 0)
        #expect(r.appointmentsBooked == 0)
        #expect(r.conversionRate == 0)
        #expect(r.timeUtilization == TimeUtilization())
        #expect(r.dispositions.isEmpty)
        #expect(r.daily.map(\.date.description) == ["2026-11-16", "2026-11-17", "2026-11-18"])
        #expect(r.daily.allSatisfy { $0 == DailyCounts(date: $0.date) })
    }

    @Test func singleDayRangeHasOneDailyRow() {
        let r = Self.report([], from: Self.monday, to: Self.monday)
        #expect(r.daily.map(\.date) == [Self.monday])
    }

    @Test func zeroTalkIsExcludedFromAverage() {
        let r = Self.report([
            Self.call("a", talk: 0), Self.call("b", talk: 60), Self.call("c", talk: 121),
        ])
        // (60 + 121) / 2 = 90.5 → 91, half away from zero; the 00:00:00 call does not count.
        #expect(r.avgTalkSeconds == 91)
        #expect(r.calls.total == 3)
    }

    @Test func onlyZeroTalkGivesZeroAverage() {
        let r = Self.report([Self.call("a", talk: 0), Self.call("b", talk: 0)])
        #expect(r.avgTalkSeconds == 0)
    }

    @Test func averageRoundsDown() {
        // (10 + 11 + 11) / 3 = 10.67 → 11; (10 + 10 + 11) / 3 = 10.33 → 10.
        #expect(Self.report([Self.call("a", talk: 10), Self.call("b", talk: 11), Self.call("c", talk: 11)]).avgTalkSeconds == 11)
        #expect(Self.report([Self.call("a", talk: 10), Self.call("b", talk: 10), Self.call("c", talk: 11)]).avgTalkSeconds == 10)
    }

    @Test func nullEmptyAndBlankDispositionsAreNoDisposition() {
        let r = Self.report([
            Self.call("a", disposition: nil), Self.call("b", disposition: ""), Self.call("c", disposition: "   "),
            Self.call("d", disposition: "\t"), Self.call("e", disposition: "Sale"),
        ])
        #expect(r.dispositions == ["No Disposition": 4, "Sale": 1])
        #expect(KPICalculator.noDisposition == "No Disposition")
    }

    @Test(arguments: [
        ("Appointment Booked", true), ("booked appointment", true), ("APPOINTMENT", true),
        ("Follow-up appointment set", true), ("Appt", false), ("Appointed", false), ("", false),
    ])
    func appointmentMatching(disposition: String, counts: Bool) {
        #expect(KPICalculator.isAppointment(disposition) == counts)
        let r = Self.report([Self.call("a", disposition: disposition)])
        #expect(r.appointmentsBooked == (counts ? 1 : 0))
    }

    @Test func nilDispositionIsNoAppointment() {
        #expect(!KPICalculator.isAppointment(nil))
    }

    @Test func appointmentsCountedInAnyCase() {
        let r = Self.report([
            Self.call("a", disposition: "Appointment Booked"), Self.call("b", disposition: "booked appointment"),
            Self.call("c", disposition: "APPOINTMENT"), Self.call("d", disposition: "Appt"),
        ])
        #expect(r.appointmentsBooked == 3)
        #expect(r.conversionRate == 75.0)
        // Dispositions keep their own spelling.
        #expect(r.dispositions == ["Appointment Booked": 1, "booked appointment": 1, "APPOINTMENT": 1, "Appt": 1])
    }

    @Test(arguments: [
        (1, 3, 33.3), (2, 3, 66.7), (1, 6, 16.7), (1, 8, 12.5), (1, 7, 14.3), (0, 5, 0.0), (3, 3, 100.0), (2, 7, 28.6),
    ])
    func conversionRoundsToOneDecimal(appointments: Int, total: Int, expected: Double) {
        let calls = (0..<total).map { i in Self.call("c\(i)", disposition: i < appointments ? "Appointment Booked" : "Callback") }
        let r = Self.report(calls)
        #expect(r.appointmentsBooked == appointments)
        #expect(r.conversionRate == expected)
    }

    @Test func dailyHasEveryDayIncludingZeroDays() {
        let r = Self.report([
            Self.call("a", at: "2026-11-16T00:00:00Z", direction: .inbound, status: .answered),
            Self.call("b", at: "2026-11-16T23:59:59Z", direction: .outbound, status: .missed),
            Self.call("c", at: "2026-11-18T12:00:00Z", direction: .outbound, status: .other),
        ])
        var d16 = DailyCounts(date: Self.monday)
        d16.total = 2
        d16.inbound = 1
        d16.outbound = 1
        d16.answered = 1
        d16.missed = 1
        let d17 = DailyCounts(date: CivilDate("2026-11-17")!)
        var d18 = DailyCounts(date: Self.wednesday)
        d18.total = 1
        d18.outbound = 1
        #expect(r.daily == [d16, d17, d18])
        #expect(r.calls.total == 3)
        #expect(r.calls.inbound == 1)
        #expect(r.calls.outbound == 2)
        #expect(r.calls.answered == 1)
        #expect(r.calls.missed == 1)
    }

    @Test func callsOutsideTheRangeAreIgnored() {
        let r = Self.report([
            Self.call("before", at: "2026-11-15T23:59:59Z", talk: 500, disposition: "Appointment"),
            Self.call("in", at: "2026-11-17T08:00:00Z", talk: 40, disposition: "Sale"),
            Self.call("after", at: "2026-11-19T00:00:00Z", talk: 700, disposition: "Appointment"),
        ])
        #expect(r.calls.total == 1)
        #expect(r.avgTalkSeconds == 40)
        #expect(r.appointmentsBooked == 0)
        #expect(r.dispositions == ["Sale": 1])
        #expect(r.daily.map(\.total) == [0, 1, 0])
    }

    @Test func handlingIsMeanOfDayAHTOverDaysWithSummary() {
        let r = Self.report(
            [],
            [
                Self.summary("2026-11-16", aht: 180, login: 28_800, busy: 21_600, idle: 3_600, pause: 1_800, wrapup: 1_200, dial: 600),
                Self.summary("2026-11-18", aht: 125, login: 27_000, busy: 20_000, idle: 4_000, pause: 1_000, wrapup: 900, dial: 300),
                // Outside the range: ignored in both the AHT mean and the utilisation sums.
                Self.summary("2026-11-19", aht: 999, login: 1, busy: 1, idle: 1, pause: 1, wrapup: 1, dial: 1),
            ])
        // (180 + 125) / 2 = 152.5 → 153; the 17th has no summary and is not a zero in the mean.
        #expect(r.avgHandlingSeconds == 153)
        var u = TimeUtilization()
        u.loginSeconds = 55_800
        u.busySeconds = 41_600
        u.idleSeconds = 7_600
        u.pauseSeconds = 2_800
        u.wrapupSeconds = 2_100
        u.dialSeconds = 900
        #expect(r.timeUtilization == u)
    }

    @Test func callOrderDoesNotMatter() {
        let calls = [
            Self.call("a", at: "2026-11-18T09:00:00Z", talk: 0, disposition: nil),
            Self.call("b", at: "2026-11-16T09:00:00Z", talk: 33, disposition: "Appointment Booked"),
            Self.call("c", at: "2026-11-17T09:00:00Z", direction: .outbound, status: .missed, talk: 12, disposition: "Sale"),
        ]
        #expect(Self.report(calls) == Self.report(calls.reversed()))
    }

    @Test func incrementalAddMatchesOneShot() {
        var calculator = KPICalculator(personID: Self.agent, from: Self.monday, to: Self.wednesday)
        let calls = [Self.call("a", talk: 10), Self.call("b", at: "2026-11-17T10:00:00Z", talk: 20, disposition: "appointment")]
        for c in calls { calculator.add(c) }
        calculator.add(Self.summary("2026-11-17", aht: 77))
        #expect(calculator.report == Self.report(calls, [Self.summary("2026-11-17", aht: 77)]))
        #expect(calculator.report.avgHandlingSeconds == 77)
        #expect(calculator.report.conversionRate == 50.0)
    }
}
