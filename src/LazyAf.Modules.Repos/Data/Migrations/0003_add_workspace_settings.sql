-- How a fresh workspace of the repo is prepared before a step: a set-up command, and a file (e.g. .env)
-- written from the repo's secrets.
ALTER TABLE repos_repos ADD COLUMN setup_command TEXT NULL;
ALTER TABLE repos_repos ADD COLUMN secrets_file TEXT NULL;
