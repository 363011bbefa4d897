-- The list's order (most failures first, then by name) and its flaky filter, read from an index, not sorted per request.
CREATE INDEX ix_reports_tests_failures ON reports_tests (repo_id, failed DESC, name);
CREATE INDEX ix_reports_tests_flaky ON reports_tests (repo_id, flaky_at);
