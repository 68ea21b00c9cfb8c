import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    /// The advisory lock a scoring write holds, so two processes scoring the same week take turns.
    static let scoringLock: Int64 = 0x7363_6F72_696E_6773

    public func scoringFacts(period: ISOWeek, channels: [String]) async throws -> ScoringFacts {
        try await withConnection { c in
            let lo = period.monday.startTimestamp
            let hi = period.next.monday.startTimestamp
            var statements = 0
            var people: [String: PersonFacts] = [:]
            var order: [String] = []
            // One snapshot for every aggregate, as SQLite's read transaction gives.
            try await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                statements += 1
                for (id, team, type) in try await c.rows(
                    "SELECT p.id, p.team_id, t.team_type FROM people p LEFT JOIN teams t ON t.id = p.team_id WHERE p.active ORDER BY p.id",
                    (String, String?, String?).self)
                {
                    people[id] = PersonFacts(personID: id, teamID: team, teamType: type.flatMap(TeamType.init(rawValue:)))
                    order.append(id)
                }
                /// Runs one aggregate query over the week and hands each active person's row to `apply`.
                func each(_ query: PostgresQuery, _ apply: (inout PersonFacts, [PostgresCell]) throws -> Void) async throws {
                    statements += 1
                    for try await row in try await c.query(query) {
                        let cells = Array(row)
                        let id = try cells[0].decode(String.self)
                        if people[id] != nil { try apply(&people[id]!, cells) }
                    }
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*), COUNT(sla_met), COALESCE(SUM(sla_met), 0)::bigint, AVG(resolution_minutes),
                        COALESCE(SUM(escalated), 0)::bigint, AVG(csat)::float8, COALESCE(SUM(tagged), 0)::bigint
                    FROM tickets WHERE resolved_at >= \(lo) AND resolved_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.tickets = try r[1].decode(Int.self)
                    p.ticketsWithSLA = try r[2].decode(Int.self)
                    p.ticketsSLAMet = try r[3].decode(Int.self)
                    p.ticketResolutionMinutes = try r[4].decode(Double?.self)
                    p.ticketsEscalated = try r[5].decode(Int.self)
                    p.csatAverage = try r[6].decode(Double?.self)
                    p.ticketsTagged = try r[7].decode(Int.self)
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*), COUNT(completed_at),
                        COUNT(*) FILTER (WHERE completed_at IS NOT NULL AND due_date IS NOT NULL),
                        COUNT(*) FILTER (WHERE completed_at IS NOT NULL AND due_date IS NOT NULL AND left(completed_at, 10) <= due_date),
                        AVG(CASE WHEN completed_at IS NOT NULL AND estimated_minutes > 0 AND actual_minutes IS NOT NULL
                            THEN GREATEST(0, 1 - ABS(actual_minutes - estimated_minutes) / estimated_minutes) END),
                        COALESCE(SUM(blocked), 0)::bigint
                    FROM tasks WHERE assigned_at >= \(lo) AND assigned_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.tasks = try r[1].decode(Int.self)
                    p.tasksDone = try r[2].decode(Int.self)
                    p.tasksDoneWithDue = try r[3].decode(Int.self)
                    p.tasksOnTime = try r[4].decode(Int.self)
                    p.taskEffortAccuracy = try r[5].decode(Double?.self)
                    p.tasksBlocked = try r[6].decode(Int.self)
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*), COUNT(completed_at),
                        AVG(CASE WHEN scheduled_start IS NOT NULL AND actual_start IS NOT NULL
                            THEN GREATEST(0, EXTRACT(EPOCH FROM (actual_start::timestamptz - scheduled_start::timestamptz))::float8 / 60.0) END),
                        AVG(CASE WHEN completed_at IS NOT NULL AND estimated_minutes > 0 AND actual_minutes IS NOT NULL
                            THEN GREATEST(0, 1 - ABS(actual_minutes - estimated_minutes) / estimated_minutes) END),
                        COUNT(*) FILTER (WHERE completed_at IS NOT NULL AND has_notes = 1)
                    FROM work_orders WHERE assigned_at >= \(lo) AND assigned_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.workOrders = try r[1].decode(Int.self)
                    p.workOrdersCompleted = try r[2].decode(Int.self)
                    p.workOrderDelayMinutes = try r[3].decode(Double?.self)
                    p.workOrderDurationAccuracy = try r[4].decode(Double?.self)
                    p.workOrdersWithNotes = try r[5].decode(Int.self)
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*), AVG(first_response_minutes), AVG(CASE WHEN resolved = 1 THEN resolution_minutes END),
                        COALESCE(SUM(resolved), 0)::bigint, COALESCE(SUM(tagged), 0)::bigint,
                        COUNT(DISTINCT CASE WHEN channel = ANY(\(channels)::text[]) THEN channel END)
                    FROM conversations WHERE started_at >= \(lo) AND started_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.conversations = try r[1].decode(Int.self)
                    p.firstResponseMinutes = try r[2].decode(Double?.self)
                    p.conversationResolutionMinutes = try r[3].decode(Double?.self)
                    p.conversationsResolved = try r[4].decode(Int.self)
                    p.conversationsTagged = try r[5].decode(Int.self)
                    p.channelsUsed = try r[6].decode(Int.self)
                }
                try await each(
                    "SELECT person_id, COUNT(*), COALESCE(SUM(value), 0)::float8 FROM leads WHERE created_at >= \(lo) AND created_at < \(hi) GROUP BY person_id"
                ) { p, r in
                    p.leadsCreated = try r[1].decode(Int.self)
                    p.pipelineValue = try r[2].decode(Double.self)
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*) FILTER (WHERE status = 'won'), COUNT(*) FILTER (WHERE status = 'lost') FROM leads
                    WHERE status IN ('won', 'lost') AND closed_at >= \(lo) AND closed_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.leadsWon = try r[1].decode(Int.self)
                    p.leadsLost = try r[2].decode(Int.self)
                }
                try await each(
                    "SELECT person_id, COUNT(*), COUNT(*) FILTER (WHERE accepted = 1) FROM quotes WHERE sent_at >= \(lo) AND sent_at < \(hi) GROUP BY person_id"
                ) { p, r in
                    p.quotesSent = try r[1].decode(Int.self)
                    p.quotesAccepted = try r[2].decode(Int.self)
                }
                try await each("SELECT person_id, COUNT(*) FROM lead_messages WHERE sent_at >= \(lo) AND sent_at < \(hi) GROUP BY person_id") { p, r in
                    p.leadMessages = try r[1].decode(Int.self)
                }
                try await each(
                    """
                    SELECT person_id, COUNT(*),
                        AVG(CASE WHEN record_type = 'contact' THEN fields_filled::float8 / fields_total END),
                        AVG(CASE WHEN record_type = 'organization' THEN fields_filled::float8 / fields_total END),
                        AVG(CASE WHEN note_length > 0 THEN note_length END)::float8
                    FROM records WHERE touched_at >= \(lo) AND touched_at < \(hi) GROUP BY person_id
                    """
                ) { p, r in
                    p.records = try r[1].decode(Int.self)
                    p.contactCompleteness = try r[2].decode(Double?.self)
                    p.orgCompleteness = try r[3].decode(Double?.self)
                    p.noteLength = try r[4].decode(Double?.self)
                }
                try await c.query("COMMIT")
            } catch {
                _ = try? await c.query("ROLLBACK")
                throw error
            }
            return ScoringFacts(
                period: period, people: order.map { people[$0]! }.filter { $0.trackedEvents > 0 }, channelsAvailable: channels.count,
                statements: statements)
        }
    }

    /// One read of the week's stored snapshots, decisions in Swift, one `unnest` upsert of the
    /// changed snapshots and one of their domain scores, one feed flush.
    public func saveScores(period: ISOWeek, results: [ScoringEngine.Result], now: Int) async throws -> ScoreSaveResult {
        try await transaction { c in
            try await c.query("SELECT pg_advisory_xact_lock(\(PostgresStore.scoringLock))")
            var stored: [String: Snapshot] = [:]
            for doc in try await c.rows("SELECT doc FROM snapshots WHERE period = \(period.description)", String.self) {
                let snapshot = try WireJSON.decode(Snapshot.self, from: Data(doc.utf8))
                stored[snapshot.id] = snapshot
            }
            var saved = ScoreSaveResult()
            var feed = PostgresFeedBatch()
            let stamp = Timestamp.format(epochSeconds: now)
            var changed: [(snapshot: Snapshot, result: ScoringEngine.Result)] = []
            for result in results {
                var snapshot = result.snapshot(period: period, stamp: stamp)
                if let old = stored[snapshot.id] {
                    guard let rewritten = snapshot.rewriting(old) else {
                        saved.unchanged += 1
                        continue
                    }
                    snapshot = rewritten
                    saved.updated += 1
                } else {
                    saved.inserted += 1
                }
                changed.append((snapshot, result))
                feed.append(snapshot.personID, .snapshots, snapshot.id, .upsert, version: snapshot.version)
            }
            if !changed.isEmpty {
                let encoder = WireJSON.encoder()
                let snapshots = changed.map(\.snapshot)
                let docs = try snapshots.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
                try await c.query(
                    """
                    INSERT INTO snapshots(id, person_id, period, composite_score, team_id, created_at, updated_at, version, doc)
                    SELECT i, p, \(period.description), s, t, ca, \(now), v, d FROM unnest(
                        \(snapshots.map(\.id))::text[], \(snapshots.map(\.personID))::text[], \(snapshots.map(\.compositeScore))::float8[],
                        \(NullableArray(snapshots.map(\.teamID)))::text[], \(snapshots.map { Timestamp.epochSeconds($0.createdAt) ?? now })::bigint[],
                        \(snapshots.map(\.version))::bigint[], \(docs)::text[]) AS u(i, p, s, t, ca, v, d)
                    ON CONFLICT (id) DO UPDATE SET composite_score = excluded.composite_score, team_id = excluded.team_id,
                        updated_at = excluded.updated_at, version = excluded.version, doc = excluded.doc
                    """)
                try await c.query(
                    "DELETE FROM domain_scores WHERE period = \(period.description) AND person_id = ANY(\(snapshots.map(\.personID))::text[])")
                var person: [String] = []
                var domain: [String] = []
                var raw: [Double] = []
                var weighted: [Double] = []
                var metrics: [String] = []
                for (snapshot, result) in changed {
                    for d in result.domains {
                        person.append(snapshot.personID)
                        domain.append(d.domain.rawValue)
                        raw.append(d.rawScore)
                        weighted.append(d.weightedScore)
                        metrics.append(String(decoding: try encoder.encode(d.metrics), as: UTF8.self))
                    }
                }
                if !person.isEmpty {
                    try await c.query(
                        """
                        INSERT INTO domain_scores(person_id, period, domain, raw_score, weighted_score, metrics)
                        SELECT p, \(period.description), d, r, w, m FROM unnest(
                            \(person)::text[], \(domain)::text[], \(raw)::float8[], \(weighted)::float8[], \(metrics)::text[]) AS u(p, d, r, w, m)
                        """)
                }
            }
            // An active person scored before but not now (their activity left the week) loses the
            // week's snapshot; inactive people keep their history.
            let scored = Set(results.map(\.personID))
            let dropped = try await c.rows(
                """
                SELECT s.id, s.person_id, s.version FROM snapshots s JOIN people p ON p.id = s.person_id AND p.active
                WHERE s.period = \(period.description) ORDER BY s.person_id
                """, (String, String, Int).self
            ).filter { !scored.contains($0.1) }
            if !dropped.isEmpty {
                try await c.query(
                    "DELETE FROM domain_scores WHERE period = \(period.description) AND person_id = ANY(\(dropped.map(\.1))::text[])")
                try await c.query("DELETE FROM snapshots WHERE id = ANY(\(dropped.map(\.0))::text[])")
                for (id, person, version) in dropped {
                    feed.append(person, .snapshots, id, .delete, version: version + 1)
                    saved.deleted += 1
                }
            }
            try await feed.flush(c, now: now)
            return saved
        }
    }

    public func jobState(_ key: String) async throws -> String? {
        try await withConnection { c in try await c.row("SELECT value FROM job_state WHERE key = \(key)", String.self) }
    }

    public func setJobState(_ key: String, _ value: String) async throws {
        try await withConnection { c in
            try await c.query(
                "INSERT INTO job_state(key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        }
    }

    public func earliestActivity() async throws -> String? {
        try await withConnection { c in
            try await c.row(
                """
                SELECT MIN(t) FROM (
                    SELECT MIN(resolved_at) AS t FROM tickets UNION ALL SELECT MIN(assigned_at) FROM tasks
                    UNION ALL SELECT MIN(assigned_at) FROM work_orders UNION ALL SELECT MIN(started_at) FROM conversations
                    UNION ALL SELECT MIN(created_at) FROM leads UNION ALL SELECT MIN(closed_at) FROM leads
                    UNION ALL SELECT MIN(sent_at) FROM quotes UNION ALL SELECT MIN(sent_at) FROM lead_messages
                    UNION ALL SELECT MIN(touched_at) FROM records) u
                """, String?.self).flatMap { $0 }
        }
    }

    public func settings() async throws -> Settings {
        try await withConnection { c in
            var stored: [String: JSONValue] = [:]
            for (key, value) in try await c.rows("SELECT key, value FROM settings", (String, String).self) {
                stored[key] = try? WireJSON.decode(JSONValue.self, from: Data(value.utf8))
            }
            return Settings(stored: stored)
        }
    }

    public func setSetting(key: String, value: JSONValue, by personID: String?, audit: AuditEntry?) async throws {
        try await transaction { c in
            if value == .null {
                try await c.query("DELETE FROM settings WHERE key = \(key)")
            } else {
                let text = String(decoding: try WireJSON.encode(value), as: UTF8.self)
                try await c.query(
                    """
                    INSERT INTO settings(key, value, updated_at, updated_by) VALUES (\(key), \(text), \(PostgresStore.now), \(personID))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """)
            }
            if let audit { try await PostgresStore.insertAudit(c, audit) }
        }
    }
}
