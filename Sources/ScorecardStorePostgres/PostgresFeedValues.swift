import PostgresNIO
import ScorecardCore

/// The values a change-log row carries for the pull: a call's started_at, direction, call_type,
/// status, talk seconds, handling seconds, disposition and version, or a day summary's login,
/// busy, idle, pause, wrapup, dial and AHT seconds and version, as text (the pull writes them
/// into the page as the typed path would; see ``FeedBodyWriter``). Documents carry none.
enum PostgresFeedValues {
    static func call(_ c: Call) -> [String?] {
        [c.startedAt, c.direction.rawValue, c.callType, c.status.rawValue, String(c.talkSeconds), String(c.handlingSeconds), c.disposition,
         String(c.version)]
    }

    static func summary(_ d: DaySummary) -> [String?] {
        [d.loginSeconds, d.busySeconds, d.idleSeconds, d.pauseSeconds, d.wrapupSeconds, d.dialSeconds, d.ahtSeconds, d.version].map { String($0) }
    }

    /// The values as eight parallel arrays for `unnest`, with whether each row has any.
    static func columns(_ rows: [[String?]?]) -> (has: [Bool], columns: [NullableArray<String>]) {
        var columns = Array(repeating: [String?](), count: 8)
        for row in rows {
            for i in 0..<8 { columns[i].append(row?[i]) }
        }
        return (rows.map { $0 != nil }, columns.map(NullableArray.init))
    }
}
