-- A run that pauses on failure opens a session after a failed attempt; each failure of a step is its own pause, so a
-- session is one per (run, step, before or after which attempt). SQLite changes a UNIQUE constraint by rebuilding the table.
CREATE TABLE debug_sessions_new (
    id             TEXT PRIMARY KEY,
    run_id         TEXT NOT NULL,
    step_id        TEXT NOT NULL,
    after_failure  INTEGER NOT NULL DEFAULT 0,
    attempt        INTEGER NOT NULL DEFAULT 0,
    state          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    ended_at       TEXT NULL,
    end_reason     TEXT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (run_id, step_id, after_failure, attempt)
);

INSERT INTO debug_sessions_new (id, run_id, step_id, state, created_at, expires_at, ended_at, end_reason, version)
SELECT id, run_id, step_id, state, created_at, expires_at, ended_at, end_reason, version FROM debug_sessions;

DROP TABLE debug_sessions;
ALTER TABLE debug_sessions_new RENAME TO debug_sessions;
CREATE INDEX ix_debug_sessions_open ON debug_sessions (state, expires_at);
