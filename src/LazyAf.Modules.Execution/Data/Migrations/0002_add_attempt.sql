-- Which attempt of its subject (a card's first run, its first retry, …) an execution is.
ALTER TABLE execution_executions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
