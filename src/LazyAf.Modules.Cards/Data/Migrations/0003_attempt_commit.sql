-- The commit an attempt's step left on the card's branch: what was tested, and so what approve may merge.
ALTER TABLE cards_attempts ADD COLUMN commit_sha TEXT NULL;
