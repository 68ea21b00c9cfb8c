import Foundation
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    /// The advisory lock every ingest transaction holds: ingest writers take turns, as SQLite's
    /// single writer does, so a batch's reads and its writes see the same rows ("ingestor").
    static let ingestLock: Int64 = 0x696E_6765_7374_6F72

    static let callColumnList = ["id", "person_id", "started_at", "direction", "call_type", "status", "talk_seconds", "handling_seconds", "disposition", "version"]
    static let callColumns = callColumnList.joined(separator: ", ")
    typealias CallRow = (String, String, String, String, String, String, Int, Int, String?, Int)

    static func call(_ r: CallRow) -> Call {
        Call(
            id: r.0, personID: r.1, startedAt: r.2, direction: CallDirection(rawValue: r.3) ?? .outbound, callType: r.4,
            status: CallStatus(rawValue: r.5) ?? .other, talkSeconds: r.6, handlingSeconds: r.7, disposition: r.8, version: r.9)
    }

    static let summaryColumns =
        "person_id, date, login_seconds, busy_seconds, idle_seconds, pause_seconds, wrapup_seconds, dial_seconds, aht_seconds, version"
    typealias SummaryRow = (String, String, Int, Int, Int, Int, Int, Int, Int, Int)

    static func summary(_ r: SummaryRow) -> DaySummary {
        DaySummary(
            personID: r.0, date: CivilDate(r.1) ?? CivilDate(daysSinceEpoch: 0), loginSeconds: r.2, busySeconds: r.3, idleSeconds: r.4,
            pauseSeconds: r.5, wrapupSeconds: r.6, dialSeconds: r.7, ahtSeconds: r.8, version: r.9)
    }

    /// The ids among `ids` that are people.
    static func knownPeople(_ c: PostgresSession, _ ids: [String]) async throws -> Set<String> {
        Set(try await c.rows("SELECT id FROM people WHERE id = ANY(\(Array(Set(ids)))::text[])", String.self))
    }

    /// Takes the ingest lock for the rest of the transaction.
    static func lockIngest(_ c: PostgresSession) async throws {
        try await c.query("SELECT pg_advisory_xact_lock(\(ingestLock))")
    }

    /// Calls are read in one query, decided in order (a call sent twice in a batch is compared
    /// with its first copy, as on SQLite), and written with one `unnest` upsert of each call's
    /// last state: a few round trips whatever the batch size.
    public func ingestCalls(_ calls: [(index: Int, call: Call)]) async throws -> IngestResult {
        guard !calls.isEmpty else { return IngestResult() }
        return try await transaction { c in
            let now = PostgresStore.now
            try await PostgresStore.lockIngest(c)
            let known = try await PostgresStore.knownPeople(c, calls.map(\.call.personID))
            let ids = Array(Set(calls.map(\.call.id)))
            // Key lookups, one index probe each: a plan over the whole table is never cheaper here,
            // but the planner may think so while a large load has left its statistics behind.
            var current: [String: Call] = [:]
            for row in try await c.rows(
                """
                SELECT c.* FROM unnest(\(ids)::text[]) AS t(id)
                JOIN LATERAL (SELECT \(unescaped: PostgresStore.callColumns) FROM calls WHERE id = t.id LIMIT 1) c ON true
                """, CallRow.self)
            {
                current[row.0] = PostgresStore.call(row)
            }
            let stored = Set(current.keys)
            let original = current.mapValues(\.personID)
            // Versions continue across a delete and re-create, so a client that missed the
            // tombstone still takes the new row (its version guard only moves forward).
            let gone = calls.filter { current[$0.call.id] == nil }.map(\.call)
            var lastVersion: [String: Int] = [:]
            if !gone.isEmpty {
                for (person, id, version) in try await c.rows(
                    """
                    SELECT t.p, t.e, cl.version FROM unnest(\(gone.map(\.personID))::text[], \(gone.map(\.id))::text[]) AS t(p, e)
                    JOIN LATERAL (
                        SELECT version FROM change_log WHERE person_id = t.p AND stream = 'calls' AND entity_id = t.e LIMIT 1
                    ) cl ON true
                    """, (String, String, Int).self)
                {
                    lastVersion[person + "\u{0}" + id] = version
                }
            }
            var result = IngestResult()
            var feed = PostgresFeedBatch()
            var written: [String: Call] = [:]
            var order: [String] = []
            for (index, incoming) in calls {
                guard known.contains(incoming.personID) else {
                    result.rejected.append(IngestRejection(index: index, reason: "AgentID '\(incoming.personID)' is not a known person"))
                    continue
                }
                var call = incoming
                if let existing = current[call.id] {
                    if existing.sameContent(as: call) {
                        result.unchanged += 1
                        continue
                    }
                    call.version = existing.version + 1
                    if existing.personID != call.personID {
                        feed.append(existing.personID, .calls, call.id, .delete, version: call.version, exists: original[call.id] == existing.personID ? true : nil)
                    }
                    result.updated += 1
                } else {
                    call.version = (lastVersion[call.personID + "\u{0}" + call.id] ?? 0) + 1
                    result.inserted += 1
                }
                if written[call.id] == nil { order.append(call.id) }
                written[call.id] = call
                current[call.id] = call
                // Whether the call's change-log row was there before: yes for a call stored under
                // this person, for a new one exactly when it left a tombstone; else look it up.
                let before = original[call.id]
                let exists: Bool? =
                    before == nil ? lastVersion[call.personID + "\u{0}" + call.id] != nil : (before == call.personID ? true : nil)
                feed.append(call.personID, .calls, call.id, .upsert, version: call.version, exists: exists, values: PostgresFeedValues.call(call))
            }
            // New calls go in with COPY; calls that were there are updated from arrays.
            var inserts = CopyRows(capacity: order.count * 96)
            var updates: [Call] = []
            for id in order {
                let call = written[id]!
                if stored.contains(id) {
                    updates.append(call)
                    continue
                }
                inserts.text(call.id)
                inserts.text(call.personID)
                inserts.text(call.startedAt)
                inserts.text(call.direction.rawValue)
                inserts.text(call.callType)
                inserts.text(call.status.rawValue)
                inserts.int(call.talkSeconds)
                inserts.int(call.handlingSeconds)
                inserts.text(call.disposition)
                inserts.int(call.version)
                inserts.endRow()
            }
            try await c.copy(inserts, into: "calls", columns: PostgresStore.callColumnList)
            if !updates.isEmpty {
                try await c.query(
                    """
                    UPDATE calls SET person_id = t.p, started_at = t.s, direction = t.d, call_type = t.ct, status = t.st,
                        talk_seconds = t.ts, handling_seconds = t.hs, disposition = t.disp, version = t.v
                    FROM unnest(
                        \(updates.map(\.id))::text[], \(updates.map(\.personID))::text[], \(updates.map(\.startedAt))::text[],
                        \(updates.map(\.direction.rawValue))::text[], \(updates.map(\.callType))::text[], \(updates.map(\.status.rawValue))::text[],
                        \(updates.map(\.talkSeconds))::bigint[], \(updates.map(\.handlingSeconds))::bigint[],
                        \(NullableArray(updates.map(\.disposition)))::text[], \(updates.map(\.version))::bigint[]
                    ) AS t(id, p, s, d, ct, st, ts, hs, disp, v)
                    WHERE calls.id = t.id
                    """)
            }
            try await feed.flush(c, now: now)
            return result
        }
    }

    public func ingestDaySummaries(_ summaries: [(index: Int, summary: DaySummary)]) async throws -> IngestResult {
        guard !summaries.isEmpty else { return IngestResult() }
        return try await transaction { c in
            let now = PostgresStore.now
            try await PostgresStore.lockIngest(c)
            let known = try await PostgresStore.knownPeople(c, summaries.map(\.summary.personID))
            var current: [String: DaySummary] = [:]
            for row in try await c.rows(
                """
                SELECT \(unescaped: PostgresStore.summaryColumns) FROM day_summaries d
                JOIN unnest(\(summaries.map(\.summary.personID))::text[], \(summaries.map(\.summary.date.description))::text[]) AS t(p, day)
                    ON d.person_id = t.p AND d.date = t.day
                """, SummaryRow.self)
            {
                let s = PostgresStore.summary(row)
                current[s.personID + "\u{0}" + s.date.description] = s
            }
            var result = IngestResult()
            var feed = PostgresFeedBatch()
            var written: [String: DaySummary] = [:]
            var order: [String] = []
            for (index, incoming) in summaries {
                guard known.contains(incoming.personID) else {
                    result.rejected.append(IngestRejection(index: index, reason: "AgentID '\(incoming.personID)' is not a known person"))
                    continue
                }
                var s = incoming
                let key = s.personID + "\u{0}" + s.date.description
                let existing = current[key]
                if let existing, existing.sameContent(as: s) {
                    result.unchanged += 1
                    continue
                }
                s.version = (existing?.version ?? 0) + 1
                if existing == nil { result.inserted += 1 } else { result.updated += 1 }
                if written[key] == nil { order.append(key) }
                written[key] = s
                current[key] = s
                feed.append(s.personID, .daySummaries, s.entityID, .upsert, version: s.version, values: PostgresFeedValues.summary(s))
            }
            if !order.isEmpty {
                let rows = order.map { written[$0]! }
                try await c.query(
                    """
                    INSERT INTO day_summaries(\(unescaped: PostgresStore.summaryColumns))
                    SELECT * FROM unnest(
                        \(rows.map(\.personID))::text[], \(rows.map(\.date.description))::text[], \(rows.map(\.loginSeconds))::bigint[],
                        \(rows.map(\.busySeconds))::bigint[], \(rows.map(\.idleSeconds))::bigint[], \(rows.map(\.pauseSeconds))::bigint[],
                        \(rows.map(\.wrapupSeconds))::bigint[], \(rows.map(\.dialSeconds))::bigint[], \(rows.map(\.ahtSeconds))::bigint[],
                        \(rows.map(\.version))::bigint[])
                    ON CONFLICT (person_id, date) DO UPDATE SET login_seconds = excluded.login_seconds, busy_seconds = excluded.busy_seconds,
                        idle_seconds = excluded.idle_seconds, pause_seconds = excluded.pause_seconds, wrapup_seconds = excluded.wrapup_seconds,
                        dial_seconds = excluded.dial_seconds, aht_seconds = excluded.aht_seconds, version = excluded.version
                    """)
            }
            try await feed.flush(c, now: now)
            return result
        }
    }

    public func deleteCall(id: String, audit: AuditEntry?) async throws -> Bool {
        try await transaction { c in
            try await PostgresStore.lockIngest(c)
            guard let (person, version) = try await c.row(
                "DELETE FROM calls WHERE id = \(id) RETURNING person_id, version", (String, Int).self)
            else { return false }
            try await c.recordChange(personID: person, stream: .calls, entityID: id, op: .delete, version: version + 1, now: PostgresStore.now)
            if var audit {
                audit.personID = person
                try await PostgresStore.insertAudit(c, audit)
            }
            return true
        }
    }

    public func calls(personID: String, from: CivilDate, to: CivilDate) async throws -> [Call] {
        try await withConnection { c in
            try await c.rows(
                """
                SELECT \(unescaped: PostgresStore.callColumns) FROM calls
                WHERE person_id = \(personID) AND started_at >= \(from.startTimestamp) AND started_at < \(to.adding(days: 1).startTimestamp)
                ORDER BY started_at, id
                """, CallRow.self
            ).map(PostgresStore.call)
        }
    }

    public func daySummaries(personID: String, from: CivilDate, to: CivilDate) async throws -> [DaySummary] {
        try await withConnection { c in
            try await c.rows(
                """
                SELECT \(unescaped: PostgresStore.summaryColumns) FROM day_summaries
                WHERE person_id = \(personID) AND date >= \(from.description) AND date <= \(to.description) ORDER BY date
                """, SummaryRow.self
            ).map(PostgresStore.summary)
        }
    }
}
