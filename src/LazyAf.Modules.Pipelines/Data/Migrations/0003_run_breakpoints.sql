-- A debug re-run pauses before its breakpoint steps: those not yet reached, and the one it waits before while paused.
-- Stored with the run, so a host restart keeps a paused run paused.
ALTER TABLE pipelines_runs ADD COLUMN breakpoints TEXT NULL;
ALTER TABLE pipelines_runs ADD COLUMN paused_step TEXT NULL;
