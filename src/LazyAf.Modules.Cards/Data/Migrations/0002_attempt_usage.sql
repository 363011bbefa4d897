-- What an agent attempt used, and the session a follow-up continues; follow_up holds the message of a follow-up attempt.
ALTER TABLE cards_attempts ADD COLUMN agent_session_id TEXT NULL;
ALTER TABLE cards_attempts ADD COLUMN input_tokens INTEGER NULL;
ALTER TABLE cards_attempts ADD COLUMN output_tokens INTEGER NULL;
ALTER TABLE cards_attempts ADD COLUMN follow_up TEXT NULL;
