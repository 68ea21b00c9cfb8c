import GRDB
import ScorecardCore
import ScorecardServerCore
import ScorecardSQLite

extension SQLiteStore {
    /// One read transaction: the head from `feeds`, then the person's live change-log rows
    /// streamed through one prepared statement into the digest.
    public func feedDigest(personID: String, listing: SyncStream?) async throws -> FeedDigest {
        try await pool.read { db in
            let head = try Int64.fetchOne(db, sql: "SELECT seq FROM feeds WHERE person_id = ?", arguments: [personID]) ?? 0
            var builder = FeedDigestBuilder(listing: listing)
            let rows = try RawStatement(db, "SELECT stream, entity_id, version FROM change_log WHERE person_id = ? AND op = 'upsert'")
            rows.bind(1, personID)
            while try rows.step() {
                guard let stream = FeedDigestBuilder.stream(rows.textBytes(0)) else { continue }
                builder.add(stream: stream, id: rows.textBytes(1), version: rows.int(2))
            }
            return builder.finish(head: head)
        }
    }
}
