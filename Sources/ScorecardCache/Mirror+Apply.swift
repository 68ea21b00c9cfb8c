import Foundation
import GRDB
import ScorecardSQLite
import ScorecardCore

/// What applying pages changed, per stream.
public struct ApplyStats: Sendable, Equatable {
    public var upserts: [String: Int] = [:]
    public var deletes: [String: Int] = [:]

    public init() {}

    /// Changes applied in all.
    public var total: Int { upserts.values.reduce(0, +) + deletes.values.reduce(0, +) }

    /// Adds another page's counts.
    public mutating func add(_ other: ApplyStats) {
        for (k, v) in other.upserts { upserts[k, default: 0] += v }
        for (k, v) in other.deletes { deletes[k, default: 0] += v }
    }
}

extension Mirror {
    /// Applies one page and its cursor in one transaction, with prepared statements.
    ///
    /// Upserts are guarded by version, so an entity never moves backwards; tombstones delete.
    /// During a full resync (see ``beginResync()``) the page goes to the fresh tables instead.
    ///
    /// With `window`, the page is a new mirror's recent window: the cursor stays where it is (the
    /// history is pulled after it from seq 0) and the window's bounds are recorded in the same
    /// transaction. The last page of the history (`has_more` false) ends the "history still
    /// syncing" state.
    @discardableResult
    public func apply(_ page: MirrorPage, window: MirrorWindow? = nil) throws -> ApplyStats {
        try apply(page, window: window, repair: false)
    }

    /// ``apply(_:window:)``, or with `repair` a page of a per-stream repair into the `_repair`
    /// tables (``beginRepair()``), moving no cursor (Mirror+Verify.swift).
    func apply(_ page: MirrorPage, window: MirrorWindow?, repair: Bool) throws -> ApplyStats {
        try write { db in
            let resyncing = try !repair && String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'resync_cursor'") != nil
            let s = repair ? Mirror.repairSuffix : resyncing ? Mirror.resyncSuffix : ""
            var stats = ApplyStats()
            // A new call is one INSERT. A call already here (rare: a corrected CDR) takes a second
            // path that reads its old day first, so that moving it to another day invalidates both
            // days' KPI aggregates. (An `AFTER UPDATE` trigger did that for an upsert, and cost a
            // quarter of the insert rate even when nothing was updated.)
            let callInsert = try RawStatement(
                db,
                """
                    INSERT INTO calls\(s)(id, started_at, direction, call_type, status, talk_seconds, handling_seconds, disposition, version, extra)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO NOTHING
                    """)
            let callUpdate = try RawStatement(
                db,
                """
                    UPDATE calls\(s) SET started_at = ?2, direction = ?3, call_type = ?4, status = ?5, talk_seconds = ?6,
                        handling_seconds = ?7, disposition = ?8, version = ?9, extra = ?10
                    WHERE id = ?1 AND version < ?9
                    """)
            let callDay = try RawStatement(db, "SELECT substr(started_at, 1, 10) FROM calls\(s) WHERE id = ?")
            let tables = MirrorSchema.truthTables
            let deletes = try tables.map { table in
                try RawStatement(db, "DELETE FROM \(table)\(s) WHERE \(table == "day_summaries" ? "date" : "id") = ?")
            }
            // Counted per table index here and folded into `stats` once: no dictionary work per row.
            var upserted = [Int](repeating: 0, count: tables.count), deleted = upserted
            // The days this page brings calls for lose their KPI aggregates (Mirror+KPI.swift);
            // pages come in time order, so comparing with the previous call's day is enough.
            var touchedDays: Set<String> = []
            var lastDay: Substring = ""
            for change in page.changes {
                guard let t = Mirror.tableIndex(for: change.stream) else { continue }  // a stream this client does not know yet
                if change.op == .delete {
                    let delete = deletes[t]
                    delete.bind(1, change.id)
                    try delete.run()
                    if delete.changes > 0 { deleted[t] += 1 }
                    continue
                }
                switch change.payload {
                case .call(let c, let extra):
                    let day = c.startedAt.prefix(10)
                    if day != lastDay {
                        touchedDays.insert(String(day))
                        lastDay = day
                    }
                    func bindCall(_ statement: RawStatement) {
                        statement.bind(1, c.id)
                        statement.bind(2, c.startedAt)
                        statement.bind(3, c.direction.rawValue)
                        statement.bind(4, c.callType)
                        statement.bind(5, c.status.rawValue)
                        statement.bind(6, c.talkSeconds)
                        statement.bind(7, c.handlingSeconds)
                        statement.bind(8, c.disposition)
                        statement.bind(9, c.version)
                        statement.bind(10, extra)
                    }
                    bindCall(callInsert)
                    try callInsert.run()
                    if callInsert.changes > 0 {
                        upserted[t] += 1
                        continue
                    }
                    callDay.bind(1, c.id)
                    let oldDay = try callDay.step() ? callDay.text(0) : nil
                    callDay.reset()
                    bindCall(callUpdate)
                    try callUpdate.run()
                    guard callUpdate.changes > 0 else { continue }  // the version guard held
                    upserted[t] += 1
                    if let oldDay, Substring(oldDay) != day { touchedDays.insert(oldDay) }
                    continue
                case .daySummary(let d, let extra):
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO day_summaries\(s)(date, login_seconds, busy_seconds, idle_seconds, pause_seconds,
                                wrapup_seconds, dial_seconds, aht_seconds, version, extra)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(date) DO UPDATE SET login_seconds = excluded.login_seconds, busy_seconds = excluded.busy_seconds,
                                idle_seconds = excluded.idle_seconds, pause_seconds = excluded.pause_seconds,
                                wrapup_seconds = excluded.wrapup_seconds, dial_seconds = excluded.dial_seconds,
                                aht_seconds = excluded.aht_seconds, version = excluded.version, extra = excluded.extra
                            WHERE excluded.version > day_summaries\(s).version
                            """
                    ).execute(arguments: [
                        d.date.description, d.loginSeconds, d.busySeconds, d.idleSeconds, d.pauseSeconds, d.wrapupSeconds,
                        d.dialSeconds, d.ahtSeconds, d.version, extra,
                    ])
                case .document(let periodStart, let version, let json):
                    let table = tables[t]
                    let hasPeriod = table == "snapshots" || table == "reviews"
                    let columns = hasPeriod ? "id, period_start, version, data" : "id, version, data"
                    let values = hasPeriod ? "?, ?, ?, ?" : "?, ?, ?"
                    let setPeriod = hasPeriod ? "period_start = excluded.period_start, " : ""
                    let arguments: StatementArguments = hasPeriod ? [change.id, periodStart, version, json] : [change.id, version, json]
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO \(table)\(s)(\(columns)) VALUES (\(values))
                            ON CONFLICT(id) DO UPDATE SET \(setPeriod)version = excluded.version, data = excluded.data
                            WHERE excluded.version > \(table)\(s).version
                            """
                    ).execute(arguments: arguments)
                case nil:
                    continue
                }
                if db.changesCount > 0 { upserted[t] += 1 }  // not when the version guard held
            }
            for (t, table) in tables.enumerated() {
                if upserted[t] > 0 { stats.upserts[table] = upserted[t] }
                if deleted[t] > 0 { stats.deletes[table] = deleted[t] }
            }
            if repair { return stats }  // fresh tables: no aggregates to invalidate, no cursor to move
            if !resyncing { try Mirror.invalidateDays(db, touchedDays) }
            if let window {
                try Mirror.setMeta(db, .windowCallsFrom, window.callsFrom.description)
                try Mirror.setMeta(db, .windowSummariesFrom, window.summariesFrom.description)
                try Mirror.setMeta(db, .historyHead, String(max(window.head, 1)))
            } else {
                try Mirror.setMeta(db, resyncing ? .resyncCursor : .cursor, String(page.next))
                try Mirror.setMeta(db, resyncing ? .resyncMark : .feedMark, page.mark)
                if !page.hasMore && !resyncing { try Mirror.setMeta(db, .historyHead, nil) }
            }
            return stats
        }
    }

    static let resyncSuffix = "_resync"

    /// Where the history stands in a new mirror: nil when it is complete.
    public func historyProgress() throws -> HistoryProgress? {
        try read { db in
            let meta = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT key, value FROM meta WHERE key IN ('history_head', 'cursor', 'window_calls_from', 'window_summaries_from')"
                ).map { ($0[0] as String, $0[1] as String) })
            guard let head = meta["history_head"].flatMap({ Int64($0) }) else { return nil }
            let cursor = meta["cursor"].flatMap { Int64($0) } ?? 0
            return HistoryProgress(
                percent: Int(min(99, max(0, cursor * 100 / max(1, head)))),
                callsFrom: meta["window_calls_from"].flatMap { CivilDate($0) },
                summariesFrom: meta["window_summaries_from"].flatMap { CivilDate($0) })
        }
    }

    /// The index in ``MirrorSchema/truthTables`` of a stream's table, nil for a stream this client does not know.
    static func tableIndex(for stream: String) -> Int? {
        switch stream {
        case "calls": return 0
        case "day_summaries": return 1
        case "snapshots": return 2
        case "reviews": return 3
        case "goals": return 4
        case "feedback": return 5
        default: return nil
        }
    }

    /// The feed mark stored with the cursor (or with a full resync's cursor while one is under way).
    public func feedMark(resyncing: Bool = false) throws -> String? {
        try meta(resyncing ? .resyncMark : .feedMark)
    }

    /// The cursor of a full resync in progress, if any.
    public func resyncCursor() throws -> Int64? {
        try meta(.resyncCursor).flatMap { Int64($0) }
    }

    /// Starts (or restarts) a full resync: fresh empty copies of the server-truth tables receive
    /// the pages from seq 0; the outbox and the current tables stay as they are until the swap.
    public func beginResync() throws {
        try write { db in
            for table in MirrorSchema.truthTables { try db.execute(sql: "DROP TABLE IF EXISTS \(table)\(Mirror.resyncSuffix)") }
            try MirrorSchema.createTruthTables(db, suffix: Mirror.resyncSuffix)
            try Mirror.setMeta(db, .resyncCursor, "0")
            try Mirror.setMeta(db, .resyncMark, nil)
        }
    }

    /// Swaps the fresh tables in, in one transaction, and moves the cursor to the resync's.
    public func finishResync() throws {
        try write { db in
            guard let cursor = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'resync_cursor'") else { return }
            for table in MirrorSchema.truthTables {
                try db.execute(sql: "DROP TABLE \(table)")
                try db.execute(sql: "ALTER TABLE \(table)\(Mirror.resyncSuffix) RENAME TO \(table)")
            }
            try MirrorSchema.createTruthIndexes(db)
            try MirrorSchema.createCallTriggers(db)  // dropped with the old calls table
            try db.execute(sql: "DELETE FROM call_days; DELETE FROM call_groups")
            try Mirror.setMeta(db, .cursor, cursor)
            try Mirror.setMeta(db, .feedMark, try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'resync_mark'"))
            try Mirror.setMeta(db, .resyncCursor, nil)
            try Mirror.setMeta(db, .resyncMark, nil)
            try Mirror.setMeta(db, .historyHead, nil)  // the fresh tables hold the whole feed
        }
    }
}

/// A new mirror's window as the server described it (`GET /api/v1/sync/window`).
public struct MirrorWindow: Sendable, Equatable {
    public var callsFrom: CivilDate
    public var summariesFrom: CivilDate
    /// The feed's head when the window was read.
    public var head: Int64

    public init(callsFrom: CivilDate, summariesFrom: CivilDate, head: Int64) {
        self.callsFrom = callsFrom
        self.summariesFrom = summariesFrom
        self.head = head
    }
}

/// A new mirror whose history is still syncing: how far it is, and what the window holds in full.
public struct HistoryProgress: Sendable, Equatable {
    /// The history's progress, 0 to 99.
    public var percent: Int
    public var callsFrom: CivilDate?
    public var summariesFrom: CivilDate?

    /// Whether the mirror holds every call and day summary from `from` on.
    public func covers(from: CivilDate) -> Bool {
        guard let callsFrom, let summariesFrom else { return false }
        return from >= max(callsFrom, summariesFrom)
    }
}
