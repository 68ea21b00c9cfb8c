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
            bytes += Mirror.fileSize(path + suffix) ?? 0
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
