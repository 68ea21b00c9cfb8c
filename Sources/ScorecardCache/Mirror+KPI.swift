import Foundation
import GRDB
import ScorecardCore
import ScorecardSQLite

/// The KPI report from the mirror, with per-day aggregates for the days before today.
///
/// `call_groups` holds, for each day whose row is in `call_days`, the calls of that day grouped by
/// direction, status and disposition (count, calls with talk, talk seconds): a cache that can
/// always be rebuilt from `calls`. A page apply removes from `call_days` every day it touches
/// (the days of its calls, in Swift, at no SQL cost per row; the old day of a call that moved or
/// was deleted, by trigger), in the same transaction; the first report that needs an uncovered
/// day rebuilds it in a write transaction. Today is always read from `calls` (it changes at every
/// sync), so a month costs one aggregate row per group and day plus today's calls.
extension Mirror {
    /// The KPI report for `from...to`: equal, byte for byte once encoded, to the server's
    /// (``KPICalculator``'s rules). Days before `today` come from the per-day aggregates (rebuilt
    /// first when a sync invalidated them); `today` and later from `calls`, grouped in SQL.
    ///
    /// The disposition rules (blank → No Disposition, "appointment" in any case) and the rounding
    /// are applied to the groups in Swift, exactly as ``KPICalculator`` applies them to calls.
    public func kpiReport(from: CivilDate, to: CivilDate, today: CivilDate = DateRange.today()) throws -> KPIReport {
        let lastCached = min(to, today.adding(days: -1))
        let cachedDays = from <= lastCached ? lastCached.daysSinceEpoch - from.daysSinceEpoch + 1 : 0
        // The usual case is one read: the aggregates are current.
        if let report = try kpiReport(from: from, to: to, lastCached: lastCached, cachedDays: cachedDays, requireCache: cachedDays > 0) {
            return report
        }
        // A read-only or busy mirror just answers from the calls.
        try? write { db in try Mirror.rebuildDays(db, from, lastCached) }
        return try kpiReport(from: from, to: to, lastCached: lastCached, cachedDays: cachedDays, requireCache: false)!
    }

    /// The report from one read snapshot: the aggregates for `from...lastCached` when all
    /// `cachedDays` are current there, else the calls; nil instead when `requireCache` and they are not.
    private func kpiReport(from: CivilDate, to: CivilDate, lastCached: CivilDate, cachedDays: Int, requireCache: Bool) throws -> KPIReport? {
        let person = try personID()
        var report = KPICalculator(personID: person, from: from, to: to).report
        var talk = (sum: 0, count: 0)
        let answered = try read { db in
            let cached = try cachedDays > 0 && Mirror.coveredDays(db, from, lastCached) == cachedDays
            if requireCache && !cached { return false }
            var liveFrom = from
            if cached {
                let groups = try RawStatement(db, Mirror.kpiGroupsSQL)
                groups.bind(1, from.description)
                groups.bind(2, lastCached.description)
                try Mirror.accumulate(groups, into: &report, talk: &talk)
                liveFrom = lastCached.adding(days: 1)
            }
            if liveFrom <= to {
                let calls = try RawStatement(db, Mirror.kpiCallsSQL)
                calls.bind(1, liveFrom.startTimestamp)
                calls.bind(2, to.adding(days: 1).startTimestamp)
                try Mirror.accumulate(calls, into: &report, talk: &talk)
            }
            let summaries = try RawStatement(db, Mirror.kpiSummariesSQL)
            summaries.bind(1, from.description)
            summaries.bind(2, to.description)
            if try summaries.step() {
                let days = summaries.int(7)
                var u = TimeUtilization()
                u.loginSeconds = summaries.int(0)
                u.busySeconds = summaries.int(1)
                u.idleSeconds = summaries.int(2)
                u.pauseSeconds = summaries.int(3)
                u.wrapupSeconds = summaries.int(4)
                u.dialSeconds = summaries.int(5)
                report.timeUtilization = u
                report.avgHandlingSeconds = Mirror.roundedMean(summaries.int(6), days)
                summaries.reset()
            }
            return true
        }
        guard answered else { return nil }
        report.avgTalkSeconds = Mirror.roundedMean(talk.sum, talk.count)
        let total = report.calls.total
        report.conversionRate = total == 0 ? 0 : (Double(report.appointmentsBooked) / Double(total) * 1000).rounded() / 10
        return report
    }

    /// Adds the rows of a groups query (day, direction, status, disposition, calls, calls with
    /// talk, talk seconds) to `report`.
    static func accumulate(_ statement: RawStatement, into report: inout KPIReport, talk: inout (sum: Int, count: Int)) throws {
        while try statement.step() {
            guard let day = CivilDate(statement.text(0)) else { continue }
            let index = day.daysSinceEpoch - report.from.daysSinceEpoch
            guard index >= 0, index < report.daily.count else { continue }
            let n = statement.int(4)
            let disposition = statement.textOrNil(3)
            report.calls.total += n
            report.daily[index].total += n
            if CallDirection(rawValue: statement.text(1)) == .inbound {
                report.calls.inbound += n
                report.daily[index].inbound += n
            } else {
                report.calls.outbound += n
                report.daily[index].outbound += n
            }
            switch CallStatus(rawValue: statement.text(2)) ?? .other {
            case .answered:
                report.calls.answered += n
                report.daily[index].answered += n
            case .missed:
                report.calls.missed += n
                report.daily[index].missed += n
            case .other: break
            }
            talk.count += statement.int(5)
            talk.sum += statement.int(6)
            if KPICalculator.isAppointment(disposition) { report.appointmentsBooked += n }
            report.dispositions[KPICalculator.dispositionName(disposition), default: 0] += n
        }
    }

    /// Days of `from...to` whose aggregates are current.
    static func coveredDays(_ db: Database, _ from: CivilDate, _ to: CivilDate) throws -> Int {
        let statement = try RawStatement(db, kpiCoverageSQL)
        statement.bind(1, from.description)
        statement.bind(2, to.description)
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    /// Rebuilds the aggregates of the days of `from...to` that are not current, from `calls`.
    static func rebuildDays(_ db: Database, _ from: CivilDate, _ to: CivilDate) throws {
        let current = "SELECT day FROM call_days WHERE day >= ?1 AND day <= ?2"
        try db.execute(
            sql: "DELETE FROM call_groups WHERE day >= ?1 AND day <= ?2 AND day NOT IN (\(current))",
            arguments: [from.description, to.description])
        try db.execute(
            sql: """
                INSERT INTO call_groups(day, direction, status, disposition, calls, talked, talk_seconds)
                SELECT substr(started_at, 1, 10), direction, status, disposition, COUNT(*),
                    SUM(talk_seconds > 0), SUM(CASE WHEN talk_seconds > 0 THEN talk_seconds ELSE 0 END)
                FROM calls WHERE started_at >= ?3 AND started_at < ?4 AND substr(started_at, 1, 10) NOT IN (\(current))
                GROUP BY 1, 2, 3, 4
                """,
            arguments: [from.description, to.description, from.startTimestamp, to.adding(days: 1).startTimestamp])
        let cover = try RawStatement(db, "INSERT OR IGNORE INTO call_days(day) VALUES (?)")
        var day = from
        while day <= to {
            cover.bind(1, day.description)
            try cover.run()
            day = day.adding(days: 1)
        }
    }

    /// Removes the aggregates of `days` (a page apply changed calls on them).
    static func invalidateDays(_ db: Database, _ days: Set<String>) throws {
        guard !days.isEmpty else { return }
        let statement = try RawStatement(db, "DELETE FROM call_days WHERE day = ?")
        for day in days {
            statement.bind(1, day)
            try statement.run()
        }
    }

    /// How many days of `?1...?2` (`YYYY-MM-DD`, inclusive) have current aggregates.
    public static let kpiCoverageSQL = "SELECT COUNT(*) FROM call_days WHERE day >= ?1 AND day <= ?2"

    /// The aggregated groups of the days `?1...?2` (inclusive), in ``kpiCallsSQL``'s columns.
    public static let kpiGroupsSQL = """
        SELECT day, direction, status, disposition, calls, talked, talk_seconds
        FROM call_groups WHERE day >= ?1 AND day <= ?2
        """

    /// The calls grouped by day, direction, status and disposition: `?1` and `?2` are the range's
    /// first instant and the instant after it (`YYYY-MM-DDT00:00:00Z`).
    public static let kpiCallsSQL = """
        SELECT substr(started_at, 1, 10), direction, status, disposition, COUNT(*),
            SUM(talk_seconds > 0), SUM(CASE WHEN talk_seconds > 0 THEN talk_seconds ELSE 0 END)
        FROM calls WHERE started_at >= ?1 AND started_at < ?2
        GROUP BY 1, 2, 3, 4
        """

    /// The day-summaries half: `?1` and `?2` are the first and last day, inclusive.
    public static let kpiSummariesSQL = """
        SELECT TOTAL(login_seconds), TOTAL(busy_seconds), TOTAL(idle_seconds), TOTAL(pause_seconds),
            TOTAL(wrapup_seconds), TOTAL(dial_seconds), TOTAL(aht_seconds), COUNT(*)
        FROM day_summaries WHERE date >= ?1 AND date <= ?2
        """

    /// A mean rounded half away from zero, 0 without values (``KPICalculator``'s rule).
    static func roundedMean(_ sum: Int, _ count: Int) -> Int {
        count == 0 ? 0 : Int((Double(sum) / Double(count)).rounded(.toNearestOrAwayFromZero))
    }
}
