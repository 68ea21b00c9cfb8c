import Foundation
import GRDB
import ScorecardSQLite
import ScorecardCore
import ScorecardServerCore
import Synchronization

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
        SQLiteFeedSignals.afterCommit(db, people: Array(counts.keys))
        // Each moved feed's new head gets a mark: a random tag naming this history (docs/sync.md).
        let mark = try RawStatement(db, "INSERT OR REPLACE INTO feed_marks(person_id, seq, tag, at) VALUES (?, ?, ?, ?)")
        for (person, first) in next {
            mark.bind(1, person)
            mark.bind(2, first + Int64(counts[person]!) - 1)
            mark.bind(3, Int64(bitPattern: UInt64.random(in: 0...UInt64.max)))
            mark.bind(4, now)
            try mark.run()
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

/// The pull query of one page, read from one snapshot: shared by ``SQLiteStore/pull`` (typed
/// changes) and ``SQLiteStore/pullBody`` (the response body written straight from the rows).
struct FeedQuery {
    /// Columns: 0 seq, 1 stream, 2 entity_id, 3 op; the call 4–11; the day summary 12–19.
    let statement: RawStatement
    let documents: [SyncStream: RawStatement]
    let head: Int64
    let since: Int64
    let limit: Int

    init(_ db: Database, personID: String, since: Int64, limit: Int, resync: Bool, streams: Set<SyncStream>? = nil) throws {
        let feed = try Row.fetchOne(db, sql: "SELECT floor, seq FROM feeds WHERE person_id = ?", arguments: [personID])
        let floor: Int64 = feed?[0] ?? 0
        head = feed?[1] ?? 0
        if since > 0 && since < floor && !resync {
            throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
        }
        if since > head {
            // A cursor from the future: the database was restored from an older backup, or replaced.
            throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head); run a full resync")
        }
        // One ordered pass: each change-log row joined to its entity's current state.
        statement = try RawStatement(
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
            WHERE cl.person_id = ? AND cl.seq > ?\(streams.map { " AND cl.stream IN (" + $0.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ") + ")" } ?? "")
            ORDER BY cl.seq LIMIT ?
            """)
        statement.bind(1, personID)
        statement.bind(2, since)
        statement.bind(3, limit + 1)
        documents = try Dictionary(
            uniqueKeysWithValues: [SyncStream.snapshots, .reviews, .goals, .feedback].map {
                ($0, try RawStatement(db, "SELECT doc FROM \($0.rawValue) WHERE id = ?"))
            })
        self.since = since
        self.limit = limit
    }

    /// What the current row carries: a tombstone, an entity in one of the columns' groups, a
    /// document (the lookup is left on its row: read column 0, then reset it), or nothing to send.
    enum Entity {
        case tombstone, call, daySummary
        case document(RawStatement)
        case skip
    }

    func entity(_ stream: SyncStream, id: String) throws -> Entity {
        if statement.textBytes(3).elementsEqual("delete".utf8) { return .tombstone }
        switch stream {
        case .calls: return statement.isNull(4) ? .skip : .call
        case .daySummaries: return statement.isNull(12) ? .skip : .daySummary
        case .snapshots, .reviews, .goals, .feedback:
            let lookup = documents[stream]!
            lookup.bind(1, id)
            return try lookup.step() ? .document(lookup) : .skip  // a miss cannot happen inside one snapshot
        }
    }

    /// The page's `next`: the last page covers everything up to the head seen in this snapshot,
    /// even seqs whose rows moved on or were pruned, so the cursor never stays below a raised floor.
    func next(lastSeq: Int64, hasMore: Bool) -> Int64 { hasMore ? lastSeq : max(lastSeq, head) }
}

extension SQLiteStore {
    public func pull(personID: String, since: Int64, limit: Int, resync: Bool, streams: Set<SyncStream>?) async throws -> FeedPage {
        try await pool.read { db in
            let q = try FeedQuery(db, personID: personID, since: since, limit: limit, resync: resync, streams: streams)
            let statement = q.statement
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
                var entity: FeedEntity?
                switch try q.entity(stream, id: id) {
                case .tombstone: entity = nil
                case .call:
                    entity = .call(
                        Call(
                            id: id, personID: personID, startedAt: statement.text(4),
                            direction: CallDirection(rawValue: statement.text(5)) ?? .outbound, callType: statement.text(6),
                            status: CallStatus(rawValue: statement.text(7)) ?? .other, talkSeconds: statement.int(8),
                            handlingSeconds: statement.int(9), disposition: statement.textOrNil(10), version: statement.int(11)))
                case .daySummary:
                    entity = .daySummary(
                        DaySummary(
                            personID: personID, date: CivilDate(id) ?? CivilDate(daysSinceEpoch: 0),
                            loginSeconds: statement.int(12), busySeconds: statement.int(13), idleSeconds: statement.int(14),
                            pauseSeconds: statement.int(15), wrapupSeconds: statement.int(16), dialSeconds: statement.int(17),
                            ahtSeconds: statement.int(18), version: statement.int(19)))
                case .document(let lookup):
                    entity = .document(lookup.text(0))
                    lookup.reset()
                case .skip: continue
                }
                let op: ChangeOp = entity == nil ? .delete : .upsert
                changes.append(FeedChange(seq: seq, stream: stream, op: op, id: id, entity: entity))
            }
            return FeedPage(changes: changes, next: q.next(lastSeq: lastSeq, hasMore: hasMore), hasMore: hasMore, head: q.head)
        }
    }

    /// The page written straight from the rows, byte for byte what `pull(…).json(format:)` writes.
    public func pullBody(personID: String, since: Int64, limit: Int, resync: Bool, format: PullFormat, streams: Set<SyncStream>?) async throws -> FeedPageBody {
        try await pool.read { db in
            let q = try FeedQuery(db, personID: personID, since: since, limit: limit, resync: resync, streams: streams)
            // At most head - since changes follow (a caught-up long-poll's page is empty): no
            // full-page buffer for the thousands of clients that wait.
            let room = Int(max(0, min(Int64(min(limit, 5000)), q.head - since)))
            var w = FeedBodyWriter(format: format, personID: personID, capacity: 64 + room * (format == .rows ? 120 : 300))
            var hasMore = false
            var lastSeq = since
            let statement = q.statement
            while try statement.step() {
                guard w.count < limit else {
                    hasMore = true
                    statement.reset()
                    break
                }
                let seq = Int64(statement.int(0))
                lastSeq = seq
                guard let stream = SyncStream(rawValue: statement.text(1)) else { continue }
                let id = statement.text(2)
                let entity = try q.entity(stream, id: id)
                if case .skip = entity { continue }
                let row = SQLiteFeedRow(statement: statement)
                switch entity {
                case .tombstone, .skip:  // (skip never gets here)
                    w.begin(seq: seq, stream: stream, id: id, tombstone: true)
                    w.null()
                case .call:
                    w.begin(seq: seq, stream: stream, id: id, tombstone: false)
                    w.call(id: id, row, at: 4)
                case .daySummary:
                    w.begin(seq: seq, stream: stream, id: id, tombstone: false)
                    w.summary(id: id, row, at: 12)
                case .document(let lookup):
                    w.begin(seq: seq, stream: stream, id: id, tombstone: false)
                    w.document(lookup.textBytes(0))
                    lookup.reset()
                }
                w.end()
            }
            let next = q.next(lastSeq: lastSeq, hasMore: hasMore)
            return FeedPageBody(bytes: w.finish(next: next, hasMore: hasMore), count: w.count, hasMore: hasMore, head: q.head, next: next)
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
            let pruned = db.changesCount
            try db.execute(
                sql: "DELETE FROM feed_marks WHERE at < ? AND seq < (SELECT f.seq FROM feeds f WHERE f.person_id = feed_marks.person_id)",
                arguments: [cutoff])
            return pruned
        }
    }
}

/// A SQLite result row as the shared ``FeedBodyWriter`` reads it.
struct SQLiteFeedRow: FeedRow {
    let statement: RawStatement

    func int(_ column: Int) -> Int { statement.int(Int32(column)) }
    func isNull(_ column: Int) -> Bool { statement.isNull(Int32(column)) }
    func withText<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(statement.textBytes(Int32(column))) }
}

// MARK: Long-poll

extension SQLiteStore {
    public func feedMark(personID: String, atOrAfter seq: Int64) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT tag FROM feed_marks WHERE person_id = ? AND seq >= ? ORDER BY seq LIMIT 1", arguments: [personID, seq])
        }
    }

    public func feedHeads(personIDs: [String]) async throws -> [String: Int64] {
        guard !personIDs.isEmpty else { return [:] }
        let list = String(decoding: try JSONEncoder().encode(personIDs), as: UTF8.self)
        return try await pool.read { db in
            var heads: [String: Int64] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT person_id, seq FROM feeds WHERE person_id IN (SELECT value FROM json_each(?))", arguments: [list])
            while let row = try rows.next() { heads[row[0]] = row[1] }
            return heads
        }
    }

    /// Reports the people of every commit of this store that moved their feeds (``FeedBatch``
    /// posts them after the commit). Writes by other processes on the same file (management
    /// commands) are caught by ``FeedWaiters``'s sweep.
    public func watchFeeds(_ moved: @escaping @Sendable ([String]?) -> Void) async throws {
        let id = SQLiteFeedSignals.add(label: label, moved)
        defer { SQLiteFeedSignals.remove(label: label, id: id) }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        throw CancellationError()
    }
}

/// The feed watchers of the stores open in this process, by the store's connection label.
enum SQLiteFeedSignals {
    private static let watchers = Mutex<[String: [UInt64: @Sendable ([String]?) -> Void]]>([:])
    private static let nextID = Atomic<UInt64>(0)

    static func add(label: String, _ watcher: @escaping @Sendable ([String]?) -> Void) -> UInt64 {
        let id = nextID.add(1, ordering: .relaxed).newValue
        watchers.withLock { $0[label, default: [:]][id] = watcher }
        return id
    }

    static func remove(label: String, id: UInt64) {
        watchers.withLock { $0[label]?[id] = nil }
    }

    /// After the transaction that bumped these people's counters commits, tells the watchers.
    static func afterCommit(_ db: Database, people: [String]) {
        guard let label = db.configuration.label, watchers.withLock({ $0[label]?.isEmpty == false }) else { return }
        db.afterNextTransaction(onCommit: { _ in
            for watcher in watchers.withLock({ Array(($0[label] ?? [:]).values) }) { watcher(people) }
        })
    }
}
