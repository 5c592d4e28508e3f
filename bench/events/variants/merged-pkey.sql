-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): see bench/results/events-schema-ab-*.md
ALTER TABLE events DROP CONSTRAINT events_pkey;
DROP INDEX events_position;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (txid, id);
