-- Remote runners: what each said in its last hello, where its state machine is, and the hash of its credential.
CREATE TABLE execution_runners (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    labels          TEXT NOT NULL,
    step_kinds      TEXT NOT NULL,
    capacity        INTEGER NOT NULL,
    version         TEXT NOT NULL,
    state           TEXT NOT NULL,
    draining        INTEGER NOT NULL DEFAULT 0,
    credential_hash TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    connected_at    TEXT NULL,
    last_seen_at    TEXT NULL
);

-- Registration tokens: a runner's first hello carries one and gets its own credential for it.
-- uses_left NULL: any number of runners may register with it until it expires.
CREATE TABLE execution_runner_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    uses_left   INTEGER NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
