CREATE TABLE access_users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    is_owner   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Only the SHA-256 of a token is kept: the token itself is shown once, when it is made.
-- kind: owner (the data directory's token), api (made through /api/tokens), session (a board login).
CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES access_users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NULL,
    revoked_at   TEXT NULL,
    last_used_at TEXT NULL
);

CREATE INDEX ix_access_tokens_user ON access_tokens (user_id);

-- Who changed what, when and from where: one row per authenticated write and per login.
CREATE TABLE access_audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    method TEXT NOT NULL,
    path   TEXT NOT NULL,
    status INTEGER NOT NULL,
    remote TEXT NULL
);
