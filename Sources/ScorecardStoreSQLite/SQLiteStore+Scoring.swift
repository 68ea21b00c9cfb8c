import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore
import ScorecardSQLite

extension SQLiteStore {
    public func scoringFacts(period: ISOWeek, channels: [String]) async throws -> ScoringFacts {
        try await pool.read { db in
            let lo = period.monday.startTimestamp
            let hi = period.next.monday.startTimestamp
            var statements = 0
            var people: [String: PersonFacts] = [:]
            var order: [String] = []
            statements += 1
            for row in try Row.fetchAll(
                db, sql: "SELECT p.id, p.team_id, t.team_type FROM people p LEFT JOIN teams t ON t.id = p.team_id WHERE p.active = 1 ORDER BY p.id")
            {
                let id: String = row[0]
                people[id] = PersonFacts(personID: id, teamID: row[1], teamType: (row[2] as String?).flatMap(TeamType.init(rawValue:)))
                order.append(id)
            }
            /// Runs one aggregate query over the week and hands each active person's row to `apply`.
            func each(_ sql: String, _ extra: [any DatabaseValueConvertible] = [], _ apply: (inout PersonFacts, Row) -> Void) throws {
                statements += 1
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(extra + [lo, hi]))
                while let row = try rows.next() {
                    let id: String = row[0]
                    if people[id] != nil { apply(&people[id]!, row) }
                }
            }
            try each(
                """
                SELECT person_id, COUNT(*), COUNT(sla_met), TOTAL(sla_met), AVG(resolution_minutes), TOTAL(escalated), AVG(csat), TOTAL(tagged)
                FROM tickets WHERE resolved_at >= ? AND resolved_at < ? GROUP BY person_id
                """
            ) { p, r in
                p.tickets = r[1]
                p.ticketsWithSLA = r[2]
                p.ticketsSLAMet = Int(r[3] as Double)
                p.ticketResolutionMinutes = r[4]
                p.ticketsEscalated = Int(r[5] as Double)
                p.csatAverage = r[6]
                p.ticketsTagged = Int(r[7] as Double)
            }
            try each(
                """
                SELECT person_id, COUNT(*), COUNT(completed_at),
                    TOTAL(completed_at IS NOT NULL AND due_date IS NOT NULL),
                    TOTAL(completed_at IS NOT NULL AND due_date IS NOT NULL AND substr(completed_at, 1, 10) <= due_date),
                    AVG(CASE WHEN completed_at IS NOT NULL AND estimated_minutes > 0 AND actual_minutes IS NOT NULL
                        THEN MAX(0, 1 - ABS(actual_minutes - estimated_minutes) / estimated_minutes) END),
                    TOTAL(blocked)
                FROM tasks WHERE assigned_at >= ? AND assigned_at < ? GROUP BY person_id
                """
            ) { p, r in
                p.tasks = r[1]
                p.tasksDone = r[2]
                p.tasksDoneWithDue = Int(r[3] as Double)
                p.tasksOnTime = Int(r[4] as Double)
                p.taskEffortAccuracy = r[5]
                p.tasksBlocked = Int(r[6] as Double)
            }
            try each(
                """
                SELECT person_id, COUNT(*), COUNT(completed_at),
                    AVG(CASE WHEN scheduled_start IS NOT NULL AND actual_start IS NOT NULL
                        THEN MAX(0, (strftime('%s', actual_start) - strftime('%s', scheduled_start)) / 60.0) END),
                    AVG(CASE WHEN completed_at IS NOT NULL AND estimated_minutes > 0 AND actual_minutes IS NOT NULL
                        THEN MAX(0, 1 - ABS(actual_minutes - estimated_minutes) / estimated_minutes) END),
                    TOTAL(completed_at IS NOT NULL AND has_notes = 1)
                FROM work_orders WHERE assigned_at >= ? AND assigned_at < ? GROUP BY person_id
                """
            ) { p, r in
                p.workOrders = r[1]
                p.workOrdersCompleted = r[2]
                p.workOrderDelayMinutes = r[3]
                p.workOrderDurationAccuracy = r[4]
                p.workOrdersWithNotes = Int(r[5] as Double)
            }
            let channelList = String(decoding: try WireJSON.encode(channels), as: UTF8.self)
            try each(
                """
                SELECT person_id, COUNT(*), AVG(first_response_minutes), AVG(CASE WHEN resolved = 1 THEN resolution_minutes END),
                    TOTAL(resolved), TOTAL(tagged),
                    COUNT(DISTINCT CASE WHEN channel IN (SELECT value FROM json_each(?)) THEN channel END)
                FROM conversations WHERE started_at >= ? AND started_at < ? GROUP BY person_id
                """, [channelList]
            ) { p, r in
                p.conversations = r[1]
                p.firstResponseMinutes = r[2]
                p.conversationResolutionMinutes = r[3]
                p.conversationsResolved = Int(r[4] as Double)
                p.conversationsTagged = Int(r[5] as Double)
                p.channelsUsed = r[6]
            }
            try each("SELECT person_id, COUNT(*), TOTAL(value) FROM leads WHERE created_at >= ? AND created_at < ? GROUP BY person_id") { p, r in
                p.leadsCreated = r[1]
                p.pipelineValue = r[2]
            }
            try each(
                """
                SELECT person_id, TOTAL(status = 'won'), TOTAL(status = 'lost') FROM leads
                WHERE status IN ('won', 'lost') AND closed_at >= ? AND closed_at < ? GROUP BY person_id
                """
            ) { p, r in
                p.leadsWon = Int(r[1] as Double)
                p.leadsLost = Int(r[2] as Double)
            }
            try each("SELECT person_id, COUNT(*), TOTAL(accepted = 1) FROM quotes WHERE sent_at >= ? AND sent_at < ? GROUP BY person_id") { p, r in
                p.quotesSent = r[1]
                p.quotesAccepted = Int(r[2] as Double)
            }
            try each("SELECT person_id, COUNT(*) FROM lead_messages WHERE sent_at >= ? AND sent_at < ? GROUP BY person_id") { p, r in
                p.leadMessages = r[1]
            }
            try each(
                """
                SELECT person_id, COUNT(*),
                    AVG(CASE WHEN record_type = 'contact' THEN CAST(fields_filled AS REAL) / fields_total END),
                    AVG(CASE WHEN record_type = 'organization' THEN CAST(fields_filled AS REAL) / fields_total END),
                    AVG(CASE WHEN note_length > 0 THEN note_length END)
                FROM records WHERE touched_at >= ? AND touched_at < ? GROUP BY person_id
                """
            ) { p, r in
                p.records = r[1]
                p.contactCompleteness = r[2]
                p.orgCompleteness = r[3]
                p.noteLength = r[4]
            }
            return ScoringFacts(
                period: period, people: order.map { people[$0]! }.filter { $0.trackedEvents > 0 }, channelsAvailable: channels.count,
                statements: statements)
        }
    }

    public func saveScores(period: ISOWeek, results: [ScoringEngine.Result], now: Int) async throws -> ScoreSaveResult {
        try await pool.write { db in
            var saved = ScoreSaveResult()
            var feed = FeedBatch()
            let select = try RawStatement(db, "SELECT doc FROM snapshots WHERE id = ?")
            let upsert = try RawStatement(
                db,
                """
                INSERT INTO snapshots(id, person_id, period, composite_score, team_id, created_at, updated_at, version, doc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET composite_score = excluded.composite_score, team_id = excluded.team_id,
                    updated_at = excluded.updated_at, version = excluded.version, doc = excluded.doc
                """)
            let clear = try RawStatement(db, "DELETE FROM domain_scores WHERE person_id = ? AND period = ?")
            let insert = try RawStatement(
                db,
                "INSERT INTO domain_scores(person_id, period, domain, raw_score, weighted_score, metrics) VALUES (?, ?, ?, ?, ?, ?)")
            let stamp = Timestamp.format(epochSeconds: now)
            let encoder = WireJSON.encoder()
            for result in results {
                var snapshot = result.snapshot(period: period, stamp: stamp)
                select.bind(1, snapshot.id)
                if try select.step() {
                    let old = try WireJSON.decode(Snapshot.self, from: Data(select.text(0).utf8))
                    select.reset()
                    guard let rewritten = snapshot.rewriting(old) else {
                        saved.unchanged += 1
                        continue
                    }
                    snapshot = rewritten
                    saved.updated += 1
                } else {
                    saved.inserted += 1
                }
                upsert.bind(1, snapshot.id)
                upsert.bind(2, snapshot.personID)
                upsert.bind(3, snapshot.period)
                upsert.bind(4, snapshot.compositeScore)
                upsert.bind(5, snapshot.teamID)
                upsert.bind(6, Timestamp.epochSeconds(snapshot.createdAt) ?? now)
                upsert.bind(7, now)
                upsert.bind(8, snapshot.version)
                upsert.bind(9, String(decoding: try encoder.encode(snapshot), as: UTF8.self))
                try upsert.run()
                clear.bind(1, snapshot.personID)
                clear.bind(2, snapshot.period)
                try clear.run()
                for domain in result.domains {
                    insert.bind(1, snapshot.personID)
                    insert.bind(2, snapshot.period)
                    insert.bind(3, domain.domain.rawValue)
                    insert.bind(4, domain.rawScore)
                    insert.bind(5, domain.weightedScore)
                    insert.bind(6, String(decoding: try encoder.encode(domain.metrics), as: UTF8.self))
                    try insert.run()
                }
                feed.append(snapshot.personID, .snapshots, snapshot.id, .upsert, version: snapshot.version)
            }
            // An active person scored before but not now (their activity left the week) loses the
            // week's snapshot; inactive people keep their history.
            let scored = Set(results.map(\.personID))
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.person_id, s.version FROM snapshots s JOIN people p ON p.id = s.person_id AND p.active = 1
                    WHERE s.period = ?
                    """, arguments: [period.description])
            where !scored.contains(row[1] as String) {
                try db.execute(sql: "DELETE FROM domain_scores WHERE person_id = ? AND period = ?", arguments: [row[1] as String, period.description])
                try db.execute(sql: "DELETE FROM snapshots WHERE id = ?", arguments: [row[0] as String])
                feed.append(row[1], .snapshots, row[0], .delete, version: (row[2] as Int) + 1)
                saved.deleted += 1
            }
            try feed.flush(db, now: now)
            return saved
        }
    }

    public func jobState(_ key: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM job_state WHERE key = ?", arguments: [key]) }
    }

    public func setJobState(_ key: String, _ value: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO job_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    public func earliestActivity() async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT MIN(t) FROM (
                        SELECT MIN(resolved_at) AS t FROM tickets UNION ALL SELECT MIN(assigned_at) FROM tasks
                        UNION ALL SELECT MIN(assigned_at) FROM work_orders UNION ALL SELECT MIN(started_at) FROM conversations
                        UNION ALL SELECT MIN(created_at) FROM leads UNION ALL SELECT MIN(closed_at) FROM leads
                        UNION ALL SELECT MIN(sent_at) FROM quotes UNION ALL SELECT MIN(sent_at) FROM lead_messages
                        UNION ALL SELECT MIN(touched_at) FROM records)
                    """)
        }
    }

    public func settings() async throws -> Settings {
        try await pool.read { db in
            var stored: [String: JSONValue] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") {
                stored[row[0]] = try? WireJSON.decode(JSONValue.self, from: Data((row[1] as String).utf8))
            }
            return Settings(stored: stored)
        }
    }

    public func setSetting(key: String, value: JSONValue, by personID: String?, audit: AuditEntry?) async throws {
        try await pool.write { db in
            if value == .null {
                try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                        """,
                    arguments: [key, String(decoding: try WireJSON.encode(value), as: UTF8.self), Int(Date().timeIntervalSince1970), personID])
            }
            if let audit { try SQLiteStore.insertAudit(db, audit) }
        }
    }
}
