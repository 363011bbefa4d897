-- repo_id points into Repos' data, which this module never joins: Repos' contracts are asked instead.
CREATE TABLE cards_cards (
    id          TEXT PRIMARY KEY,
    repo_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    step_type   TEXT NOT NULL,
    step_config TEXT NOT NULL,
    branch_name TEXT NULL,
    base_branch TEXT NULL,
    position    INTEGER NOT NULL,
    requires    TEXT NOT NULL DEFAULT '[]',
    auto_start  INTEGER NOT NULL DEFAULT 0,
    ready_at    TEXT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_cards_cards_repo ON cards_cards (repo_id, status, position);

-- Every state-machine move: what, who, why, when.
CREATE TABLE cards_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id     TEXT NOT NULL REFERENCES cards_cards (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    trigger     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NULL,
    at          TEXT NOT NULL
);

CREATE INDEX ix_cards_transitions_card ON cards_transitions (card_id, id);

-- One row per run of the card's step; written by the executor that runs it.
CREATE TABLE cards_attempts (
    card_id      TEXT NOT NULL REFERENCES cards_cards (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    execution_id TEXT NULL,
    branch       TEXT NULL,
    outcome      TEXT NULL,
    test_summary TEXT NULL,
    cost_usd     REAL NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NULL,
    PRIMARY KEY (card_id, number)
);

CREATE TABLE cards_dependencies (
    card_id    TEXT NOT NULL REFERENCES cards_cards (id) ON DELETE CASCADE,
    blocker_id TEXT NOT NULL REFERENCES cards_cards (id) ON DELETE CASCADE,
    PRIMARY KEY (card_id, blocker_id)
);

CREATE INDEX ix_cards_dependencies_blocker ON cards_dependencies (blocker_id);

CREATE TABLE cards_agent_files (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    content     TEXT NOT NULL,
    model       TEXT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
