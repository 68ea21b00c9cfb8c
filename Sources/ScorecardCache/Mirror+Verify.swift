import GRDB
import ScorecardCore
import ScorecardSQLite

/// The mirror's side of a verification: its cursor and per-stream digests, read from one snapshot.
public struct MirrorDigest: Sendable {
    /// The pull cursor the digests belong to.
    public var cursor: Int64
    /// True while a full resync or a new mirror's history is unfinished: not comparable yet.
    public var incomplete: Bool
    /// Per stream (the truth tables' names), the ``EntityDigest`` of its `(id, version)` pairs.
    public var streams: [String: EntityDigest]
}

/// How one stream of the mirror differs from the server's listing.
public struct StreamDifference: Sendable, Equatable {
    /// Ids the server has and the mirror lacks (the first few, sorted), and how many in all.
    public var missing: [String] = []
    public var missingCount = 0
    /// Ids the mirror has and the server does not.
    public var extra: [String] = []
    public var extraCount = 0
    /// Ids at another version in the mirror than on the server.
    public var stale: [StaleEntity] = []
    public var staleCount = 0

    public init() {}

    /// Nothing differs.
    public var isEmpty: Bool { missingCount + extraCount + staleCount == 0 }
}

/// An entity the mirror holds at another version than the server.
public struct StaleEntity: Sendable, Equatable {
    public var id: String
    public var mirrorVersion: Int
    public var serverVersion: Int

    public init(id: String, mirrorVersion: Int, serverVersion: Int) {
        self.id = id
        self.mirrorVersion = mirrorVersion
        self.serverVersion = serverVersion
    }
}

extension Mirror {
    static let repairSuffix = "_repair"

    /// The streams a mirror holds: the truth tables, named as the feed names its streams.
    public static var streams: [String] { MirrorSchema.truthTables }

    /// The column holding a truth table's entity id.
    static func keyColumn(_ table: String) -> String { table == "day_summaries" ? "date" : "id" }

    /// The cursor and the digest of every stream, from one read transaction: one prepared
    /// statement per table, its `(id, version)` rows streamed into the digest (no row is kept).
    public func digest() throws -> MirrorDigest {
        try read { db in
            let meta = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT key, value FROM meta WHERE key IN ('cursor', 'resync_cursor', 'history_head')"
                ).map { ($0[0] as String, $0[1] as String) })
            var streams: [String: EntityDigest] = [:]
            for table in MirrorSchema.truthTables {
                var digest = EntityDigest()
                let rows = try RawStatement(db, "SELECT \(Mirror.keyColumn(table)), version FROM \(table)")
                while try rows.step() { digest.add(id: rows.textBytes(0), version: rows.int(1)) }
                streams[table] = digest
            }
            return MirrorDigest(
                cursor: meta["cursor"].flatMap { Int64($0) } ?? 0,
                incomplete: meta["resync_cursor"] != nil || meta["history_head"] != nil, streams: streams)
        }
    }

    /// Compares one stream with the server's `(id, version)` listing, naming up to `limit` ids of
    /// each kind of difference; returns the cursor read in the same snapshot.
    public func differences(stream: String, server: [EntityVersion], limit: Int = 5) throws -> (cursor: Int64, difference: StreamDifference) {
        guard let t = Mirror.tableIndex(for: stream) else { return (try cursor(), StreamDifference()) }
        let table = MirrorSchema.truthTables[t]
        return try read { db in
            let cursor = Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'cursor'") ?? "0") ?? 0
            var remaining = [String: Int](minimumCapacity: server.count)
            for entity in server { remaining[entity.id] = entity.version }
            var difference = StreamDifference()
            var extra: [String] = []
            var stale: [StaleEntity] = []
            let rows = try RawStatement(db, "SELECT \(Mirror.keyColumn(table)), version FROM \(table)")
            while try rows.step() {
                let id = rows.text(0)
                let version = rows.int(1)
                if let serverVersion = remaining.removeValue(forKey: id) {
                    if serverVersion != version { stale.append(StaleEntity(id: id, mirrorVersion: version, serverVersion: serverVersion)) }
                } else {
                    extra.append(id)
                }
            }
            let missing = remaining.keys.sorted()
            difference.missing = Array(missing.prefix(limit))
            difference.missingCount = missing.count
            difference.extra = Array(extra.sorted().prefix(limit))
            difference.extraCount = extra.count
            difference.stale = Array(stale.sorted { $0.id < $1.id }.prefix(limit))
            difference.staleCount = stale.count
            return (cursor, difference)
        }
    }

    // MARK: - Per-stream repair

    /// Starts a per-stream repair: fresh, empty `_repair` copies of the truth tables (left-overs
    /// of an interrupted repair are dropped). The live tables, the cursor and the outbox stay
    /// as they are until ``finishRepair(streams:)``.
    public func beginRepair() throws {
        try write { db in
            try Mirror.dropRepairTables(db)
            try MirrorSchema.createTruthTables(db, suffix: Mirror.repairSuffix)
        }
    }

    /// Applies a page of the repair's download (from seq 0) to the `_repair` tables: only the
    /// changes of `streams` (the others' tables are not touched at all).
    @discardableResult
    public func applyRepair(_ page: MirrorPage, streams: Set<String>) throws -> ApplyStats {
        let changes = page.changes.filter { streams.contains($0.stream) }
        return try apply(MirrorPage(changes: changes, next: page.next, hasMore: page.hasMore), window: nil, repair: true)
    }

    /// Swaps the repaired streams' fresh tables in, in one transaction, and drops the rest.
    /// The cursor does not move: the next pull from it re-applies what came after it, and the
    /// version guard leaves the repaired rows as they are.
    public func finishRepair(streams: Set<String>) throws {
        try write { db in
            for table in MirrorSchema.truthTables where streams.contains(table) {
                try db.execute(sql: "DROP TABLE \(table)")
                try db.execute(sql: "ALTER TABLE \(table)\(Mirror.repairSuffix) RENAME TO \(table)")
                switch table {
                case "calls":
                    try db.execute(sql: "CREATE INDEX calls_started_at ON calls(started_at)")
                    try MirrorSchema.createCallTriggers(db)  // dropped with the old calls table
                    try db.execute(sql: "DELETE FROM call_days; DELETE FROM call_groups")
                case "snapshots": try db.execute(sql: "CREATE INDEX snapshots_period ON snapshots(period_start)")
                case "reviews": try db.execute(sql: "CREATE INDEX reviews_period ON reviews(period_start)")
                default: break
                }
            }
            try Mirror.dropRepairTables(db)
        }
    }

    static func dropRepairTables(_ db: Database) throws {
        for table in MirrorSchema.truthTables { try db.execute(sql: "DROP TABLE IF EXISTS \(table)\(Mirror.repairSuffix)") }
    }
}
