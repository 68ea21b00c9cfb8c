CREATE TRIGGER calls_deleted AFTER DELETE ON calls
BEGIN DELETE FROM call_days WHERE day = substr(old.started_at, 1, 10); END;
CREATE TABLE call_days (
    day TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
CREATE TABLE call_groups (
    day TEXT NOT NULL,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    disposition TEXT,
    calls INTEGER NOT NULL,
    talked INTEGER NOT NULL,
    talk_seconds INTEGER NOT NULL
);
CREATE TABLE calls (
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
CREATE TABLE day_summaries (
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
CREATE TABLE feedback (
    id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE goals (
    id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
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
CREATE TABLE reviews (
    id TEXT PRIMARY KEY NOT NULL,
    period_start TEXT,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    period_start TEXT,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX call_groups_day ON call_groups(day);
CREATE INDEX calls_started_at ON calls(started_at);
CREATE INDEX outbox_entity ON outbox(entity_id);
CREATE INDEX reviews_period ON reviews(period_start);
CREATE INDEX snapshots_period ON snapshots(period_start);
