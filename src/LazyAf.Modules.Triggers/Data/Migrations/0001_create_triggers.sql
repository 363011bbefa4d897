-- One row per accepted trigger: what it runs, on which commit, and what happened when the run ended.
-- dedup_key is unique, so evaluating the same push, card move or webhook twice records it once.
CREATE TABLE triggers_firings (
    id          TEXT PRIMARY KEY,
    repo_id     TEXT NOT NULL,
    pipeline    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    branch      TEXT NOT NULL,
    commit_sha  TEXT NOT NULL,
    card_id     TEXT,
    params      TEXT NOT NULL DEFAULT '{}',
    on_pass     TEXT NOT NULL,
    on_fail     TEXT NOT NULL,
    dedup_key   TEXT NOT NULL,
    forced      INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    run_id      TEXT,
    started_at  TEXT,
    action      TEXT,
    action_at   TEXT
);

CREATE UNIQUE INDEX ux_triggers_firings_dedup ON triggers_firings (dedup_key);
CREATE INDEX ix_triggers_firings_repo ON triggers_firings (repo_id, created_at);
CREATE INDEX ix_triggers_firings_run ON triggers_firings (run_id);

-- Webhook endpoints; the secret only as the data protector's ciphertext.
CREATE TABLE triggers_webhooks (
    id               TEXT PRIMARY KEY,
    repo_id          TEXT NOT NULL,
    token            TEXT NOT NULL,
    pipeline         TEXT NOT NULL,
    provider         TEXT NOT NULL,
    protected_secret TEXT,
    created_at       TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_triggers_webhooks_token ON triggers_webhooks (token);
CREATE INDEX ix_triggers_webhooks_repo ON triggers_webhooks (repo_id);

-- The repos the scheduler looks at (learnt from repo and push events).
CREATE TABLE triggers_repos (
    repo_id TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);

-- The last cron slot each schedule trigger has fired for (or was first seen at).
CREATE TABLE triggers_schedules (
    repo_id      TEXT NOT NULL,
    pipeline     TEXT NOT NULL,
    cron         TEXT NOT NULL,
    last_slot_at TEXT NOT NULL,
    PRIMARY KEY (repo_id, pipeline, cron)
);
