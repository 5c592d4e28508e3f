-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): see bench/results/events-schema-ab-*.md
DROP INDEX events_created;
CREATE INDEX events_created ON events USING brin (created_at);
ALTER TABLE events DROP CONSTRAINT events_pkey;
DROP INDEX events_position;
ALTER TABLE events ADD PRIMARY KEY (txid, id);
