-- Card listings page by rowid within a repo (and a status): each index ends in the rowid, so a page is one range seek.
CREATE INDEX ix_cards_cards_repo_seq ON cards_cards (repo_id);
CREATE INDEX ix_cards_cards_repo_status_seq ON cards_cards (repo_id, status);
