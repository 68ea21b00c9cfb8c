/// The call KPIs of seed 000 as one pure computation, shared by server and client.
///
/// Feed it the calls and day summaries of one person (in any order; calls outside the range
/// are ignored), then read ``report``. Rules:
/// * average talk time is over calls with `talk_seconds > 0`, rounded half away from zero;
/// * average handling time is the mean of the days' AHT over days that have a summary;
/// * a null, empty or blank disposition counts as `No Disposition`;
/// * a call books an appointment when its disposition contains "appointment" in any case;
/// * conversion = appointments / total calls × 100, rounded to one decimal, 0 without calls;
/// * `daily` has every day of the range, zeros included.
public struct KPICalculator: Sendable {
    /// The disposition name used for calls without one.
    public static let noDisposition = "No Disposition"

    public let personID: String
    public let from: CivilDate
    public let to: CivilDate
    private var counts = CallCounts()
    private var talkSum = 0
    private var talkCount = 0
    private var appointments = 0
    private var dispositions: [String: Int] = [:]
    private var daily: [DailyCounts]
    private var utilization = TimeUtilization()
    private var ahtSum = 0
    private var ahtDays = 0

    /// Starts an empty computation for `personID` over `from...to` (inclusive UTC days).
    public init(personID: String, from: CivilDate, to: CivilDate) {
        self.personID = personID
        self.from = from
        self.to = to
        let days = max(0, to.daysSinceEpoch - from.daysSinceEpoch + 1)
        self.daily = (0..<days).map { DailyCounts(date: from.adding(days: $0)) }
    }

    /// True when `disposition` names a booked appointment.
    public static func isAppointment(_ disposition: String?) -> Bool {
        guard let d = disposition else { return false }
        return d.lowercased().contains("appointment")
    }

    /// The name a disposition is counted under.
    public static func dispositionName(_ disposition: String?) -> String {
        guard let d = disposition, !d.allSatisfy(\.isWhitespace) else { return noDisposition }
        return d
    }

    /// Adds one call; calls outside the range are ignored.
    public mutating func add(_ call: Call) {
        guard let day = CivilDate(call.day) else { return }
        let index = day.daysSinceEpoch - from.daysSinceEpoch
        guard index >= 0, index < daily.count else { return }
        counts.count(call)
        daily[index].total += 1
        switch call.direction {
        case .inbound: daily[index].inbound += 1
        case .outbound: daily[index].outbound += 1
        }
        switch call.status {
        case .answered: daily[index].answered += 1
        case .missed: daily[index].missed += 1
        case .other: break
        }
        if call.talkSeconds > 0 {
            talkSum += call.talkSeconds
            talkCount += 1
        }
        if KPICalculator.isAppointment(call.disposition) { appointments += 1 }
        dispositions[KPICalculator.dispositionName(call.disposition), default: 0] += 1
    }

    /// Adds one day summary; summaries outside the range are ignored.
    public mutating func add(_ summary: DaySummary) {
        guard summary.date >= from, summary.date <= to else { return }
        utilization.loginSeconds += summary.loginSeconds
        utilization.busySeconds += summary.busySeconds
        utilization.idleSeconds += summary.idleSeconds
        utilization.pauseSeconds += summary.pauseSeconds
        utilization.wrapupSeconds += summary.wrapupSeconds
        utilization.dialSeconds += summary.dialSeconds
        ahtSum += summary.ahtSeconds
        ahtDays += 1
    }

    /// The report for what was added.
    public var report: KPIReport {
        let conversion = counts.total == 0 ? 0 : (Double(appointments) / Double(counts.total) * 1000).rounded() / 10
        return KPIReport(
            personID: personID, from: from, to: to, calls: counts,
            avgTalkSeconds: KPICalculator.roundedMean(talkSum, talkCount),
            avgHandlingSeconds: KPICalculator.roundedMean(ahtSum, ahtDays),
            appointmentsBooked: appointments, conversionRate: conversion,
            timeUtilization: utilization, dispositions: dispositions, daily: daily, complete: true)
    }

    /// Computes a report in one call.
    public static func report(
        personID: String, from: CivilDate, to: CivilDate,
        calls: some Sequence<Call>, summaries: some Sequence<DaySummary>
    ) -> KPIReport {
        var calculator = KPICalculator(personID: personID, from: from, to: to)
        for call in calls { calculator.add(call) }
        for summary in summaries { calculator.add(summary) }
        return calculator.report
    }

    static func roundedMean(_ sum: Int, _ count: Int) -> Int {
        count == 0 ? 0 : Int((Double(sum) / Double(count)).rounded(.toNearestOrAwayFromZero))
    }
}
