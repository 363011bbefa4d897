CREATE TABLE workspaces_workspaces (
    id           TEXT PRIMARY KEY,
    key          TEXT NOT NULL,
    repo_id      TEXT NOT NULL,
    path         TEXT NOT NULL,
    state        TEXT NOT NULL,
    use_count    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1
);

-- One live workspace per key; a removed one keeps its record and the key may start again.
CREATE UNIQUE INDEX ux_workspaces_workspaces_key ON workspaces_workspaces (key) WHERE state <> 'removed';
CREATE INDEX ix_workspaces_workspaces_state ON workspaces_workspaces (state, last_used_at);
