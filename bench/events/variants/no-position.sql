-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): see bench/results/events-schema-ab-*.md
DROP INDEX events_position;
