-- A step whose remote runner was lost mid-step starts again elsewhere when its runner_retries allow: how often that
-- happened, and where the new attempt's log continues (its runner numbers chunks from 1 again; the host stores chunk n
-- at log_seq_base + n, after the earlier attempts' output).
ALTER TABLE execution_executions ADD COLUMN lost_runners INTEGER NOT NULL DEFAULT 0;
ALTER TABLE execution_executions ADD COLUMN log_seq_base INTEGER NOT NULL DEFAULT 0;
