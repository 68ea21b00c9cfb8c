import GRDB

/// The mirror's forward-only migrations. `cache/schema.sql` is the golden dump of their result.
enum MirrorSchema {
    /// `PRAGMA application_id` of a Scorecard mirror ("SCRD").
    static let applicationID: Int32 = 0x5343_5244

    /// The server-truth tables, each created by ``createTruthTables(_:suffix:)``.
    static let truthTables = ["calls", "day_summaries", "snapshots", "reviews", "goals", "feedback"]

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-mirror") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE outbox (
                        id TEXT PRIMARY KEY NOT NULL,
                        position INTEGER NOT NULL UNIQUE,
                        type TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'conflict', 'rejected')),
                        created_at TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        result TEXT
                    );
                    CREATE INDEX outbox_entity ON outbox(entity_id);
                    """)
            try createTruthTables(db, suffix: "")
            try createTruthIndexes(db)
        }
        m.registerMigration("v2-kpi-days") { db in
            try db.execute(
                sql: """
                    CREATE TABLE call_groups (
                        day TEXT NOT NULL,
                        direction TEXT NOT NULL,
                        status TEXT NOT NULL,
                        disposition TEXT,
                        calls INTEGER NOT NULL,
                        talked INTEGER NOT NULL,
                        talk_seconds INTEGER NOT NULL
                    );
                    CREATE INDEX call_groups_day ON call_groups(day);
                    CREATE TABLE call_days (
                        day TEXT PRIMARY KEY NOT NULL
                    ) WITHOUT ROWID;
                    """)
            try createCallTriggers(db)
        }
        return m
    }

    /// Creates the server-truth tables (with `suffix`, for a full resync's fresh copies).
    static func createTruthTables(_ db: Database, suffix s: String) throws {
        try db.execute(
            sql: """
                CREATE TABLE calls\(s) (
                    id TEXT PRIMARY KEY NOT NULL,
                    started_at TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    call_type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    talk_seconds INTEGER NOT NULL,
                    handling_seconds INTEGER NOT NULL,
                    disposition TEXT,
                    version INTEGER NOT NULL,
                    extra TEXT
                );
                CREATE TABLE day_summaries\(s) (
                    date TEXT PRIMARY KEY NOT NULL,
                    login_seconds INTEGER NOT NULL,
                    busy_seconds INTEGER NOT NULL,
                    idle_seconds INTEGER NOT NULL,
                    pause_seconds INTEGER NOT NULL,
                    wrapup_seconds INTEGER NOT NULL,
                    dial_seconds INTEGER NOT NULL,
                    aht_seconds INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    extra TEXT
                );
                CREATE TABLE snapshots\(s) (
                    id TEXT PRIMARY KEY NOT NULL,
                    period_start TEXT,
                    version INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE TABLE reviews\(s) (
                    id TEXT PRIMARY KEY NOT NULL,
                    period_start TEXT,
                    version INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE TABLE goals\(s) (
                    id TEXT PRIMARY KEY NOT NULL,
                    version INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE TABLE feedback\(s) (
                    id TEXT PRIMARY KEY NOT NULL,
                    version INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                """)
    }

    /// The indexes the shell's queries use (created after a resync's swap, with these names).
    static func createTruthIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX calls_started_at ON calls(started_at);
                CREATE INDEX snapshots_period ON snapshots(period_start);
                CREATE INDEX reviews_period ON reviews(period_start);
                """)
    }

    /// The trigger that keeps `call_days` (the days whose `call_groups` are current) honest when a
    /// call is deleted. The page apply itself removes the days calls arrive on and the old day of
    /// a call it moves, so inserts pay nothing (Mirror+Apply.swift, Mirror+KPI.swift).
    static func createCallTriggers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER calls_deleted AFTER DELETE ON calls
                BEGIN DELETE FROM call_days WHERE day = substr(old.started_at, 1, 10); END;
                """)
    }
}
