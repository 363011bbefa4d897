ALTER TABLE good_widgets ADD COLUMN colour TEXT NULL;
INSERT INTO good_widgets (name, colour) VALUES ('seed', 'blue');
