import ScorecardServerCore
extension SQLiteStore {
    /// Migration v2: activity facts, settings, scores, reviews, goals, feedback, jobs and audit.
    ///
    /// Snapshots, reviews and goals keep their wire JSON in `doc` (what the feed serves) next to
    /// the columns queries filter on; the writer keeps both in step in one statement.
    static let performanceSchema = """
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            opened_at TEXT NOT NULL, resolved_at TEXT, sla_met INTEGER, resolution_minutes REAL,
            escalated INTEGER NOT NULL, csat INTEGER, tagged INTEGER NOT NULL, summary TEXT,
            version INTEGER NOT NULL
        );
        CREATE INDEX tickets_resolved ON tickets(resolved_at);
        CREATE INDEX tickets_person ON tickets(person_id, resolved_at);
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            assigned_at TEXT NOT NULL, due_date TEXT, completed_at TEXT, blocked INTEGER NOT NULL,
            estimated_minutes REAL, actual_minutes REAL,
            version INTEGER NOT NULL
        );
        CREATE INDEX tasks_assigned ON tasks(assigned_at);
        CREATE TABLE work_orders (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            assigned_at TEXT NOT NULL, scheduled_start TEXT, actual_start TEXT, completed_at TEXT,
            estimated_minutes REAL, actual_minutes REAL, has_notes INTEGER NOT NULL, summary TEXT,
            version INTEGER NOT NULL
        );
        CREATE INDEX work_orders_assigned ON work_orders(assigned_at);
        CREATE INDEX work_orders_person ON work_orders(person_id, assigned_at);
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            started_at TEXT NOT NULL, channel TEXT NOT NULL, first_response_minutes REAL, resolution_minutes REAL,
            resolved INTEGER NOT NULL, tagged INTEGER NOT NULL, summary TEXT,
            version INTEGER NOT NULL
        );
        CREATE INDEX conversations_started ON conversations(started_at);
        CREATE INDEX conversations_person ON conversations(person_id, started_at);
        CREATE TABLE leads (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            created_at TEXT NOT NULL, status TEXT NOT NULL, closed_at TEXT, value REAL NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX leads_created ON leads(created_at);
        CREATE INDEX leads_closed ON leads(closed_at);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            sent_at TEXT NOT NULL, accepted INTEGER, value REAL NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX quotes_sent ON quotes(sent_at);
        CREATE TABLE lead_messages (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            sent_at TEXT NOT NULL, lead_id TEXT,
            version INTEGER NOT NULL
        );
        CREATE INDEX lead_messages_sent ON lead_messages(sent_at);
        CREATE TABLE records (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            touched_at TEXT NOT NULL, record_type TEXT NOT NULL, fields_total INTEGER NOT NULL,
            fields_filled INTEGER NOT NULL, note_length INTEGER NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX records_touched ON records(touched_at);
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY NOT NULL, person_id TEXT NOT NULL,
            occurred_at TEXT NOT NULL, feedback_type TEXT NOT NULL, feedback TEXT NOT NULL, rating INTEGER,
            context TEXT, project_id TEXT, learning_pattern TEXT,
            version INTEGER NOT NULL, doc TEXT NOT NULL
        );
        CREATE INDEX feedback_person ON feedback(person_id, occurred_at);

        CREATE TABLE settings (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT
        );
        -- Job checkpoints: last_scored_period, goals_refreshed_at.
        CREATE TABLE job_state (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );

        CREATE TABLE domain_scores (
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            domain TEXT NOT NULL,
            raw_score REAL NOT NULL,
            weighted_score REAL NOT NULL,
            metrics TEXT NOT NULL,
            PRIMARY KEY (person_id, period, domain)
        ) WITHOUT ROWID;
        CREATE INDEX domain_scores_domain ON domain_scores(domain, period);
        CREATE TABLE snapshots (
            id TEXT PRIMARY KEY NOT NULL,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            composite_score REAL NOT NULL,
            team_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL,
            UNIQUE (person_id, period)
        );
        CREATE INDEX snapshots_period ON snapshots(period, composite_score);
        CREATE INDEX snapshots_team ON snapshots(team_id, period);

        CREATE TABLE reviews (
            id TEXT PRIMARY KEY NOT NULL,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL,
            UNIQUE (person_id, period)
        );
        CREATE INDEX reviews_person ON reviews(person_id, period);
        -- One row per attempt to write a review: succeeded, failed (with its reason) or skipped.
        CREATE TABLE review_runs (
            id INTEGER PRIMARY KEY,
            trigger TEXT NOT NULL CHECK (trigger IN ('flagged', 'manual')),
            actor_person_id TEXT,
            person_id TEXT NOT NULL,
            period TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
            reason TEXT,
            model TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX review_runs_actor ON review_runs(actor_person_id, trigger, created_at);

        CREATE TABLE goals (
            id TEXT PRIMARY KEY NOT NULL,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL,
            deadline TEXT NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX goals_person ON goals(person_id, status);
        CREATE INDEX goals_deadline ON goals(deadline);

        -- Who did what to whom; never a prompt or a review's text.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor_person_id TEXT,
            action TEXT NOT NULL,
            person_id TEXT,
            model TEXT,
            detail TEXT
        );
        """
}
