import Foundation
import GRDB
import ScorecardSQLite
import ScorecardCore

/// Change-log rows written by one transaction, flushed with one counter bump per person.
///
/// The counter row is bumped by the number of rows under SQLite's write lock (the PostgreSQL
/// store takes the row lock with `UPDATE … RETURNING`), inside the transaction that wrote the
/// entities, so seq order is commit order. Rows for one person keep their order.
struct FeedBatch {
    private var rows: [(person: String, stream: SyncStream, id: String, op: ChangeOp, version: Int)] = []

    mutating func append(_ person: String, _ stream: SyncStream, _ id: String, _ op: ChangeOp, version: Int) {
        rows.append((person, stream, id, op, version))
    }

    func flush(_ db: Database, now: Int) throws {
        guard !rows.isEmpty else { return }
        var counts: [String: Int] = [:]
        for row in rows { counts[row.person, default: 0] += 1 }
        let bump = try RawStatement(db, "UPDATE feeds SET seq = seq + ? WHERE person_id = ? RETURNING seq")
        var next: [String: Int64] = [:]
        for (person, n) in counts {
            bump.bind(1, n)
            bump.bind(2, person)
            if !(try bump.step()) {
                try db.execute(sql: "INSERT OR IGNORE INTO feeds(person_id) VALUES (?)", arguments: [person])
                bump.bind(1, n)
                bump.bind(2, person)
                guard try bump.step() else { throw StoreError(.invalid, "no feed for '\(person)'") }
            }
            next[person] = Int64(bump.int(0)) - Int64(n) + 1
            bump.reset()
        }
        let upsert = try RawStatement(
            db,
            """
            INSERT INTO change_log(person_id, stream, entity_id, seq, op, version, changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(person_id, stream, entity_id) DO UPDATE SET
                seq = excluded.seq, op = excluded.op, version = excluded.version, changed_at = excluded.changed_at
            """)
        for row in rows {
            let seq = next[row.person]!
            next[row.person] = seq + 1
            upsert.bind(1, row.person)
            upsert.bind(2, row.stream.rawValue)
            upsert.bind(3, row.id)
            upsert.bind(4, seq)
            upsert.bind(5, row.op.rawValue)
            upsert.bind(6, row.version)
            upsert.bind(7, now)
            try upsert.run()
        }
    }
}

extension Database {
    /// Records one change in a person's feed inside the caller's transaction.
    func recordChange(personID: String, stream: SyncStream, entityID: String, op: ChangeOp, version: Int, now: Int) throws {
        var batch = FeedBatch()
        batch.append(personID, stream, entityID, op, version: version)
        try batch.flush(self, now: now)
    }
}

extension SQLiteStore {
    public func pull(personID: String, since: Int64, limit: Int, resync: Bool = false) async throws -> FeedPage {
        try await pool.read { db in
            let feed = try Row.fetchOne(db, sql: "SELECT floor, seq FROM feeds WHERE person_id = ?", arguments: [personID])
            let floor: Int64 = feed?[0] ?? 0
            let head: Int64 = feed?[1] ?? 0
            if since > 0 && since < floor && !resync {
                throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
            }
            if since > head {
                // A cursor from the future: the database was restored from an older backup, or replaced.
                throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head); run a full resync")
            }
            // One ordered pass: each change-log row joined to its entity's current state.
            let statement = try RawStatement(
                db,
                """
                SELECT cl.seq, cl.stream, cl.entity_id, cl.op,
                    c.started_at, c.direction, c.call_type, c.status, c.talk_seconds, c.handling_seconds, c.disposition, c.version,
                    d.login_seconds, d.busy_seconds, d.idle_seconds, d.pause_seconds, d.wrapup_seconds, d.dial_seconds,
                    d.aht_seconds, d.version
                FROM change_log cl
                LEFT JOIN calls c ON cl.stream = 'calls' AND cl.op = 'upsert' AND c.id = cl.entity_id
                LEFT JOIN day_summaries d ON cl.stream = 'day_summaries' AND cl.op = 'upsert'
                    AND d.person_id = cl.person_id AND d.date = cl.entity_id
                WHERE cl.person_id = ? AND cl.seq > ?
                ORDER BY cl.seq LIMIT ?
                """)
            statement.bind(1, personID)
            statement.bind(2, since)
            statement.bind(3, limit + 1)
            let documents = try Dictionary(
                uniqueKeysWithValues: [SyncStream.snapshots, .reviews, .goals, .feedback].map {
                    ($0, try RawStatement(db, "SELECT doc FROM \($0.rawValue) WHERE id = ?"))
                })
            var changes: [FeedChange] = []
            changes.reserveCapacity(min(limit, 5000))
            var hasMore = false
            var lastSeq = since
            while try statement.step() {
                guard changes.count < limit else {
                    hasMore = true
                    statement.reset()
                    break
                }
                let seq = Int64(statement.int(0))
                lastSeq = seq
                guard let stream = SyncStream(rawValue: statement.text(1)) else { continue }
                let id = statement.text(2)
                let op: ChangeOp = statement.text(3) == "delete" ? .delete : .upsert
                var entity: FeedEntity?
                if op == .upsert {
                    switch stream {
                    case .calls where !statement.isNull(4):
                        entity = .call(
                            Call(
                                id: id, personID: personID, startedAt: statement.text(4),
                                direction: CallDirection(rawValue: statement.text(5)) ?? .outbound, callType: statement.text(6),
                                status: CallStatus(rawValue: statement.text(7)) ?? .other, talkSeconds: statement.int(8),
                                handlingSeconds: statement.int(9), disposition: statement.textOrNil(10), version: statement.int(11)))
                    case .daySummaries where !statement.isNull(12):
                        entity = .daySummary(
                            DaySummary(
                                personID: personID, date: CivilDate(id) ?? CivilDate(daysSinceEpoch: 0),
                                loginSeconds: statement.int(12), busySeconds: statement.int(13), idleSeconds: statement.int(14),
                                pauseSeconds: statement.int(15), wrapupSeconds: statement.int(16), dialSeconds: statement.int(17),
                                ahtSeconds: statement.int(18), version: statement.int(19)))
                    case .snapshots, .reviews, .goals, .feedback:
                        let lookup = documents[stream]!
                        lookup.bind(1, id)
                        guard try lookup.step() else { continue }  // cannot happen inside one snapshot
                        entity = .document(lookup.text(0))
                        lookup.reset()
                    default:
                        continue  // cannot happen inside one snapshot
                    }
                }
                changes.append(FeedChange(seq: seq, stream: stream, op: op, id: id, entity: entity))
            }
            // The last page covers everything up to the head seen in this snapshot, even seqs whose rows
            // moved on or were pruned, so the cursor never stays below a raised floor.
            return FeedPage(changes: changes, next: hasMore ? lastSeq : max(lastSeq, head), hasMore: hasMore, head: head)
        }
    }

    public func pruneTombstones(olderThan cutoff: Int) async throws -> Int {
        try await pool.write { db in
            let floors = try Row.fetchAll(
                db, sql: "SELECT person_id, MAX(seq) FROM change_log WHERE op = 'delete' AND changed_at < ? GROUP BY person_id",
                arguments: [cutoff])
            for row in floors {
                try db.execute(
                    sql: "UPDATE feeds SET floor = MAX(floor, ?) WHERE person_id = ?", arguments: [row[1] as Int64, row[0] as String])
            }
            try db.execute(sql: "DELETE FROM change_log WHERE op = 'delete' AND changed_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
