import PostgresNIO
import ScorecardCore
import ScorecardServerCore

extension PostgresStore {
    /// One statement, so one snapshot at READ COMMITTED: a header row with the feed's head (its
    /// stream NULL), then the person's live change-log rows, streamed into the digest.
    public func feedDigest(personID: String, listing: SyncStream?) async throws -> FeedDigest {
        try await withConnection { c in
            var builder = FeedDigestBuilder(listing: listing)
            var head: Int64 = 0
            let rows = try await c.query(
                """
                SELECT NULL::text, NULL::text, COALESCE(MAX(seq), 0)::bigint FROM feeds WHERE person_id = \(personID)
                UNION ALL
                SELECT stream, entity_id, version::bigint FROM change_log WHERE person_id = \(personID) AND op = 'upsert'
                """)
            for try await row in rows {
                let (streamName, id, version) = try row.decode((String?, String?, Int64).self)
                guard let streamName, var id else {
                    head = version
                    continue
                }
                guard let stream = SyncStream(rawValue: streamName) else { continue }
                id.withUTF8 { builder.add(stream: stream, id: $0, version: Int(version)) }
            }
            return builder.finish(head: head)
        }
    }
}
