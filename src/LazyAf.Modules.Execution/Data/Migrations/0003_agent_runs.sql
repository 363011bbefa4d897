-- Typed events of agent steps, in the order the agent produced them (seq of the event within its execution).
CREATE TABLE execution_agent_events (
    execution_id TEXT NOT NULL REFERENCES execution_executions (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (execution_id, seq)
);

-- What an agent step used, kept up to date as its events arrive; cost in US dollars.
CREATE TABLE execution_agent_usage (
    execution_id  TEXT PRIMARY KEY REFERENCES execution_executions (id) ON DELETE CASCADE,
    session_id    TEXT NULL,
    model         TEXT NULL,
    turns         INTEGER NULL,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd      TEXT NULL
);

-- Tool-permission requests of agent steps with an approval gate.
CREATE TABLE execution_approvals (
    execution_id TEXT NOT NULL REFERENCES execution_executions (id) ON DELETE CASCADE,
    request_id   TEXT NOT NULL,
    tool_name    TEXT NOT NULL,
    summary      TEXT NOT NULL,
    state        TEXT NOT NULL,
    message      TEXT NULL,
    decided_by   TEXT NULL,
    requested_at TEXT NOT NULL,
    decided_at   TEXT NULL,
    PRIMARY KEY (execution_id, request_id)
);
