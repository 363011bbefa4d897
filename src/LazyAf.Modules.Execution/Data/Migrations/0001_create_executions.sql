CREATE TABLE execution_executions (
    id              TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    subject_id      TEXT NULL,
    repo_id         TEXT NOT NULL,
    branch          TEXT NOT NULL,
    request         TEXT NOT NULL,
    state           TEXT NOT NULL,
    runner          TEXT NULL,
    exit_code       INTEGER NULL,
    error           TEXT NULL,
    tests           TEXT NULL,
    commit_sha      TEXT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT NULL,
    finished_at     TEXT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_execution_executions_state ON execution_executions (state, created_at);
CREATE INDEX ix_execution_executions_subject ON execution_executions (kind, subject_id);

-- Output as the runner shipped it: gapless seqs from 1, secrets already masked.
CREATE TABLE execution_logs (
    execution_id TEXT NOT NULL REFERENCES execution_executions (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    stream       TEXT NOT NULL,
    at           TEXT NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (execution_id, seq)
);
