import Foundation
import GRDB
import ScorecardCore
import ScorecardServerCore

/// The embedded default store: one SQLite file through a GRDB `DatabasePool` in WAL mode.
///
/// Writes are serialised by SQLite, so a feed counter bumped inside a write transaction is
/// bumped in commit order; reads run on snapshots and never block writers.
public final class SQLiteStore: ServerStore {
    let pool: DatabasePool
    /// The connections' label, unique to this store: it finds the store's feed watchers after a commit.
    let label: String

    /// Opens (creating when needed) the database at `path` and migrates it forward.
    /// `prepare` runs on every connection after the store's own settings (benchmarks use it to trace).
    public init(path: String, prepare: (@Sendable (Database) throws -> Void)? = nil) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !FileManager.default.fileExists(atPath: path) {
            // Password and token hashes live here: readable by the server's user alone.
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let label = "scorecard-store-" + UUID().uuidString
        self.label = label
        configuration.label = label
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384")
            try prepare?(db)
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        if try pool.read({ db in try SQLiteStore.migrator.hasBeenSuperseded(db) }) {
            throw StoreError(
                .unsupported, "\(path) was migrated by a newer scorecard-server than this one; run that version, or restore a backup made for this one")
        }
        try SQLiteStore.migrator.migrate(pool)
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

extension SQLiteStore {
    /// Forward-only migrations; each runs in its own transaction.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE people (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        email TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('agent','manager','admin')),
                        team_id TEXT,
                        active INTEGER NOT NULL DEFAULT 1,
                        password_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE teams (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        team_type TEXT,
                        manager_person_id TEXT REFERENCES people(id),
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE TABLE team_members (
                        team_id TEXT NOT NULL REFERENCES teams(id),
                        person_id TEXT NOT NULL REFERENCES people(id),
                        role TEXT NOT NULL CHECK (role IN ('member','lead','manager')),
                        active INTEGER NOT NULL DEFAULT 1,
                        PRIMARY KEY (team_id, person_id)
                    );
                    CREATE INDEX team_members_person ON team_members(person_id);
                    CREATE TABLE tokens (
                        hash BLOB PRIMARY KEY NOT NULL,
                        person_id TEXT NOT NULL REFERENCES people(id),
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX tokens_person ON tokens(person_id);
                    CREATE TABLE calls (
                        id TEXT PRIMARY KEY NOT NULL,
                        person_id TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        direction TEXT NOT NULL,
                        call_type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        talk_seconds INTEGER NOT NULL,
                        handling_seconds INTEGER NOT NULL,
                        disposition TEXT,
                        version INTEGER NOT NULL
                    );
                    CREATE INDEX calls_person_started ON calls(person_id, started_at);
                    CREATE TABLE day_summaries (
                        person_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        login_seconds INTEGER NOT NULL,
                        busy_seconds INTEGER NOT NULL,
                        idle_seconds INTEGER NOT NULL,
                        pause_seconds INTEGER NOT NULL,
                        wrapup_seconds INTEGER NOT NULL,
                        dial_seconds INTEGER NOT NULL,
                        aht_seconds INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        PRIMARY KEY (person_id, date)
                    );
                    -- One counter row per person; bumped inside the writing transaction.
                    CREATE TABLE feeds (
                        person_id TEXT PRIMARY KEY NOT NULL,
                        seq INTEGER NOT NULL DEFAULT 0,
                        floor INTEGER NOT NULL DEFAULT 0
                    );
                    -- One row per entity at its latest seq; deletes leave op = 'delete'.
                    CREATE TABLE change_log (
                        person_id TEXT NOT NULL,
                        stream TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        op TEXT NOT NULL CHECK (op IN ('upsert','delete')),
                        version INTEGER NOT NULL,
                        changed_at INTEGER NOT NULL,
                        PRIMARY KEY (person_id, stream, entity_id)
                    ) WITHOUT ROWID;
                    CREATE UNIQUE INDEX change_log_seq ON change_log(person_id, seq);
                    CREATE INDEX change_log_tombstones ON change_log(op, changed_at) WHERE op = 'delete';
                    """)
        }
        m.registerMigration("v2-performance") { db in
            try db.execute(sql: performanceSchema)
        }
        m.registerMigration("v3-push") { db in
            try db.execute(sql: pushSchema)
        }
        m.registerMigration("v4-shared-state") { db in
            try db.execute(sql: sharedStateSchema)
        }
        m.registerMigration("v5-web-sessions") { db in
            // Web sessions live next to API tokens, told apart by kind: a lookup names the kind it accepts.
            try db.execute(sql: "ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'web'))")
        }
        m.registerMigration("v6-audit") { db in
            try db.execute(sql: auditSchema)
            // The LLM key leaves the database: `retireClearLLMKey` (run by scorecard-server on open)
            // moves it to a file; nothing stores it here any more.
        }
        m.registerMigration("v7-feed-marks") { db in
            // A random tag per write at each feed's new head: a cursor and the mark of the first
            // mark at or above it name one history (docs/sync.md, "Feed marks").
            try db.execute(
                sql: """
                    CREATE TABLE feed_marks (
                        person_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        tag INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (person_id, seq)
                    ) WITHOUT ROWID
                    """)
        }
        return m
    }
}
