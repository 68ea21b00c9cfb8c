import Foundation
import GRDB
import ScorecardCore
import ScorecardSQLite

/// What `scorecard status` shows about a mirror.
public struct MirrorStatus: Sendable {
    public var server: String?
    public var person: String?
    public var cursor: Int64
    public var lastSyncAt: String?
    public var lastSyncResult: String?
    public var rows: [String: Int]
    public var outboxDepth: Int
    public var fileBytes: Int
    public var resyncInProgress: Bool
}

extension Mirror {
    /// The person this mirror belongs to.
    public func personID() throws -> String { try meta(.person) ?? "" }

    /// Calls that started on the UTC days `from...to`, by start time.
    public func calls(from: CivilDate, to: CivilDate) throws -> [Call] {
        try calls(where: "started_at >= ? AND started_at < ?", [from.startTimestamp, to.adding(days: 1).startTimestamp])
    }

    /// Every call in the mirror.
    public func allCalls() throws -> [Call] { try calls(where: "1", []) }

    /// Calls for the `calls` command: optionally one day and one status, newest first.
    public func recentCalls(on day: CivilDate?, status: CallStatus?, limit: Int) throws -> [Call] {
        var clauses = ["1"]
        var arguments: [any DatabaseValueConvertible] = []
        if let day {
            clauses.append("started_at >= ? AND started_at < ?")
            arguments += [day.startTimestamp, day.adding(days: 1).startTimestamp]
        }
        if let status {
            clauses.append("status = ?")
            arguments.append(status.rawValue)
        }
        return try calls(where: clauses.joined(separator: " AND "), arguments, order: "started_at DESC, id DESC", limit: limit)
    }

    func calls(where clause: String, _ arguments: [any DatabaseValueConvertible], order: String = "started_at, id", limit: Int? = nil) throws -> [Call] {
        let person = try personID()
        return try read { db in
            let sql = """
                SELECT id, started_at, direction, call_type, status, talk_seconds, handling_seconds, disposition, version
                FROM calls WHERE \(clause) ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
                """
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
            var result: [Call] = []
            while let row = try cursor.next() {
                result.append(
                    Call(
                        id: row[0], personID: person, startedAt: row[1], direction: CallDirection(rawValue: row[2]) ?? .outbound,
                        callType: row[3], status: CallStatus(rawValue: row[4]) ?? .other, talkSeconds: row[5],
                        handlingSeconds: row[6], disposition: row[7], version: row[8]))
            }
            return result
        }
    }

    /// Day summaries on `from...to`.
    public func daySummaries(from: CivilDate, to: CivilDate) throws -> [DaySummary] {
        let person = try personID()
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT date, login_seconds, busy_seconds, idle_seconds, pause_seconds, wrapup_seconds, dial_seconds, aht_seconds, version
                    FROM day_summaries WHERE date >= ? AND date <= ? ORDER BY date
                    """, arguments: [from.description, to.description]
            ).map { row in
                DaySummary(
                    personID: person, date: CivilDate(row[0] as String) ?? CivilDate(daysSinceEpoch: 0), loginSeconds: row[1],
                    busySeconds: row[2], idleSeconds: row[3], pauseSeconds: row[4], wrapupSeconds: row[5], dialSeconds: row[6],
                    ahtSeconds: row[7], version: row[8])
            }
        }
    }

    /// The KPI report for `from...to`: equal, byte for byte once encoded, to the server's
    /// (``KPICalculator``'s rules), but aggregated in SQL over the `started_at` index, so a month
    /// costs the same in a mirror of a thousand calls or a million.
    ///
    /// Calls are grouped by day, direction, status and disposition (a few hundred groups a
    /// month); the disposition rules (blank → No Disposition, "appointment" in any case) and the
    /// rounding are applied to the groups in Swift, exactly as ``KPICalculator`` applies them to calls.
    public func kpiReport(from: CivilDate, to: CivilDate) throws -> KPIReport {
        let person = try personID()
        var report = KPICalculator(personID: person, from: from, to: to).report
        let bounds = (from.startTimestamp, to.adding(days: 1).startTimestamp)
        var talkSum = 0, talkCount = 0
        try read { db in
            let statement = try RawStatement(db, Mirror.kpiCallsSQL)
            statement.bind(1, bounds.0)
            statement.bind(2, bounds.1)
            while try statement.step() {
                guard let day = CivilDate(statement.text(0)) else { continue }
                let index = day.daysSinceEpoch - from.daysSinceEpoch
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
                talkCount += statement.int(5)
                talkSum += statement.int(6)
                if KPICalculator.isAppointment(disposition) { report.appointmentsBooked += n }
                report.dispositions[KPICalculator.dispositionName(disposition), default: 0] += n
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
        }
        report.avgTalkSeconds = Mirror.roundedMean(talkSum, talkCount)
        let total = report.calls.total
        report.conversionRate = total == 0 ? 0 : (Double(report.appointmentsBooked) / Double(total) * 1000).rounded() / 10
        return report
    }

    /// The calls half of ``kpiReport(from:to:)``: `?1` and `?2` are the range's first instant and
    /// the instant after it (`YYYY-MM-DDT00:00:00Z`).
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

    /// The `extra` JSON kept for a call, if any.
    public func callExtra(id: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT extra FROM calls WHERE id = ?", arguments: [id]) }
    }

    /// Server, cursor, last sync, rows per stream, outbox depth and file size.
    public func status() throws -> MirrorStatus {
        let values = try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0[0] as String, $0[1] as String) })
        }
        let rows = try read { db in
            var counts: [String: Int] = [:]
            for table in MirrorSchema.truthTables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return counts
        }
        let outbox = try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
        var bytes = 0
        for suffix in ["", "-wal"] {
            bytes += (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0
        }
        return MirrorStatus(
            server: values["server"], person: values["person"], cursor: Int64(values["cursor"] ?? "0") ?? 0,
            lastSyncAt: values["last_sync_at"], lastSyncResult: values["last_sync_result"], rows: rows, outboxDepth: outbox,
            fileBytes: bytes, resyncInProgress: values["resync_cursor"] != nil)
    }

    /// The schema as `sqlite3 .schema` would print it, for the golden-file test.
    public func schemaSQL() throws -> String {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY type DESC, name"
            ).map { $0 + ";" }.joined(separator: "\n") + "\n"
        }
    }
}
