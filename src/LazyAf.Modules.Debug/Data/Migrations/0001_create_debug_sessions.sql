-- One session per pause of a debug re-run: a run pauses before a step once (resuming spends that breakpoint).
CREATE TABLE debug_sessions (
    id          TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    step_id     TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ended_at    TEXT NULL,
    end_reason  TEXT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (run_id, step_id)
);

CREATE INDEX ix_debug_sessions_open ON debug_sessions (state, expires_at);
