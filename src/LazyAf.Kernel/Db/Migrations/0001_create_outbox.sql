-- The durable event bus: events are written in the transaction of the change that causes them
-- and dispatched afterwards, at least once, to every handler of their type.
CREATE TABLE kernel_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    dispatched_at   TEXT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NULL
);

CREATE INDEX ix_kernel_outbox_pending ON kernel_outbox (next_attempt_at) WHERE dispatched_at IS NULL;

-- One row per (event, handler) that has succeeded, so a retry only re-runs the handlers that failed.
CREATE TABLE kernel_outbox_deliveries (
    event_id     INTEGER NOT NULL REFERENCES kernel_outbox (id) ON DELETE CASCADE,
    handler      TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (event_id, handler)
);
