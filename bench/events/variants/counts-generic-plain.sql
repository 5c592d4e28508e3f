-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): counts-generic.sql without the
-- create's event (the plain statement), the denominator for counts-generic.
-- statement: RETURNING t AS row), ==> RETURNING t AS row)
-- statement: event AS ( ==> 
-- statement: INSERT INTO events (workspace, type, data) ==> 
-- statement: SELECT (c.row).workspace, 'contact.created', jsonb_build_object('contact', events_contact(c.row)) FROM c) ==> 
ALTER FUNCTION contact_counts_track() SET plan_cache_mode = force_generic_plan;
