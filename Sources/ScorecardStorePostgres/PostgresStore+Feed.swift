import Foundation
import NIOCore
import PostgresNIO
import ScorecardCore
import ScorecardServerCore

/// Change-log rows written by one transaction, flushed with one counter bump per person.
///
/// The counter rows are locked in person order (`SELECT … ORDER BY person_id FOR UPDATE`), then
/// bumped with `UPDATE … RETURNING`, inside the transaction that wrote the entities: a writer in
/// another process that bumps the same person waits for this commit and then reads the new
/// value, so seq order is commit order (docs/sync.md). Locking in one order means two batches
/// that share people queue instead of deadlocking. Rows for one person keep their order; an
/// entity written twice in a batch keeps its last seq, as on SQLite.
struct PostgresFeedBatch {
    private var rows: [(person: String, stream: SyncStream, id: String, op: ChangeOp, version: Int)] = []

    var isEmpty: Bool { rows.isEmpty }

    mutating func append(_ person: String, _ stream: SyncStream, _ id: String, _ op: ChangeOp, version: Int) {
        rows.append((person, stream, id, op, version))
    }

    func flush(_ c: PostgresSession, now: Int) async throws {
        guard !rows.isEmpty else { return }
        var counts: [String: Int] = [:]
        for row in rows { counts[row.person, default: 0] += 1 }
        let people = counts.keys.sorted()
        var heads: [String: Int] = [:]
        if people.count == 1 {
            let person = people[0]
            heads[person] = try await c.row(
                "UPDATE feeds SET seq = seq + \(counts[person]!) WHERE person_id = \(person) RETURNING seq", Int.self)
        } else {
            let locked = try await c.count("SELECT 1 FROM feeds WHERE person_id = ANY(\(people)) ORDER BY person_id FOR UPDATE")
            if locked == people.count {
                for (person, seq) in try await c.rows(
                    """
                    UPDATE feeds f SET seq = f.seq + t.n FROM unnest(\(people)::text[], \(people.map { counts[$0]! })::bigint[]) AS t(p, n)
                    WHERE f.person_id = t.p RETURNING f.person_id, f.seq
                    """, (String, Int).self)
                {
                    heads[person] = seq
                }
            }
        }
        if heads.count < people.count {
            // A person without a counter row yet (people are created with one; this is a safety net).
            let missing = people.filter { heads[$0] == nil }
            try await c.query("INSERT INTO feeds(person_id) SELECT unnest(\(missing)::text[]) ON CONFLICT DO NOTHING")
            for person in missing {
                guard let seq = try await c.row(
                    "UPDATE feeds SET seq = seq + \(counts[person]!) WHERE person_id = \(person) RETURNING seq", Int.self)
                else { throw StoreError(.invalid, "no feed for '\(person)'") }
                heads[person] = seq
            }
        }
        var next = heads.mapValues { $0 }
        for (person, n) in counts { next[person]! -= n - 1 }
        // The last write of each entity wins (one row per entity in the change log).
        var latest: [String: Int] = [:]
        var ordered: [(person: String, stream: String, id: String, seq: Int, op: String, version: Int)] = []
        for row in rows {
            let seq = next[row.person]!
            next[row.person] = seq + 1
            let key = row.person + "\u{0}" + row.stream.rawValue + "\u{0}" + row.id
            let entry = (row.person, row.stream.rawValue, row.id, seq, row.op.rawValue, row.version)
            if let at = latest[key] {
                ordered[at] = entry
            } else {
                latest[key] = ordered.count
                ordered.append(entry)
            }
        }
        try await c.query(
            """
            INSERT INTO change_log(person_id, stream, entity_id, seq, op, version, changed_at)
            SELECT p, s, e, q, o, v, \(now) FROM unnest(
                \(ordered.map(\.person))::text[], \(ordered.map(\.stream))::text[], \(ordered.map(\.id))::text[],
                \(ordered.map(\.seq))::bigint[], \(ordered.map(\.op))::text[], \(ordered.map(\.version))::bigint[]) AS t(p, s, e, q, o, v)
            ON CONFLICT (person_id, stream, entity_id) DO UPDATE SET
                seq = excluded.seq, op = excluded.op, version = excluded.version, changed_at = excluded.changed_at
            """)
    }
}

extension PostgresStore {
    /// Locks a person's feed counter row for the rest of the transaction. Every transaction that
    /// writes one person's entities takes this lock before the entity rows, so two of them queue
    /// instead of deadlocking; true when the row exists.
    static func lockFeed(_ c: PostgresSession, _ personID: String) async throws -> Bool {
        try await c.row("SELECT 1 FROM feeds WHERE person_id = \(personID) FOR UPDATE", Int.self) != nil
    }
}

extension PostgresSession {
    /// Records one change in a person's feed inside the caller's transaction.
    func recordChange(personID: String, stream: SyncStream, entityID: String, op: ChangeOp, version: Int, now: Int) async throws {
        var batch = PostgresFeedBatch()
        batch.append(personID, stream, entityID, op, version: version)
        try await batch.flush(self, now: now)
    }
}

/// The pull query of one page: one statement, so one snapshot, with the feed's floor and head
/// and each change-log row joined to its entity's current state.
///
/// Columns: 0 floor, 1 head, 2 seq, 3 stream, 4 entity_id, 5 op; the call 6–13 (started_at,
/// direction, call_type, status, talk, handling, disposition, version); the day summary 14–21;
/// the document (snapshot, review, goal or feedback) 22. With no changes after `since` there is
/// one row whose columns from 2 on are NULL.
struct PullPage: PostgresPreparedStatement {
    static let sql = """
        SELECT f.floor, f.head, cl.seq, cl.stream, cl.entity_id, cl.op,
            c.started_at, c.direction, c.call_type, c.status, c.talk_seconds, c.handling_seconds, c.disposition, c.version,
            d.login_seconds, d.busy_seconds, d.idle_seconds, d.pause_seconds, d.wrapup_seconds, d.dial_seconds, d.aht_seconds, d.version,
            COALESCE(s.doc, r.doc, g.doc, fb.doc)
        FROM (SELECT COALESCE(MAX(floor), 0) AS floor, COALESCE(MAX(seq), 0) AS head FROM feeds WHERE person_id = $1) f
        LEFT JOIN LATERAL (
            SELECT seq, stream, entity_id, op FROM change_log WHERE person_id = $1 AND seq > $2 ORDER BY seq LIMIT $3
        ) cl ON true
        LEFT JOIN calls c ON cl.stream = 'calls' AND cl.op = 'upsert' AND c.id = cl.entity_id
        LEFT JOIN day_summaries d ON cl.stream = 'day_summaries' AND cl.op = 'upsert' AND d.person_id = $1 AND d.date = cl.entity_id
        LEFT JOIN snapshots s ON cl.stream = 'snapshots' AND cl.op = 'upsert' AND s.id = cl.entity_id
        LEFT JOIN reviews r ON cl.stream = 'reviews' AND cl.op = 'upsert' AND r.id = cl.entity_id
        LEFT JOIN goals g ON cl.stream = 'goals' AND cl.op = 'upsert' AND g.id = cl.entity_id
        LEFT JOIN feedback fb ON cl.stream = 'feedback' AND cl.op = 'upsert' AND fb.id = cl.entity_id
        ORDER BY cl.seq
        """
    typealias Row = PostgresRow
    var personID: String
    var since: Int
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(personID)
        bindings.append(since)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// Column numbers.
    static let floor = 0, head = 1, seq = 2, stream = 3, entityID = 4, op = 5, call = 6, summary = 14, document = 22
}

/// A pull row as the shared ``FeedBodyWriter`` reads it: binary-format cells, read in place.
struct PostgresFeedRow: FeedRow {
    let cells: [ByteBuffer?]

    init(_ row: PostgresRow) {
        var cells: [ByteBuffer?] = []
        cells.reserveCapacity(23)
        for cell in row { cells.append(cell.bytes) }
        self.cells = cells
    }

    func isNull(_ column: Int) -> Bool { cells[column] == nil }

    /// An int8 (or int4) column in binary format.
    func int(_ column: Int) -> Int {
        guard let buffer = cells[column] else { return 0 }
        switch buffer.readableBytes {
        case 8: return Int(buffer.getInteger(at: buffer.readerIndex, as: Int64.self) ?? 0)
        case 4: return Int(buffer.getInteger(at: buffer.readerIndex, as: Int32.self) ?? 0)
        default: return 0
        }
    }

    func withText<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let buffer = cells[column] else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return buffer.withUnsafeReadableBytes { body($0.bindMemory(to: UInt8.self)) }
    }

    func text(_ column: Int) -> String { withText(column) { String(decoding: $0, as: UTF8.self) } }
}

extension PostgresStore {
    /// Reads one page's rows, checking the cursor against the floor and head read with them.
    func pageRows(personID: String, since: Int64, limit: Int, resync: Bool) async throws -> (rows: [PostgresFeedRow], head: Int64) {
        try await withConnection { c in
            var rows: [PostgresFeedRow] = []
            rows.reserveCapacity(min(limit, 5000) + 1)
            for try await row in try await c.execute(PullPage(personID: personID, since: Int(since), limit: limit + 1)) {
                rows.append(PostgresFeedRow(row))
            }
            let floor = Int64(rows.first?.int(PullPage.floor) ?? 0)
            let head = Int64(rows.first?.int(PullPage.head) ?? 0)
            if since > 0 && since < floor && !resync {
                throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
            }
            if since > head {
                // A cursor from the future: the database was restored from an older backup, or replaced.
                throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head); run a full resync")
            }
            if rows.count == 1 && rows[0].isNull(PullPage.seq) { rows = [] }
            return (rows, head)
        }
    }

    /// What a row carries: nil when it is an upsert whose entity is gone (cannot happen inside one
    /// snapshot; skipped like SQLite does), else whether it is a tombstone.
    static func isTombstone(_ r: PostgresFeedRow, _ stream: SyncStream) -> Bool? {
        if r.withText(PullPage.op, { $0.elementsEqual("delete".utf8) }) { return true }
        switch stream {
        case .calls: return r.isNull(PullPage.call) ? nil : false
        case .daySummaries: return r.isNull(PullPage.summary) ? nil : false
        case .snapshots, .reviews, .goals, .feedback: return r.isNull(PullPage.document) ? nil : false
        }
    }

    public func pull(personID: String, since: Int64, limit: Int, resync: Bool = false) async throws -> FeedPage {
        let (rows, head) = try await pageRows(personID: personID, since: since, limit: limit, resync: resync)
        var changes: [FeedChange] = []
        changes.reserveCapacity(min(limit, rows.count))
        var lastSeq = since
        var hasMore = false
        for r in rows {
            guard changes.count < limit else {
                hasMore = true
                break
            }
            let seq = Int64(r.int(PullPage.seq))
            lastSeq = seq
            guard let stream = SyncStream(rawValue: r.text(PullPage.stream)), let tombstone = PostgresStore.isTombstone(r, stream) else { continue }
            let id = r.text(PullPage.entityID)
            var entity: FeedEntity?
            if !tombstone {
                switch stream {
                case .calls:
                    let b = PullPage.call
                    entity = .call(
                        Call(
                            id: id, personID: personID, startedAt: r.text(b), direction: CallDirection(rawValue: r.text(b + 1)) ?? .outbound,
                            callType: r.text(b + 2), status: CallStatus(rawValue: r.text(b + 3)) ?? .other, talkSeconds: r.int(b + 4),
                            handlingSeconds: r.int(b + 5), disposition: r.isNull(b + 6) ? nil : r.text(b + 6), version: r.int(b + 7)))
                case .daySummaries:
                    let b = PullPage.summary
                    entity = .daySummary(
                        DaySummary(
                            personID: personID, date: CivilDate(id) ?? CivilDate(daysSinceEpoch: 0), loginSeconds: r.int(b),
                            busySeconds: r.int(b + 1), idleSeconds: r.int(b + 2), pauseSeconds: r.int(b + 3), wrapupSeconds: r.int(b + 4),
                            dialSeconds: r.int(b + 5), ahtSeconds: r.int(b + 6), version: r.int(b + 7)))
                case .snapshots, .reviews, .goals, .feedback:
                    entity = .document(r.text(PullPage.document))
                }
            }
            changes.append(FeedChange(seq: seq, stream: stream, op: tombstone ? .delete : .upsert, id: id, entity: entity))
        }
        return FeedPage(changes: changes, next: hasMore ? lastSeq : max(lastSeq, head), hasMore: hasMore, head: head)
    }

    /// The page written straight from the rows, byte for byte what SQLite's `pullBody` writes.
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat) async throws -> FeedPageBody {
        let (rows, head) = try await pageRows(personID: personID, since: since, limit: limit, resync: resync)
        var w = FeedBodyWriter(format: format, personID: personID, capacity: 64 + min(limit, 5000) * (format == .rows ? 120 : 300))
        var lastSeq = since
        var hasMore = false
        for r in rows {
            guard w.count < limit else {
                hasMore = true
                break
            }
            let seq = Int64(r.int(PullPage.seq))
            lastSeq = seq
            guard let stream = SyncStream(rawValue: r.text(PullPage.stream)), let tombstone = PostgresStore.isTombstone(r, stream) else { continue }
            let id = r.text(PullPage.entityID)
            w.begin(seq: seq, stream: stream, id: id, tombstone: tombstone)
            if tombstone {
                w.null()
            } else {
                switch stream {
                case .calls: w.call(id: id, r, at: PullPage.call)
                case .daySummaries: w.summary(id: id, r, at: PullPage.summary)
                case .snapshots, .reviews, .goals, .feedback: r.withText(PullPage.document) { w.document($0) }
                }
            }
            w.end()
        }
        let next = hasMore ? lastSeq : max(lastSeq, head)
        return FeedPageBody(bytes: w.finish(next: next, hasMore: hasMore), count: w.count, hasMore: hasMore, head: head)
    }

    public func pruneTombstones(olderThan cutoff: Int) async throws -> Int {
        try await transaction { c in
            try await c.query(
                """
                UPDATE feeds f SET floor = GREATEST(f.floor, t.top)
                FROM (SELECT person_id, MAX(seq) AS top FROM change_log WHERE op = 'delete' AND changed_at < \(cutoff) GROUP BY person_id) t
                WHERE f.person_id = t.person_id
                """)
            return try await c.count("DELETE FROM change_log WHERE op = 'delete' AND changed_at < \(cutoff) RETURNING 1")
        }
    }
}
