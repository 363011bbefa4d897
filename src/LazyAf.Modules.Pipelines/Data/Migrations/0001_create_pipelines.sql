-- Pipelines stored through the API; repo files (.lazyaf/pipelines/*.yml) are read from git and never stored here.
CREATE TABLE pipelines_pipelines (
    id         TEXT PRIMARY KEY,
    repo_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    yaml       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (repo_id, name)
);

-- A run keeps the YAML it started with, so an edit or a deleted file cannot change a run under way.
CREATE TABLE pipelines_runs (
    id           TEXT PRIMARY KEY,
    repo_id      TEXT NOT NULL,
    pipeline     TEXT NOT NULL,
    source       TEXT NULL,
    definition   TEXT NULL,
    branch       TEXT NOT NULL,
    work_branch  TEXT NOT NULL,
    commit_sha   TEXT NULL,
    state        TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    trigger_id   TEXT NULL,
    card_id      TEXT NULL,
    dedup_key    TEXT NULL UNIQUE,
    params       TEXT NOT NULL,
    error        TEXT NULL,
    stopping     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    started_at   TEXT NULL,
    finished_at  TEXT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_pipelines_runs_repo ON pipelines_runs (repo_id, created_at);

-- One row per attempt of a step; round counts the fix loop's rounds (a fix step's run starts the next round).
CREATE TABLE pipelines_run_steps (
    run_id       TEXT NOT NULL REFERENCES pipelines_runs (id) ON DELETE CASCADE,
    step_id      TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    fix_for      TEXT NULL,
    execution_id TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,
    exit_code    INTEGER NULL,
    error        TEXT NULL,
    tests        TEXT NULL,
    commit_sha   TEXT NULL,
    created_at   TEXT NOT NULL,
    started_at   TEXT NULL,
    finished_at  TEXT NULL,
    PRIMARY KEY (run_id, step_id, attempt)
);
