-- The commit a run ended with: its work branch's tip (the built commit plus what its steps committed, a fix for one).
-- Trigger actions merge this commit, the one that was tested, never whatever the branch holds by then.
ALTER TABLE pipelines_runs ADD COLUMN head_sha TEXT NULL;
