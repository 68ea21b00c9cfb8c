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
        if ordered.count < PostgresFeedBatch.copyThreshold {
            try await c.query(
                """
                INSERT INTO change_log(person_id, stream, entity_id, seq, op, version, changed_at)
                SELECT p, s, e, q, o, v, \(now) FROM unnest(
                    \(ordered.map(\.person))::text[], \(ordered.map(\.stream))::text[], \(ordered.map(\.id))::text[],
                    \(ordered.map(\.seq))::bigint[], \(ordered.map(\.op))::text[], \(ordered.map(\.version))::bigint[]) AS t(p, s, e, q, o, v)
                ON CONFLICT (person_id, stream, entity_id) DO UPDATE SET
                    seq = excluded.seq, op = excluded.op, version = excluded.version, changed_at = excluded.changed_at
                """)
            return
        }
        // A large batch: the rows whose entities have none yet go in with COPY, the others are
        // moved forward from arrays. Holding the people's feed rows, nobody else writes their
        // change-log rows now, so the split stays true until commit.
        var present = Set<String>()
        for (person, stream, id) in try await c.rows(
            """
            SELECT cl.person_id, cl.stream, cl.entity_id FROM change_log cl
            JOIN unnest(\(ordered.map(\.person))::text[], \(ordered.map(\.stream))::text[], \(ordered.map(\.id))::text[]) AS t(p, s, e)
                ON cl.person_id = t.p AND cl.stream = t.s AND cl.entity_id = t.e
            """, (String, String, String).self)
        {
            present.insert(person + "\u{0}" + stream + "\u{0}" + id)
        }
        var inserts = CopyRows(capacity: ordered.count * 48)
        var moved: [(person: String, stream: String, id: String, seq: Int, op: String, version: Int)] = []
        for row in ordered {
            if present.contains(row.person + "\u{0}" + row.stream + "\u{0}" + row.id) {
                moved.append(row)
                continue
            }
            inserts.text(row.person)
            inserts.text(row.stream)
            inserts.text(row.id)
            inserts.int(row.seq)
            inserts.text(row.op)
            inserts.int(row.version)
            inserts.int(now)
            inserts.endRow()
        }
        if !moved.isEmpty {
            try await c.query(
                """
                UPDATE change_log SET seq = t.q, op = t.o, version = t.v, changed_at = \(now)
                FROM unnest(
                    \(moved.map(\.person))::text[], \(moved.map(\.stream))::text[], \(moved.map(\.id))::text[],
                    \(moved.map(\.seq))::bigint[], \(moved.map(\.op))::text[], \(moved.map(\.version))::bigint[]) AS t(p, s, e, q, o, v)
                WHERE change_log.person_id = t.p AND change_log.stream = t.s AND change_log.entity_id = t.e
                """)
        }
        try await c.copy(inserts, into: "change_log", columns: ["person_id", "stream", "entity_id", "seq", "op", "version", "changed_at"])
    }

    /// Batches of at least this many change-log rows are written with COPY.
    static let copyThreshold = 256
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
/// and each change-log row with its entity's current state.
///
/// The page's change-log rows are read once, then each stream's rows get their entities in their
/// own branch of a `UNION ALL` (a call by a LATERAL key lookup, so a page costs one index probe per
/// change whatever the size of the calls table; a plain join may be planned as a hash join over
/// the whole table, and `LIMIT 1` keeps the planner from turning the lookup back into one).
///
/// Columns: 0 floor, 1 head, 2 seq, 3 stream, 4 entity_id, 5 op; the call 6–13 (started_at,
/// direction, call_type, status, talk, handling, disposition, version); 14 the day summary as an
/// int8 array (login, busy, idle, pause, wrapup, dial, AHT, version); 15 the document (snapshot,
/// review, goal or feedback). With no changes after `since` there is one row whose columns from 2
/// on are NULL. Fewer, packed columns matter: the client's cost is per cell.
struct PullPage: PostgresPreparedStatement {
    static let sql = """
        WITH f AS (SELECT COALESCE(MAX(floor), 0) AS floor, COALESCE(MAX(seq), 0) AS head FROM feeds WHERE person_id = $1),
        page AS MATERIALIZED (SELECT seq, stream, entity_id, op FROM change_log WHERE person_id = $1 AND seq > $2 ORDER BY seq LIMIT $3)
        SELECT f.floor, f.head, u.* FROM f LEFT JOIN (
            SELECT p.seq, p.stream, p.entity_id, p.op, c.started_at, c.direction, c.call_type, c.status, c.talk_seconds,
                c.handling_seconds, c.disposition, c.version, NULL::bigint[] AS summary, NULL::text AS doc
            FROM page p LEFT JOIN LATERAL (SELECT * FROM calls WHERE id = p.entity_id AND p.op = 'upsert' LIMIT 1) c ON true
            WHERE p.stream = 'calls'
            UNION ALL
            SELECT p.seq, p.stream, p.entity_id, p.op, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                CASE WHEN d.person_id IS NOT NULL THEN ARRAY[d.login_seconds, d.busy_seconds, d.idle_seconds, d.pause_seconds,
                    d.wrapup_seconds, d.dial_seconds, d.aht_seconds, d.version] END, NULL
            FROM page p LEFT JOIN day_summaries d ON p.op = 'upsert' AND d.person_id = $1 AND d.date = p.entity_id
            WHERE p.stream = 'day_summaries'
            UNION ALL
            SELECT p.seq, p.stream, p.entity_id, p.op, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                CASE WHEN p.op = 'upsert' THEN CASE p.stream
                    WHEN 'snapshots' THEN (SELECT doc FROM snapshots WHERE id = p.entity_id)
                    WHEN 'reviews' THEN (SELECT doc FROM reviews WHERE id = p.entity_id)
                    WHEN 'goals' THEN (SELECT doc FROM goals WHERE id = p.entity_id)
                    WHEN 'feedback' THEN (SELECT doc FROM feedback WHERE id = p.entity_id) END END
            FROM page p WHERE p.stream NOT IN ('calls', 'day_summaries')
        ) u ON true
        ORDER BY u.seq
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

    /// Column numbers; the day summary's eight values read as columns `summary…summary+7`.
    static let floor = 0, head = 1, seq = 2, stream = 3, entityID = 4, op = 5, call = 6, summary = 14, document = 15
}

/// A pull row as the shared ``FeedBodyWriter`` reads it: binary-format cells, read in place. The
/// packed day summary (an int8 array in column 14) reads as columns 14–21, the document as 22.
struct PostgresFeedRow: FeedRow {
    private var cells: [ByteBuffer?] = []

    init(_ row: PostgresRow) {
        cells.reserveCapacity(16)
        for cell in row { cells.append(cell.bytes) }
    }

    /// A column of the query (not a virtual one).
    func isNullColumn(_ column: Int) -> Bool { cells[column] == nil }

    func isNull(_ column: Int) -> Bool {
        if column >= PullPage.summary && column < PullPage.summary + 8 { return cells[PullPage.summary] == nil }
        return cells[column] == nil
    }

    /// An int8 column in binary format, or one of the day summary's values.
    func int(_ column: Int) -> Int {
        if column >= PullPage.summary && column < PullPage.summary + 8 {
            // int8[] binary: ndim, flags, element type, length, lower bound (4 bytes each), then
            // per element a 4-byte length and the 8-byte value.
            guard let buffer = cells[PullPage.summary] else { return 0 }
            let offset = buffer.readerIndex + 20 + (column - PullPage.summary) * 12 + 4
            return Int(buffer.getInteger(at: offset, as: Int64.self) ?? 0)
        }
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
    /// Runs one page's query and hands each change row to `body` as it arrives, after checking the
    /// cursor against the floor and head read in the same snapshot; returns the head.
    func forEachPageRow(
        personID: String, since: Int64, limit: Int, resync: Bool, _ body: @escaping @Sendable (PostgresFeedRow) throws -> Void
    ) async throws -> Int64 {
        try await withConnection { c in
            var head: Int64?
            for try await row in try await c.execute(PullPage(personID: personID, since: Int(since), limit: limit + 1)) {
                let r = PostgresFeedRow(row)
                if head == nil {
                    let floor = Int64(r.int(PullPage.floor))
                    head = Int64(r.int(PullPage.head))
                    if since > 0 && since < floor && !resync {
                        throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
                    }
                    if since > head! {
                        // A cursor from the future: the database was restored from an older backup, or replaced.
                        throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head!); run a full resync")
                    }
                }
                if !r.isNullColumn(PullPage.seq) { try body(r) }
            }
            return head ?? 0
        }
    }

    /// What a row carries: nil when it is an upsert whose entity is gone (cannot happen inside one
    /// snapshot; skipped like SQLite does), else whether it is a tombstone.
    static func isTombstone(_ r: PostgresFeedRow, _ stream: SyncStream) -> Bool? {
        if r.withText(PullPage.op, { $0.elementsEqual("delete".utf8) }) { return true }
        switch stream {
        case .calls: return r.isNullColumn(PullPage.call) ? nil : false
        case .daySummaries: return r.isNullColumn(PullPage.summary) ? nil : false
        case .snapshots, .reviews, .goals, .feedback: return r.isNullColumn(PullPage.document) ? nil : false
        }
    }

    public func pull(personID: String, since: Int64, limit: Int, resync: Bool = false) async throws -> FeedPage {
        let page = Collector(FeedPage(changes: [], next: since, hasMore: false))
        let head = try await forEachPageRow(personID: personID, since: since, limit: limit, resync: resync) { r in
            page.update { page in
                guard page.changes.count < limit else {
                    page.hasMore = true
                    return
                }
                let seq = Int64(r.int(PullPage.seq))
                page.next = seq
                guard let stream = SyncStream(rawValue: r.text(PullPage.stream)), let tombstone = PostgresStore.isTombstone(r, stream) else { return }
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
                page.changes.append(FeedChange(seq: seq, stream: stream, op: tombstone ? .delete : .upsert, id: id, entity: entity))
            }
        }
        var result = page.value
        result.head = head
        if !result.hasMore { result.next = max(result.next, head) }
        return result
    }

    /// The page written straight from the rows as they arrive, byte for byte what SQLite's `pullBody` writes.
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat) async throws -> FeedPageBody {
        let state = Collector((
            writer: FeedBodyWriter(format: format, personID: personID, capacity: 64 + min(limit, 5000) * (format == .rows ? 120 : 300)),
            lastSeq: since, hasMore: false))
        let head = try await forEachPageRow(personID: personID, since: since, limit: limit, resync: resync) { r in
            state.update { s in
                guard s.writer.count < limit else {
                    s.hasMore = true
                    return
                }
                let seq = Int64(r.int(PullPage.seq))
                s.lastSeq = seq
                guard let stream = SyncStream(rawValue: r.text(PullPage.stream)), let tombstone = PostgresStore.isTombstone(r, stream) else { return }
                let id = r.text(PullPage.entityID)
                s.writer.begin(seq: seq, stream: stream, id: id, tombstone: tombstone)
                if tombstone {
                    s.writer.null()
                } else {
                    switch stream {
                    case .calls: s.writer.call(id: id, r, at: PullPage.call)
                    case .daySummaries: s.writer.summary(id: id, r, at: PullPage.summary)
                    case .snapshots, .reviews, .goals, .feedback: r.withText(PullPage.document) { s.writer.document($0) }
                    }
                }
                s.writer.end()
            }
        }
        var s = state.value
        let next = s.hasMore ? s.lastSeq : max(s.lastSeq, head)
        return FeedPageBody(bytes: s.writer.finish(next: next, hasMore: s.hasMore), count: s.writer.count, hasMore: s.hasMore, head: head)
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

/// A value filled in by a closure the store runs on its connection's task, read after it returns.
final class Collector<Value>: @unchecked Sendable {
    // Only touched by one task at a time: the closure while the query runs, then the caller.
    private(set) var value: Value

    init(_ value: Value) { self.value = value }

    func update<R>(_ body: (inout Value) throws -> R) rethrows -> R { try body(&value) }
}
