-- Agent files were the Cards module's and playground runs the Execution module's; this module owns both now. Their
-- tables move with their rows (earlier migrations of Cards and Execution created them, in every database).
ALTER TABLE cards_agent_files RENAME TO agents_files;
ALTER TABLE execution_playground_runs RENAME TO agents_playground_runs;
