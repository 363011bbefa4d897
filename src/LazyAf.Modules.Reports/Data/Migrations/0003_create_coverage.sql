-- The line and branch coverage a step's Cobertura or lcov files reported.
CREATE TABLE reports_coverage (
    execution_id     TEXT PRIMARY KEY,
    repo_id          TEXT NOT NULL,
    branch           TEXT NOT NULL,
    commit_sha       TEXT,
    pipeline         TEXT,
    step             TEXT NOT NULL,
    run_id           TEXT,
    lines_covered    INTEGER NOT NULL,
    lines_valid      INTEGER NOT NULL,
    branches_covered INTEGER NOT NULL,
    branches_valid   INTEGER NOT NULL,
    finished_at      TEXT NOT NULL
);
CREATE INDEX ix_reports_coverage_branch ON reports_coverage (repo_id, branch, finished_at);
CREATE INDEX ix_reports_coverage_run ON reports_coverage (run_id);
