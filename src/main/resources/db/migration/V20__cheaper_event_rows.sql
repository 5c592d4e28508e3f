-- Cheaper event writes (issue 12: the event may add at most 10% to a create). Measured with
-- bench/events-overhead.sh and bench/events-overhead-http.sh; the README's Performance section has the numbers.
--
-- The event data functions were SQL functions, which the planner inlines: every statement that writes an
-- event re-planned the whole JSON expression (about 20 fields, and the two time formats) on each execution,
-- since the service plans every execution afresh (plan_cache_mode=force_custom_plan, application.properties).
-- Planning the create statement took twice as long with the event as without (about 145 against 70 µs,
-- EXPLAIN). As PL/pgSQL functions they are opaque to the planner: the expression is planned once per
-- connection and cached, and a row costs about what it did (set-based statements: 6 against 4.5 µs). The
-- JSON they produce is unchanged, key for key and byte for byte. Being PL/pgSQL, they also no longer pin
-- the row types' columns: a later migration can add a column to contacts, contact_groups or branches
-- without dropping them first (V13 had to), and one that drops or renames a column they read must replace
-- them in the same migration (nothing refuses it; the event tests of every type would fail).
--
-- events_time was declared IMMUTABLE while to_char is only STABLE, which kept it from being inlined: each
-- call site was planned again on every execution. STABLE is what it is; inlined, it costs a to_char.
ALTER FUNCTION events_time(timestamptz) STABLE;

CREATE OR REPLACE FUNCTION events_contact(c contacts) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', c.id, 'name', c.name, 'full_name', c.full_name, 'phone', c.phone,
        'email', c.email, 'branch_id', c.branch_id, 'contact_group_id', c.contact_group_id,
        'description', c.description, 'address', c.address, 'is_favorite', c.is_favorite,
        'has_avatar', c.avatar_key IS NOT NULL, 'phone_number_id', c.phone_number_id, 'version', c.version,
        'created_at', events_time(c.created_at), 'updated_at', events_time(c.updated_at),
        'custom_attributes', c.custom_attributes);
END $$;

CREATE OR REPLACE FUNCTION events_group(g contact_groups) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', g.id, 'name', g.name, 'status', g.status, 'version', g.version,
        'created_at', events_time(g.created_at), 'updated_at', events_time(g.updated_at));
END $$;

CREATE OR REPLACE FUNCTION events_branch(b branches) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', b.id, 'name', b.name, 'phone', b.phone, 'email', b.email,
        'address', b.address, 'description', b.description, 'external_branch_id', b.external_branch_id,
        'contact_group_id', b.contact_group_id, 'full_name', b.full_name, 'is_favorite', b.is_favorite,
        'has_file', b.file_key IS NOT NULL, 'phone_number_id', b.phone_number_id, 'version', b.version,
        'created_at', events_time(b.created_at), 'updated_at', events_time(b.updated_at));
END $$;
