-- One row per step execution that reported test cases: where it ran and its counts.
CREATE TABLE reports_step_runs (
    execution_id TEXT PRIMARY KEY,
    repo_id      TEXT NOT NULL,
    branch       TEXT NOT NULL,
    commit_sha   TEXT,
    pipeline     TEXT,
    step         TEXT NOT NULL,
    run_id       TEXT,
    finished_at  TEXT NOT NULL,
    total        INTEGER NOT NULL,
    passed       INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    skipped      INTEGER NOT NULL
);
CREATE INDEX ix_reports_step_runs_repo ON reports_step_runs (repo_id, finished_at);

-- One row per test of a repo (its full name), with running totals so the list needs no scan of the results.
CREATE TABLE reports_tests (
    id                    INTEGER PRIMARY KEY,
    repo_id               TEXT NOT NULL,
    name                  TEXT NOT NULL,
    suite                 TEXT NOT NULL,
    runs                  INTEGER NOT NULL DEFAULT 0,
    passed                INTEGER NOT NULL DEFAULT 0,
    failed                INTEGER NOT NULL DEFAULT 0,
    skipped               INTEGER NOT NULL DEFAULT 0,
    total_ms              INTEGER NOT NULL DEFAULT 0,
    last_outcome          TEXT,
    last_run_at           TEXT,
    last_failed_at        TEXT,
    last_failed_execution TEXT,
    flaky_at              TEXT,
    flaky_reason          TEXT,
    UNIQUE (repo_id, name)
);

-- Each test's result in each execution; the key keeps one test's results in time order.
CREATE TABLE reports_test_results (
    test_id      INTEGER NOT NULL,
    finished_at  TEXT NOT NULL,
    execution_id TEXT NOT NULL,
    branch       TEXT NOT NULL,
    commit_sha   TEXT,
    outcome      TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    message      TEXT,
    PRIMARY KEY (test_id, finished_at, execution_id)
) WITHOUT ROWID;
CREATE INDEX ix_reports_test_results_execution ON reports_test_results (execution_id);

-- Quarantined tests still run and are recorded; their failures do not fail a step.
CREATE TABLE reports_quarantine (
    repo_id        TEXT NOT NULL,
    name           TEXT NOT NULL,
    reason         TEXT,
    quarantined_by TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    PRIMARY KEY (repo_id, name)
);

-- Who quarantined or released which test, and when; kept after a release.
CREATE TABLE reports_quarantine_audit (
    id      INTEGER PRIMARY KEY,
    repo_id TEXT NOT NULL,
    name    TEXT NOT NULL,
    action  TEXT NOT NULL,
    reason  TEXT,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX ix_reports_quarantine_audit_repo ON reports_quarantine_audit (repo_id, id);
