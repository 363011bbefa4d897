CREATE TABLE repos_repos (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
    default_branch TEXT NOT NULL,
    remote_url     TEXT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- One row per accepted push (or merge, or API ref change); the id is the push log's, so recording twice is a no-op.
CREATE TABLE repos_pushes (
    id          TEXT PRIMARY KEY,
    repo_id     TEXT NOT NULL REFERENCES repos_repos (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    received_at TEXT NOT NULL
);

CREATE INDEX ix_repos_pushes_repo ON repos_pushes (repo_id, received_at);

CREATE TABLE repos_ref_updates (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    push_id  TEXT NOT NULL REFERENCES repos_pushes (id) ON DELETE CASCADE,
    ref_name TEXT NOT NULL,
    old_sha  TEXT NOT NULL,
    new_sha  TEXT NOT NULL
);

CREATE INDEX ix_repos_ref_updates_push ON repos_ref_updates (push_id);
