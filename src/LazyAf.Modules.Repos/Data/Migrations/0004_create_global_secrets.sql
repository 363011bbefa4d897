-- Secrets every repo's steps can name (a model key, a registry token); a repo's own secret of the same name wins.
CREATE TABLE repos_global_secrets (
    name            TEXT NOT NULL PRIMARY KEY,
    protected_value TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
