import Foundation
import GRDB
import ScorecardSQLite
import ScorecardCore
import ScorecardServerCore

extension SQLiteStore {
    static func callColumns(_ alias: String) -> String {
        ["id", "person_id", "started_at", "direction", "call_type", "status", "talk_seconds", "handling_seconds", "disposition", "version"]
            .map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func summaryColumns(_ alias: String) -> String {
        [
            "person_id", "date", "login_seconds", "busy_seconds", "idle_seconds", "pause_seconds", "wrapup_seconds",
            "dial_seconds", "aht_seconds", "version",
        ].map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func call(_ row: Row, offset o: Int = 0) -> Call {
        Call(
            id: row[o], personID: row[o + 1], startedAt: row[o + 2],
            direction: CallDirection(rawValue: row[o + 3]) ?? .outbound, callType: row[o + 4],
            status: CallStatus(rawValue: row[o + 5]) ?? .other, talkSeconds: row[o + 6], handlingSeconds: row[o + 7],
            disposition: row[o + 8], version: row[o + 9])
    }

    static func summary(_ row: Row, offset o: Int = 0) -> DaySummary {
        DaySummary(
            personID: row[o], date: CivilDate(row[o + 1] as String) ?? CivilDate(daysSinceEpoch: 0),
            loginSeconds: row[o + 2], busySeconds: row[o + 3], idleSeconds: row[o + 4], pauseSeconds: row[o + 5],
            wrapupSeconds: row[o + 6], dialSeconds: row[o + 7], ahtSeconds: row[o + 8], version: row[o + 9])
    }

    public func ingestCalls(_ calls: [(index: Int, call: Call)]) async throws -> IngestResult {
        try await pool.write { db in
            var result = IngestResult()
            let now = Int(Date().timeIntervalSince1970)
            var known = KnownPeople()
            var feed = FeedBatch()
            let select = try RawStatement(
                db,
                """
                SELECT person_id, started_at, direction, call_type, status, talk_seconds, handling_seconds, disposition, version
                FROM calls WHERE id = ?
                """)
            let insert = try RawStatement(
                db,
                """
                INSERT INTO calls(person_id, started_at, direction, call_type, status, talk_seconds, handling_seconds, disposition, version, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let update = try RawStatement(
                db,
                """
                UPDATE calls SET person_id = ?, started_at = ?, direction = ?, call_type = ?, status = ?,
                    talk_seconds = ?, handling_seconds = ?, disposition = ?, version = ? WHERE id = ?
                """)
            let lastVersion = try RawStatement(
                db, "SELECT version FROM change_log WHERE person_id = ? AND stream = 'calls' AND entity_id = ?")
            for (index, incoming) in calls {
                guard try known.contains(incoming.personID, db) else {
                    result.rejected.append(IngestRejection(index: index, reason: "AgentID '\(incoming.personID)' is not a known person"))
                    continue
                }
                var call = incoming
                select.bind(1, call.id)
                let write: RawStatement
                if try select.step() {
                    let existing = Call(
                        id: call.id, personID: select.text(0), startedAt: select.text(1),
                        direction: CallDirection(rawValue: select.text(2)) ?? .outbound, callType: select.text(3),
                        status: CallStatus(rawValue: select.text(4)) ?? .other, talkSeconds: select.int(5),
                        handlingSeconds: select.int(6), disposition: select.textOrNil(7), version: select.int(8))
                    select.reset()
                    if existing.sameContent(as: call) {
                        result.unchanged += 1
                        continue
                    }
                    call.version = existing.version + 1
                    if existing.personID != call.personID {
                        feed.append(existing.personID, .calls, call.id, .delete, version: call.version)
                    }
                    write = update
                    result.updated += 1
                } else {
                    // Versions continue across a delete and re-create, so a client that missed the
                    // tombstone still takes the new row (its version guard only moves forward).
                    lastVersion.bind(1, call.personID)
                    lastVersion.bind(2, call.id)
                    call.version = (try lastVersion.step() ? lastVersion.int(0) : 0) + 1
                    lastVersion.reset()
                    write = insert
                    result.inserted += 1
                }
                write.bind(1, call.personID)
                write.bind(2, call.startedAt)
                write.bind(3, call.direction.rawValue)
                write.bind(4, call.callType)
                write.bind(5, call.status.rawValue)
                write.bind(6, call.talkSeconds)
                write.bind(7, call.handlingSeconds)
                write.bind(8, call.disposition)
                write.bind(9, call.version)
                write.bind(10, call.id)
                try write.run()
                feed.append(call.personID, .calls, call.id, .upsert, version: call.version)
            }
            try feed.flush(db, now: now)
            return result
        }
    }

    public func ingestDaySummaries(_ summaries: [(index: Int, summary: DaySummary)]) async throws -> IngestResult {
        try await pool.write { db in
            var result = IngestResult()
            let now = Int(Date().timeIntervalSince1970)
            var known = KnownPeople()
            var feed = FeedBatch()
            let select = try db.cachedStatement(sql: "SELECT \(SQLiteStore.summaryColumns("d")) FROM day_summaries d WHERE person_id = ? AND date = ?")
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO day_summaries(person_id, date, login_seconds, busy_seconds, idle_seconds,
                        pause_seconds, wrapup_seconds, dial_seconds, aht_seconds, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (index, incoming) in summaries {
                guard try known.contains(incoming.personID, db) else {
                    result.rejected.append(IngestRejection(index: index, reason: "AgentID '\(incoming.personID)' is not a known person"))
                    continue
                }
                var s = incoming
                let existing = try Row.fetchOne(select, arguments: [s.personID, s.date.description]).map { SQLiteStore.summary($0) }
                if let existing, existing.sameContent(as: s) {
                    result.unchanged += 1
                    continue
                }
                s.version = (existing?.version ?? 0) + 1
                try upsert.execute(arguments: [
                    s.personID, s.date.description, s.loginSeconds, s.busySeconds, s.idleSeconds, s.pauseSeconds,
                    s.wrapupSeconds, s.dialSeconds, s.ahtSeconds, s.version,
                ])
                if existing == nil { result.inserted += 1 } else { result.updated += 1 }
                feed.append(s.personID, .daySummaries, s.entityID, .upsert, version: s.version)
            }
            try feed.flush(db, now: now)
            return result
        }
    }

    public func deleteCall(id: String, audit: AuditEntry?) async throws -> Bool {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT person_id, version FROM calls WHERE id = ?", arguments: [id]) else {
                return false
            }
            try db.execute(sql: "DELETE FROM calls WHERE id = ?", arguments: [id])
            try db.recordChange(
                personID: row[0], stream: .calls, entityID: id, op: .delete, version: (row[1] as Int) + 1,
                now: Int(Date().timeIntervalSince1970))
            if var audit {
                audit.personID = row[0]
                try SQLiteStore.insertAudit(db, audit)
            }
            return true
        }
    }

    public func calls(personID: String, from: CivilDate, to: CivilDate) async throws -> [Call] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(SQLiteStore.callColumns("calls")) FROM calls WHERE person_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, id"),
                arguments: [personID, from.startTimestamp, to.adding(days: 1).startTimestamp]
            ).map { SQLiteStore.call($0) }
        }
    }

    public func daySummaries(personID: String, from: CivilDate, to: CivilDate) async throws -> [DaySummary] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(SQLiteStore.summaryColumns("d")) FROM day_summaries d WHERE person_id = ? AND date >= ? AND date <= ? ORDER BY date",
                arguments: [personID, from.description, to.description]
            ).map { SQLiteStore.summary($0) }
        }
    }
}

/// Caches "is this a person?" answers within one transaction.
struct KnownPeople {
    private var answers: [String: Bool] = [:]

    mutating func contains(_ id: String, _ db: Database) throws -> Bool {
        if let known = answers[id] { return known }
        let known = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM people WHERE id = ?"), arguments: [id]) != nil
        answers[id] = known
        return known
    }
}
