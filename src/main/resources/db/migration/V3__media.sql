-- Every stored object belongs to exactly one row, and the orphan sweeper looks its keys up here.
CREATE UNIQUE INDEX contacts_avatar_key ON contacts (avatar_key) WHERE avatar_key IS NOT NULL;
CREATE UNIQUE INDEX branches_file_key ON branches (file_key) WHERE file_key IS NOT NULL;
