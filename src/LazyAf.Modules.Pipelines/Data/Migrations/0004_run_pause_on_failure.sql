-- A debug re-run may pause after a step that fails instead of failing, keeping the workspace the step left.
ALTER TABLE pipelines_runs ADD COLUMN pause_on_failure INTEGER NOT NULL DEFAULT 0;
-- Set while the run is paused after its paused_step failed (rather than before the step started).
ALTER TABLE pipelines_runs ADD COLUMN paused_after_failure INTEGER NOT NULL DEFAULT 0;
