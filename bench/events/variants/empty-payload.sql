-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): see bench/results/events-schema-ab-*.md
CREATE OR REPLACE FUNCTION events_contact(c contacts) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN RETURN '{}'::jsonb; END $$;
