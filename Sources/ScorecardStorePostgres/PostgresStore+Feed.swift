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
    typealias Row = (person: String, stream: SyncStream, id: String, op: ChangeOp, version: Int, exists: Bool?, values: [String?]?)
    private var rows: [Row] = []

    var isEmpty: Bool { rows.isEmpty }

    /// Adds a change. `exists` says whether the entity's change-log row was there before this
    /// transaction, when the caller knows (it saves a large batch a lookup); nil: look it up.
    /// `values` are a call's or day summary's eight values for the pull (``PostgresFeedValues``).
    mutating func append(
        _ person: String, _ stream: SyncStream, _ id: String, _ op: ChangeOp, version: Int, exists: Bool? = nil, values: [String?]? = nil
    ) {
        rows.append((person, stream, id, op, version, exists, values))
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
        try await PostgresFeedBatch.notify(c, people: people)
        // Each moved feed's new head gets a mark: a random tag naming this history (docs/sync.md).
        try await c.query(
            """
            INSERT INTO feed_marks(person_id, seq, tag, at)
            SELECT p, q, t, \(now) FROM unnest(\(people)::text[], \(people.map { heads[$0]! })::bigint[], \(people.map { _ in Int64(bitPattern: UInt64.random(in: 0...UInt64.max)) })::bigint[]) AS m(p, q, t)
            ON CONFLICT (person_id, seq) DO UPDATE SET tag = excluded.tag, at = excluded.at
            """)
        var next = heads.mapValues { $0 }
        for (person, n) in counts { next[person]! -= n - 1 }
        // The last write of each entity wins (one row per entity in the change log).
        var latest: [String: Int] = [:]
        var ordered: [Entry] = []
        for row in rows {
            let seq = next[row.person]!
            next[row.person] = seq + 1
            let key = row.person + "\u{0}" + row.stream.rawValue + "\u{0}" + row.id
            var entry = Entry(row.person, row.stream.rawValue, row.id, seq, row.op.rawValue, row.version, row.exists, row.values)
            if let at = latest[key] {
                entry.exists = ordered[at].exists  // what was there before this transaction
                ordered[at] = entry
            } else {
                latest[key] = ordered.count
                ordered.append(entry)
            }
        }
        if ordered.count < PostgresFeedBatch.copyThreshold {
            let v = PostgresFeedValues.columns(ordered.map(\.values))
            try await c.query(
                """
                INSERT INTO change_log(person_id, stream, entity_id, seq, op, version, changed_at, vals)
                SELECT p, s, e, q, o, v, \(now), CASE WHEN h THEN ARRAY[v1, v2, v3, v4, v5, v6, v7, v8] END FROM unnest(
                    \(ordered.map(\.person))::text[], \(ordered.map(\.stream))::text[], \(ordered.map(\.id))::text[],
                    \(ordered.map(\.seq))::bigint[], \(ordered.map(\.op))::text[], \(ordered.map(\.version))::bigint[], \(v.has)::bool[],
                    \(v.columns[0])::text[], \(v.columns[1])::text[], \(v.columns[2])::text[], \(v.columns[3])::text[],
                    \(v.columns[4])::text[], \(v.columns[5])::text[], \(v.columns[6])::text[], \(v.columns[7])::text[]
                ) AS t(p, s, e, q, o, v, h, v1, v2, v3, v4, v5, v6, v7, v8)
                ON CONFLICT (person_id, stream, entity_id) DO UPDATE SET
                    seq = excluded.seq, op = excluded.op, version = excluded.version, changed_at = excluded.changed_at, vals = excluded.vals
                """)
            return
        }
        // A large batch: the rows whose entities have none yet go in with COPY, the others are
        // moved forward from arrays. Holding the people's feed rows, nobody else writes their
        // change-log rows now, so the split stays true until commit.
        var present = Set<String>()
        let unknown = ordered.filter { $0.exists == nil }
        if !unknown.isEmpty {
            for (person, stream, id) in try await c.rows(
                """
                SELECT t.p, t.s, t.e FROM unnest(\(unknown.map(\.person))::text[], \(unknown.map(\.stream))::text[], \(unknown.map(\.id))::text[]) AS t(p, s, e)
                WHERE EXISTS (SELECT 1 FROM change_log cl WHERE cl.person_id = t.p AND cl.stream = t.s AND cl.entity_id = t.e)
                """, (String, String, String).self)
            {
                present.insert(person + "\u{0}" + stream + "\u{0}" + id)
            }
        }
        var inserts = CopyRows(capacity: ordered.count * 160)
        var moved: [Entry] = []
        for row in ordered {
            if row.exists ?? present.contains(row.person + "\u{0}" + row.stream + "\u{0}" + row.id) {
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
            inserts.textArray(row.values)
            inserts.endRow()
        }
        if !moved.isEmpty {
            let v = PostgresFeedValues.columns(moved.map(\.values))
            try await c.query(
                """
                UPDATE change_log SET seq = t.q, op = t.o, version = t.v, changed_at = \(now),
                    vals = CASE WHEN t.h THEN ARRAY[t.v1, t.v2, t.v3, t.v4, t.v5, t.v6, t.v7, t.v8] END
                FROM unnest(
                    \(moved.map(\.person))::text[], \(moved.map(\.stream))::text[], \(moved.map(\.id))::text[],
                    \(moved.map(\.seq))::bigint[], \(moved.map(\.op))::text[], \(moved.map(\.version))::bigint[], \(v.has)::bool[],
                    \(v.columns[0])::text[], \(v.columns[1])::text[], \(v.columns[2])::text[], \(v.columns[3])::text[],
                    \(v.columns[4])::text[], \(v.columns[5])::text[], \(v.columns[6])::text[], \(v.columns[7])::text[]
                ) AS t(p, s, e, q, o, v, h, v1, v2, v3, v4, v5, v6, v7, v8)
                WHERE change_log.person_id = t.p AND change_log.stream = t.s AND change_log.entity_id = t.e
                """)
        }
        try await c.copy(inserts, into: "change_log", columns: ["person_id", "stream", "entity_id", "seq", "op", "version", "changed_at", "vals"])
    }

    /// One change-log row as flushed.
    struct Entry {
        var person: String, stream: String, id: String, seq: Int, op: String, version: Int, exists: Bool?, values: [String?]?
        init(_ person: String, _ stream: String, _ id: String, _ seq: Int, _ op: String, _ version: Int, _ exists: Bool?, _ values: [String?]?) {
            (self.person, self.stream, self.id, self.seq, self.op, self.version, self.exists, self.values) =
                (person, stream, id, seq, op, version, exists, values)
        }
    }

    /// Batches of at least this many change-log rows are written with COPY.
    static let copyThreshold = 256

    /// The channel ``PostgresStore/watchFeeds(_:)`` listens on.
    static let channel = "scorecard_feed"

    /// Tells every process listening which people's feeds this transaction moves: PostgreSQL
    /// delivers a `NOTIFY` when (and only if) the transaction commits. The payload is the person
    /// ids, one per line, in as few notifications as fit its 8,000-byte limit.
    static func notify(_ c: PostgresSession, people: [String]) async throws {
        var payload = ""
        for person in people {
            if !payload.isEmpty && payload.utf8.count + person.utf8.count + 1 > 7_900 {
                try await c.query("SELECT pg_notify(\(channel), \(payload))")
                payload = ""
            }
            payload += payload.isEmpty ? person : "\n" + person
        }
        if !payload.isEmpty { try await c.query("SELECT pg_notify(\(channel), \(payload))") }
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
/// and each change-log row with its entity's current state.
///
/// The change-log rows come from the `(person_id, seq)` index in order. A call's or day summary's
/// values are on its change-log row (`vals`, written with the entity: ``PostgresFeedValues``); a
/// document is a scalar subquery by key under a `CASE` on its stream, evaluated only for the
/// stream it names. Rows stream out as they are found.
///
/// Columns: 0 seq, 1 kind (the stream, with a leading `-` for a tombstone), 2 entity_id, 3 the
/// entity's values as one text array: a call's started_at, direction, call_type, status, talk,
/// handling, disposition, version; a day summary's login, busy, idle, pause, wrapup, dial, AHT,
/// version; or a document. One row is a header whose seq is NULL and whose values are the feed's
/// floor and head: PostgreSQL runs `UNION ALL` branches in order, so it comes first and the
/// changes stream out in seq order from the index as they are found (no sort holds them back);
/// the reader does not count on that, though (see ``PostgresStore/forEachPageRow``). Few cells a
/// row matter: the client's cost is per cell.
struct PullPage: PostgresPreparedStatement {
    static let sql = """
        SELECT NULL::bigint AS seq, NULL::text AS kind, NULL::text AS entity_id,
            ARRAY[COALESCE(MAX(floor), 0)::text, COALESCE(MAX(seq), 0)::text] AS vals
        FROM feeds WHERE person_id = $1
        UNION ALL (
        SELECT cl.seq, CASE WHEN cl.op = 'delete' THEN '-' || cl.stream ELSE cl.stream END, cl.entity_id,
            CASE WHEN cl.op = 'upsert' THEN CASE cl.stream
                WHEN 'calls' THEN cl.vals
                WHEN 'day_summaries' THEN cl.vals
                WHEN 'snapshots' THEN (SELECT ARRAY[doc] FROM snapshots WHERE id = cl.entity_id)
                WHEN 'reviews' THEN (SELECT ARRAY[doc] FROM reviews WHERE id = cl.entity_id)
                WHEN 'goals' THEN (SELECT ARRAY[doc] FROM goals WHERE id = cl.entity_id)
                WHEN 'feedback' THEN (SELECT ARRAY[doc] FROM feedback WHERE id = cl.entity_id) END END
        FROM change_log cl WHERE cl.person_id = $1 AND cl.seq > $2 AND ($4::text[] IS NULL OR cl.stream = ANY($4::text[]))
        ORDER BY cl.seq LIMIT $3)
        """
    typealias Row = PostgresRow
    var personID: String
    var since: Int
    var limit: Int
    /// Only these streams (a per-stream repair); nil: all.
    var streams: [String]?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(personID)
        bindings.append(since)
        bindings.append(limit)
        if let streams { bindings.append(streams) } else { bindings.appendNull() }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// Column numbers of the query.
    static let seq = 0, kind = 1, entityID = 2, values = 3
    /// Where ``PostgresFeedRow`` shows the elements of the values array, as if they were columns.
    static let call = 10, summary = 20, document = 30
}

/// A pull row as the shared ``FeedBodyWriter`` reads it: binary-format cells, read in place. The
/// elements of the values array read as columns 10–17 (a call), 20–27 (a day summary) or 30 (a
/// document), whichever the row's stream has.
struct PostgresFeedRow: FeedRow {
    /// The four cells, kept without an array (a page has thousands of rows).
    private var seqCell: ByteBuffer?, kindCell: ByteBuffer?, idCell: ByteBuffer?, valuesCell: ByteBuffer?
    /// The values array's elements: reader offsets and lengths (-1 for NULL), up to eight.
    private var offsets = InlineArray<8, Int>(repeating: 0)
    private var lengths = InlineArray<8, Int>(repeating: -1)
    private var elementCount = 0

    init(_ row: PostgresRow) {
        var n = 0
        for cell in row {
            switch n {
            case PullPage.seq: seqCell = cell.bytes
            case PullPage.kind: kindCell = cell.bytes
            case PullPage.entityID: idCell = cell.bytes
            case PullPage.values: valuesCell = cell.bytes
            default: break
            }
            n += 1
        }
        // text[] binary: ndim, flags, element type, (length, lower bound) per dimension, then per
        // element a 4-byte length (-1: NULL) and the bytes.
        guard let array = valuesCell, let dimensions = array.getInteger(at: array.readerIndex, as: Int32.self), dimensions == 1,
            let count = array.getInteger(at: array.readerIndex + 12, as: Int32.self)
        else { return }
        var at = array.readerIndex + 20
        for index in 0..<min(Int(count), 8) {
            let length = Int(array.getInteger(at: at, as: Int32.self) ?? -1)
            offsets[index] = at + 4
            lengths[index] = length
            at += 4 + max(0, length)
        }
        elementCount = min(Int(count), 8)
    }

    private func cell(_ column: Int) -> ByteBuffer? {
        switch column {
        case PullPage.seq: seqCell
        case PullPage.kind: kindCell
        case PullPage.entityID: idCell
        default: valuesCell
        }
    }

    /// A column of the query (not an array element).
    func isNullColumn(_ column: Int) -> Bool { cell(column) == nil }

    /// The index of the array element a virtual column names, if the row has it.
    private func element(_ column: Int) -> Int? {
        let index = column >= PullPage.document ? column - PullPage.document : column >= PullPage.summary ? column - PullPage.summary : column - PullPage.call
        return index < elementCount ? index : nil
    }

    func isNull(_ column: Int) -> Bool {
        guard column >= PullPage.call else { return cell(column) == nil }
        guard let e = element(column) else { return true }
        return lengths[e] < 0
    }

    /// An int8 column in binary format, or an array element holding a decimal integer.
    func int(_ column: Int) -> Int {
        guard column >= PullPage.call else {
            guard let buffer = cell(column) else { return 0 }
            return Int(buffer.getInteger(at: buffer.readerIndex, as: Int64.self) ?? 0)
        }
        return withText(column) { bytes in
            var value = 0
            var negative = false
            for byte in bytes {
                if byte == UInt8(ascii: "-") {
                    negative = true
                } else {
                    value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
                }
            }
            return negative ? -value : value
        }
    }

    func withText<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if column >= PullPage.call {
            guard let e = element(column), lengths[e] > 0, let array = valuesCell else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            let start = offsets[e] - array.readerIndex
            let length = lengths[e]
            return array.withUnsafeReadableBytes { raw in
                body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[start..<(start + length)]))
            }
        }
        guard let buffer = cell(column) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return buffer.withUnsafeReadableBytes { body($0.bindMemory(to: UInt8.self)) }
    }

    func text(_ column: Int) -> String { withText(column) { String(decoding: $0, as: UTF8.self) } }
}

extension PostgresStore {
    /// Runs one page's query and hands each change row to `body` as it arrives, after checking the
    /// cursor against the floor and head read in the same snapshot; returns the head.
    func forEachPageRow(
        personID: String, since: Int64, limit: Int, resync: Bool, streams: Set<SyncStream>? = nil,
        _ body: @escaping @Sendable (PostgresFeedRow) throws -> Void
    ) async throws -> Int64 {
        try await withConnection { c in
            var head: Int64?
            var early: [PostgresFeedRow] = []  // changes that came before the header (not expected)
            for try await row in try await c.execute(PullPage(personID: personID, since: Int(since), limit: limit + 1, streams: streams.map { $0.map(\.rawValue).sorted() })) {
                let r = PostgresFeedRow(row)
                if !r.isNullColumn(PullPage.seq) {
                    if head == nil { early.append(r) } else { try body(r) }
                    continue
                }
                // The header: the floor and head, read in the same snapshot as the changes.
                let floor = Int64(r.int(PullPage.call))
                head = Int64(r.int(PullPage.call + 1))
                if since > 0 && since < floor && !resync {
                    throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
                }
                if since > head! {
                    // A cursor from the future: the database was restored from an older backup, or replaced.
                    throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head!); run a full resync")
                }
                for r in early { try body(r) }
                early = []
            }
            return head ?? 0
        }
    }

    /// What a row carries: its stream and whether it is a tombstone; nil when it is an upsert
    /// whose entity is gone (cannot happen inside one snapshot; skipped like SQLite does), or of a
    /// stream this server does not know.
    static func change(_ r: PostgresFeedRow) -> (stream: SyncStream, tombstone: Bool)? {
        r.withText(PullPage.kind) { kind -> (SyncStream, Bool)? in
            let tombstone = kind.first == UInt8(ascii: "-")
            guard let stream = SyncStream(rawValue: String(decoding: tombstone ? UnsafeBufferPointer(rebasing: kind.dropFirst()) : kind, as: UTF8.self)) else {
                return nil
            }
            if !tombstone && r.isNullColumn(PullPage.values) { return nil }
            return (stream, tombstone)
        }
    }

    public func pull(personID: String, since: Int64, limit: Int, resync: Bool, streams: Set<SyncStream>?) async throws -> FeedPage {
        let page = Collector(FeedPage(changes: [], next: since, hasMore: false))
        let head = try await forEachPageRow(personID: personID, since: since, limit: limit, resync: resync, streams: streams) { r in
            page.update { page in
                guard page.changes.count < limit else {
                    page.hasMore = true
                    return
                }
                let seq = Int64(r.int(PullPage.seq))
                page.next = seq
                guard let (stream, tombstone) = PostgresStore.change(r) else { return }
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
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat, streams: Set<SyncStream>?) async throws -> FeedPageBody {
        let state = Collector((
            writer: FeedBodyWriter(format: format, personID: personID, capacity: 64 + min(limit, 5000) * (format == .rows ? 120 : 300)),
            lastSeq: since, hasMore: false))
        let head = try await forEachPageRow(personID: personID, since: since, limit: limit, resync: resync, streams: streams) { r in
            state.update { s in
                guard s.writer.count < limit else {
                    s.hasMore = true
                    return
                }
                let seq = Int64(r.int(PullPage.seq))
                s.lastSeq = seq
                guard let (stream, tombstone) = PostgresStore.change(r) else { return }
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
        return FeedPageBody(bytes: s.writer.finish(next: next, hasMore: s.hasMore), count: s.writer.count, hasMore: s.hasMore, head: head, next: next)
    }

    public func pruneTombstones(olderThan cutoff: Int) async throws -> Int {
        try await transaction { c in
            try await c.query(
                """
                UPDATE feeds f SET floor = GREATEST(f.floor, t.top)
                FROM (SELECT person_id, MAX(seq) AS top FROM change_log WHERE op = 'delete' AND changed_at < \(cutoff) GROUP BY person_id) t
                WHERE f.person_id = t.person_id
                """)
            let pruned = try await c.count("DELETE FROM change_log WHERE op = 'delete' AND changed_at < \(cutoff) RETURNING 1")
            try await c.query(
                "DELETE FROM feed_marks m USING feeds f WHERE f.person_id = m.person_id AND m.at < \(cutoff) AND m.seq < f.seq")
            return pruned
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

// MARK: Long-poll

extension PostgresStore {
    public func feedMark(personID: String, atOrAfter seq: Int64) async throws -> Int64? {
        try await withConnection { c in
            try await c.row("SELECT tag FROM feed_marks WHERE person_id = \(personID) AND seq >= \(seq) ORDER BY seq LIMIT 1", Int64.self)
        }
    }

    public func feedHeads(personIDs: [String]) async throws -> [String: Int64] {
        guard !personIDs.isEmpty else { return [:] }
        return try await withConnection { c in
            var heads: [String: Int64] = [:]
            for (person, seq) in try await c.rows("SELECT person_id, seq FROM feeds WHERE person_id = ANY(\(personIDs))", (String, Int64).self) {
                heads[person] = seq
            }
            return heads
        }
    }

    /// Listens on ``PostgresFeedBatch/channel`` on a connection of its own (outside the pool,
    /// which it would hold for ever): every commit that moved feeds, in any process on this
    /// database, is reported with its people. After (re)connecting it reports nil, since
    /// notifications sent while it was away are lost; a lost connection ends the call with its
    /// error and the caller listens again.
    public func watchFeeds(_ moved: @escaping @Sendable ([String]?) -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try settings.connectionConfiguration(timeout: leaseTimeout), id: 1, logger: logger)
        do {
            try await withTaskCancellationHandler {
                try await connection.listen(on: PostgresFeedBatch.channel) { notifications in
                    moved(nil)
                    for try await notification in notifications {
                        moved(notification.payload.split(separator: "\n").map(String.init))
                    }
                }
            } onCancel: {
                Task { try? await connection.close() }  // ends the iteration
            }
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        throw CancellationError()
    }
}
