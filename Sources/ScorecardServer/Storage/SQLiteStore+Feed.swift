import Foundation
import GRDB
import ScorecardCore

extension Database {
    /// Records that `entityID` of `stream` changed in `personID`'s feed, inside the caller's
    /// transaction: bumps the person's counter (SQLite's write lock plays the row lock) and moves
    /// the entity's one change-log row to the new seq.
    func recordChange(personID: String, stream: SyncStream, entityID: String, op: ChangeOp, version: Int, now: Int) throws {
        let bump = try cachedStatement(sql: "UPDATE feeds SET seq = seq + 1 WHERE person_id = ? RETURNING seq")
        var seq = try Int64.fetchOne(bump, arguments: [personID])
        if seq == nil {
            try execute(sql: "INSERT OR IGNORE INTO feeds(person_id) VALUES (?)", arguments: [personID])
            seq = try Int64.fetchOne(bump, arguments: [personID])
        }
        let upsert = try cachedStatement(
            sql: """
                INSERT INTO change_log(person_id, stream, entity_id, seq, op, version, changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(person_id, stream, entity_id) DO UPDATE SET
                    seq = excluded.seq, op = excluded.op, version = excluded.version, changed_at = excluded.changed_at
                """)
        try upsert.execute(arguments: [personID, stream.rawValue, entityID, seq, op.rawValue, version, now])
    }
}

extension SQLiteStore {
    public func pull(personID: String, since: Int64, limit: Int) async throws -> FeedPage {
        try await pool.read { db in
            let feed = try Row.fetchOne(db, sql: "SELECT floor, seq FROM feeds WHERE person_id = ?", arguments: [personID])
            let floor: Int64 = feed?[0] ?? 0
            let head: Int64 = feed?[1] ?? 0
            if since > 0 && since < floor {
                throw StoreError(.cursorExpired, "cursor \(since) is below the feed's floor \(floor); run a full resync")
            }
            if since > head {
                // A cursor from the future: the database was restored from an older backup, or replaced.
                throw StoreError(.cursorExpired, "cursor \(since) is beyond the feed's head \(head); run a full resync")
            }
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT seq, stream, entity_id, op FROM change_log WHERE person_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
                arguments: [personID, since, limit + 1])
            let hasMore = rows.count > limit
            let page = rows.prefix(limit)
            guard let last = page.last else { return FeedPage(changes: [], next: max(since, head), hasMore: false, head: head) }
            let lastSeq: Int64 = last[0]
            let calls = try SQLiteStore.callsInWindow(db, personID: personID, after: since, upTo: lastSeq)
            let summaries = try SQLiteStore.summariesInWindow(db, personID: personID, after: since, upTo: lastSeq)
            var changes: [FeedChange] = []
            changes.reserveCapacity(page.count)
            for row in page {
                let seq: Int64 = row[0]
                guard let stream = SyncStream(rawValue: row[1]) else { continue }
                let id: String = row[2]
                let op = ChangeOp(rawValue: row[3]) ?? .upsert
                var entity: FeedEntity?
                if op == .upsert {
                    switch stream {
                    case .calls: entity = calls[seq].map(FeedEntity.call)
                    case .daySummaries: entity = summaries[seq].map(FeedEntity.daySummary)
                    default: entity = nil
                    }
                    if entity == nil { continue }  // cannot happen inside one snapshot
                }
                changes.append(FeedChange(seq: seq, stream: stream, op: op, id: id, entity: entity))
            }
            // The last page covers everything up to the head seen in this snapshot, even seqs whose rows
            // moved on or were pruned, so the cursor never stays below a raised floor.
            return FeedPage(changes: changes, next: hasMore ? lastSeq : max(lastSeq, head), hasMore: hasMore, head: head)
        }
    }

    static func callsInWindow(_ db: Database, personID: String, after: Int64, upTo: Int64) throws -> [Int64: Call] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT cl.seq, \(callColumns("c")) FROM change_log cl JOIN calls c ON c.id = cl.entity_id
                WHERE cl.person_id = ? AND cl.stream = 'calls' AND cl.op = 'upsert' AND cl.seq > ? AND cl.seq <= ?
                """)
        var result: [Int64: Call] = [:]
        let cursor = try Row.fetchCursor(statement, arguments: [personID, after, upTo])
        while let row = try cursor.next() { result[row[0]] = call(row, offset: 1) }
        return result
    }

    static func summariesInWindow(_ db: Database, personID: String, after: Int64, upTo: Int64) throws -> [Int64: DaySummary] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT cl.seq, \(summaryColumns("d")) FROM change_log cl
                JOIN day_summaries d ON d.person_id = cl.person_id AND d.date = cl.entity_id
                WHERE cl.person_id = ? AND cl.stream = 'day_summaries' AND cl.op = 'upsert' AND cl.seq > ? AND cl.seq <= ?
                """)
        var result: [Int64: DaySummary] = [:]
        let cursor = try Row.fetchCursor(statement, arguments: [personID, after, upTo])
        while let row = try cursor.next() { result[row[0]] = summary(row, offset: 1) }
        return result
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
