-- Space-separated topics (repo:…, card:…) so live clients can follow only what they watch.
ALTER TABLE kernel_outbox ADD COLUMN topics TEXT NOT NULL DEFAULT '';
