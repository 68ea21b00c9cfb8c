import Foundation
import Logging
import PostgresNIO
import ScorecardServerCore

/// The schema, as forward-only migrations: each runs in its own transaction and is recorded in
/// `schema_migrations`; all of them run under one advisory lock, so several processes starting
/// at once migrate once and the others wait and find nothing left to do.
///
/// The tables and columns are the SQLite store's (same names, same meaning), with PostgreSQL
/// types: BIGINT for integers, DOUBLE PRECISION for reals, BOOLEAN for the `active` flags,
/// BYTEA for token hashes. Every text column sorts and compares bytewise (`COLLATE "C"`), as
/// SQLite does, so both backends order rows alike whatever the database's locale.
enum PostgresSchema {
    /// The advisory lock key migrations hold (any constant of ours: "scorecrd").
    static let migrationLock: Int64 = 0x7363_6F72_6563_7264

    static let migrations: [(id: String, sql: String)] = [
        ("v1-foundation", foundation),
        ("v2-performance", performance),
        ("v3-push", push),
        ("v4-shared-state", sharedState),
        ("v5-web-sessions", webSessions),
        ("v6-feed-values", feedValues),
        ("v7-audit", audit),
        ("v8-feed-marks", feedMarks),
    ].map { ($0.0, bytewise($0.1)) }

    /// A migration's statements, one at a time (the extended query protocol takes one per query):
    /// split at semicolons that end a line, `--` comment lines dropped.
    static func statements(_ sql: String) -> [String] {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        return lines.joined(separator: "\n").components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";")) }
            .filter { !$0.isEmpty }
    }

    /// Declares every `TEXT` column `COLLATE "C"` (not `TEXT[]` ones: an array's elements take
    /// the element type's collation, and the syntax has no place for one there).
    static func bytewise(_ sql: String) -> String {
        sql.replacingOccurrences(of: #" TEXT(?!\[)"#, with: #" TEXT COLLATE "C""#, options: .regularExpression)
    }

    static let foundation = """
        CREATE TABLE people (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('agent','manager','admin')),
            team_id TEXT,
            active BOOLEAN NOT NULL DEFAULT true,
            password_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE teams (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            team_type TEXT,
            manager_person_id TEXT REFERENCES people(id),
            active BOOLEAN NOT NULL DEFAULT true
        );
        CREATE TABLE team_members (
            team_id TEXT NOT NULL REFERENCES teams(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            role TEXT NOT NULL CHECK (role IN ('member','lead','manager')),
            active BOOLEAN NOT NULL DEFAULT true,
            PRIMARY KEY (team_id, person_id)
        );
        CREATE INDEX team_members_person ON team_members(person_id);
        CREATE TABLE tokens (
            hash BYTEA PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX tokens_person ON tokens(person_id);
        CREATE TABLE calls (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            direction TEXT NOT NULL,
            call_type TEXT NOT NULL,
            status TEXT NOT NULL,
            talk_seconds BIGINT NOT NULL,
            handling_seconds BIGINT NOT NULL,
            disposition TEXT,
            version BIGINT NOT NULL
        );
        CREATE INDEX calls_person_started ON calls(person_id, started_at);
        CREATE TABLE day_summaries (
            person_id TEXT NOT NULL,
            date TEXT NOT NULL,
            login_seconds BIGINT NOT NULL,
            busy_seconds BIGINT NOT NULL,
            idle_seconds BIGINT NOT NULL,
            pause_seconds BIGINT NOT NULL,
            wrapup_seconds BIGINT NOT NULL,
            dial_seconds BIGINT NOT NULL,
            aht_seconds BIGINT NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (person_id, date)
        );
        -- One counter row per person; bumped with UPDATE … RETURNING inside the writing
        -- transaction, so its row lock orders the commits of every process (docs/sync.md).
        CREATE TABLE feeds (
            person_id TEXT PRIMARY KEY,
            seq BIGINT NOT NULL DEFAULT 0,
            floor BIGINT NOT NULL DEFAULT 0
        );
        -- One row per entity at its latest seq; deletes leave op = 'delete'.
        CREATE TABLE change_log (
            person_id TEXT NOT NULL,
            stream TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('upsert','delete')),
            version BIGINT NOT NULL,
            changed_at BIGINT NOT NULL,
            PRIMARY KEY (person_id, stream, entity_id)
        );
        CREATE UNIQUE INDEX change_log_seq ON change_log(person_id, seq);
        CREATE INDEX change_log_tombstones ON change_log(changed_at) WHERE op = 'delete';
        """

    static let performance = """
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            opened_at TEXT NOT NULL, resolved_at TEXT, sla_met BIGINT, resolution_minutes DOUBLE PRECISION,
            escalated BIGINT NOT NULL, csat BIGINT, tagged BIGINT NOT NULL, summary TEXT,
            version BIGINT NOT NULL
        );
        CREATE INDEX tickets_resolved ON tickets(resolved_at);
        CREATE INDEX tickets_person ON tickets(person_id, resolved_at);
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            assigned_at TEXT NOT NULL, due_date TEXT, completed_at TEXT, blocked BIGINT NOT NULL,
            estimated_minutes DOUBLE PRECISION, actual_minutes DOUBLE PRECISION,
            version BIGINT NOT NULL
        );
        CREATE INDEX tasks_assigned ON tasks(assigned_at);
        CREATE TABLE work_orders (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            assigned_at TEXT NOT NULL, scheduled_start TEXT, actual_start TEXT, completed_at TEXT,
            estimated_minutes DOUBLE PRECISION, actual_minutes DOUBLE PRECISION, has_notes BIGINT NOT NULL, summary TEXT,
            version BIGINT NOT NULL
        );
        CREATE INDEX work_orders_assigned ON work_orders(assigned_at);
        CREATE INDEX work_orders_person ON work_orders(person_id, assigned_at);
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            started_at TEXT NOT NULL, channel TEXT NOT NULL, first_response_minutes DOUBLE PRECISION,
            resolution_minutes DOUBLE PRECISION, resolved BIGINT NOT NULL, tagged BIGINT NOT NULL, summary TEXT,
            version BIGINT NOT NULL
        );
        CREATE INDEX conversations_started ON conversations(started_at);
        CREATE INDEX conversations_person ON conversations(person_id, started_at);
        CREATE TABLE leads (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            created_at TEXT NOT NULL, status TEXT NOT NULL, closed_at TEXT, value DOUBLE PRECISION NOT NULL,
            version BIGINT NOT NULL
        );
        CREATE INDEX leads_created ON leads(created_at);
        CREATE INDEX leads_closed ON leads(closed_at);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            sent_at TEXT NOT NULL, accepted BIGINT, value DOUBLE PRECISION NOT NULL,
            version BIGINT NOT NULL
        );
        CREATE INDEX quotes_sent ON quotes(sent_at);
        CREATE TABLE lead_messages (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            sent_at TEXT NOT NULL, lead_id TEXT,
            version BIGINT NOT NULL
        );
        CREATE INDEX lead_messages_sent ON lead_messages(sent_at);
        CREATE TABLE records (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            touched_at TEXT NOT NULL, record_type TEXT NOT NULL, fields_total BIGINT NOT NULL,
            fields_filled BIGINT NOT NULL, note_length BIGINT NOT NULL,
            version BIGINT NOT NULL
        );
        CREATE INDEX records_touched ON records(touched_at);
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY, person_id TEXT NOT NULL,
            occurred_at TEXT NOT NULL, feedback_type TEXT NOT NULL, feedback TEXT NOT NULL, rating BIGINT,
            context TEXT, project_id TEXT, learning_pattern TEXT,
            version BIGINT NOT NULL, doc TEXT NOT NULL
        );
        CREATE INDEX feedback_person ON feedback(person_id, occurred_at);

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by TEXT
        );
        CREATE TABLE job_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE domain_scores (
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            domain TEXT NOT NULL,
            raw_score DOUBLE PRECISION NOT NULL,
            weighted_score DOUBLE PRECISION NOT NULL,
            metrics TEXT NOT NULL,
            PRIMARY KEY (person_id, period, domain)
        );
        CREATE INDEX domain_scores_domain ON domain_scores(domain, period);
        CREATE TABLE snapshots (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            composite_score DOUBLE PRECISION NOT NULL,
            team_id TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            version BIGINT NOT NULL,
            doc TEXT NOT NULL,
            UNIQUE (person_id, period)
        );
        CREATE INDEX snapshots_period ON snapshots(period, composite_score);
        CREATE INDEX snapshots_team ON snapshots(team_id, period);

        CREATE TABLE reviews (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL,
            doc TEXT NOT NULL,
            UNIQUE (person_id, period)
        );
        CREATE TABLE review_runs (
            id BIGSERIAL PRIMARY KEY,
            trigger TEXT NOT NULL CHECK (trigger IN ('flagged', 'manual')),
            actor_person_id TEXT,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
            reason TEXT,
            model TEXT,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX review_runs_actor ON review_runs(actor_person_id, trigger, created_at);
        CREATE INDEX review_runs_person ON review_runs(person_id);

        CREATE TABLE goals (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL,
            deadline TEXT NOT NULL,
            version BIGINT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX goals_person ON goals(person_id, status);
        CREATE INDEX goals_deadline ON goals(deadline);

        CREATE TABLE audit_log (
            id BIGSERIAL PRIMARY KEY,
            at BIGINT NOT NULL,
            actor_person_id TEXT,
            action TEXT NOT NULL,
            person_id TEXT,
            model TEXT,
            detail TEXT
        );
        """

    static let push = """
        CREATE TABLE push_results (
            person_id TEXT NOT NULL,
            mutation_id TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (person_id, mutation_id)
        );
        """

    /// Web sessions next to API tokens, told apart by kind: a lookup names the kind it accepts.
    static let webSessions = """
        ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'web'));
        """

    /// The change log carries the values of each call and day summary it points at (the pull
    /// reads them from the change log's own index range instead of one probe into `calls` per
    /// change, which was two thirds of a page's cost); documents stay where they are.
    static let feedValues = """
        ALTER TABLE change_log ADD COLUMN vals TEXT[];
        UPDATE change_log cl SET vals = ARRAY[c.started_at, c.direction, c.call_type, c.status, c.talk_seconds::text,
                c.handling_seconds::text, c.disposition, c.version::text]
            FROM calls c WHERE cl.stream = 'calls' AND cl.op = 'upsert' AND c.id = cl.entity_id AND c.person_id = cl.person_id;
        UPDATE change_log cl SET vals = ARRAY[d.login_seconds, d.busy_seconds, d.idle_seconds, d.pause_seconds, d.wrapup_seconds,
                d.dial_seconds, d.aht_seconds, d.version]::text[]
            FROM day_summaries d WHERE cl.stream = 'day_summaries' AND cl.op = 'upsert' AND d.person_id = cl.person_id AND d.date = cl.entity_id
        """

    /// Who acted through what (`via`), on which thing (`subject`), and the indexes the audit API
    /// reads by. (The LLM key leaves the database through `retireClearLLMKey`, run by
    /// scorecard-server on open, not through SQL.)
    static let audit = """
        ALTER TABLE audit_log ADD COLUMN via TEXT;
        ALTER TABLE audit_log ADD COLUMN subject TEXT;
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE INDEX audit_log_action ON audit_log(action, id);
        """

    /// A random tag per write at each feed's new head: a cursor and the tag of the first mark at
    /// or above it name one history (docs/sync.md, "Feed marks").
    static let feedMarks = """
        CREATE TABLE feed_marks (
            person_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            tag BIGINT NOT NULL,
            at BIGINT NOT NULL,
            PRIMARY KEY (person_id, seq)
        );
        """

    static let sharedState = """
        CREATE TABLE login_throttle (
            person_id TEXT PRIMARY KEY,
            failures TEXT NOT NULL,
            locked_until BIGINT NOT NULL,
            lockouts BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
        """
}

extension PostgresSchema {
    /// Runs the migrations this database lacks, under the migration lock; refuses a database
    /// that has a migration this server does not know (a newer server migrated it).
    static func migrate(_ connection: PostgresSession, database: String, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLock))")
        do {
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT COLLATE \"C\" PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(try await connection.rows("SELECT id FROM schema_migrations", String.self))
            if let newer = applied.subtracting(migrations.map(\.id)).sorted().last {
                throw StoreError(
                    .unsupported,
                    "the database \(database) was migrated by a newer scorecard-server (migration \(newer)); run that version, or restore a backup made for this one")
            }
            for migration in migrations where !applied.contains(migration.id) {
                try await connection.query("BEGIN")
                do {
                    for statement in statements(migration.sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement))
                    }
                    try await connection.query(
                        "INSERT INTO schema_migrations(id, applied_at) VALUES (\(migration.id), \(PostgresStore.now))")
                    try await connection.query("COMMIT")
                } catch {
                    _ = try? await connection.query("ROLLBACK")
                    throw error
                }
                logger.info("migrated \(database) to \(migration.id)")
            }
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLock))")
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(migrationLock))")
    }
}
