-- Groups and branches get a version like contacts: it is their ETag, so a client can make a change
-- conditional (If-Match) and lose no concurrent update. Every existing row starts at 0.
ALTER TABLE contact_groups ADD COLUMN version integer NOT NULL DEFAULT 0;
ALTER TABLE branches ADD COLUMN version integer NOT NULL DEFAULT 0;
