-- Pipeline runs as the dashboard counts them, kept from Pipelines' events: when each started and how it ended.
CREATE TABLE reports_pipeline_runs (
    run_id      TEXT PRIMARY KEY,
    repo_id     TEXT NOT NULL,
    pipeline    TEXT NOT NULL,
    state       TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT
);
CREATE INDEX ix_reports_pipeline_runs_repo ON reports_pipeline_runs (repo_id, finished_at);
