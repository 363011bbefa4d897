-- A step's artifacts, by their path in its workspace; the bytes are stored once per content under {data}/artifacts.
CREATE TABLE reports_artifacts (
    execution_id TEXT NOT NULL,
    name         TEXT NOT NULL,
    repo_id      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (execution_id, name)
);
CREATE INDEX ix_reports_artifacts_created ON reports_artifacts (created_at);
CREATE INDEX ix_reports_artifacts_repo ON reports_artifacts (repo_id);
CREATE INDEX ix_reports_artifacts_sha ON reports_artifacts (sha256);
