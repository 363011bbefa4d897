-- Values are encrypted with the host's data-protection keys (under the data directory), never stored in clear.
CREATE TABLE repos_secrets (
    repo_id         TEXT NOT NULL REFERENCES repos_repos (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    protected_value TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (repo_id, name)
);
