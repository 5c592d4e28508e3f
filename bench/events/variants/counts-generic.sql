-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): not the event, the contact's own
-- create made cheaper — the contact_counts trigger (V17) keeps a generic plan for its counter upsert instead of
-- planning it on every create under the session's force_custom_plan — to see the event's share once it is.
ALTER FUNCTION contact_counts_track() SET plan_cache_mode = force_generic_plan;
