-- Agent playground runs: the agent run once on a throw-away branch, kept so it can be listed, diffed, saved or
-- discarded. Its state, result and cost are read through its execution, which is created right after the run
-- (so there is no foreign key: for a moment, or after a crash until the outbox delivers, it may not exist yet).
CREATE TABLE execution_playground_runs (
    id           TEXT PRIMARY KEY,
    repo_id      TEXT NOT NULL,
    agent        TEXT NOT NULL,
    model        TEXT NULL,
    base_branch  TEXT NOT NULL,
    base_sha     TEXT NOT NULL,
    task         TEXT NOT NULL,
    execution_id TEXT NOT NULL UNIQUE,
    work_branch  TEXT NOT NULL,
    saved_to     TEXT NULL,
    created_at   TEXT NOT NULL
);

CREATE INDEX ix_execution_playground_runs_repo ON execution_playground_runs (repo_id, created_at);
