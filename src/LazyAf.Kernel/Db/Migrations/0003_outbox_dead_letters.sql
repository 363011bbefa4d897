-- An event that cannot be read, or whose handlers still fail after Outbox:MaxAttempts passes, is a dead letter: held
-- back (dead_at) and kept until an admin retries or discards it, so it neither blocks nor silently drops anything.
ALTER TABLE kernel_outbox ADD COLUMN dead_at TEXT NULL;

-- Each handler's latest failure on an event, so a dead letter says which handler failed and why; a handler that
-- succeeds later loses its row here and gains one in kernel_outbox_deliveries.
CREATE TABLE kernel_outbox_failures (
    event_id   INTEGER NOT NULL REFERENCES kernel_outbox (id) ON DELETE CASCADE,
    handler    TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    failed_at  TEXT NOT NULL,
    PRIMARY KEY (event_id, handler)
);

DROP INDEX ix_kernel_outbox_pending;
CREATE INDEX ix_kernel_outbox_pending ON kernel_outbox (next_attempt_at) WHERE dispatched_at IS NULL AND dead_at IS NULL;
CREATE INDEX ix_kernel_outbox_dead ON kernel_outbox (dead_at) WHERE dead_at IS NOT NULL AND dispatched_at IS NULL;
