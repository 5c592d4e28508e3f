-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): the event written by a PL/pgSQL
-- function the statement calls (a plain CTE joined to the result) instead of an INSERT CTE planned with the statement;
-- custom: the function's INSERT planned per call (the session's force_custom_plan).
-- statement: INSERT INTO events (workspace, type, data) ==> SELECT events_contact_created(c.row) AS written FROM c)
-- statement: SELECT (c.row).workspace, 'contact.created', jsonb_build_object('contact', events_contact(c.row)) FROM c) ==> 
-- statement: (c.row).search_text FROM c; ==> (c.row).search_text FROM c, event;
CREATE FUNCTION events_contact_created(c contacts) RETURNS boolean
    LANGUAGE plpgsql VOLATILE

    AS $$
BEGIN
    INSERT INTO events (workspace, type, data) VALUES (c.workspace, 'contact.created', jsonb_build_object('contact',
        jsonb_build_object('id', c.id, 'name', c.name, 'full_name', c.full_name, 'phone', c.phone,
        'email', c.email, 'branch_id', c.branch_id, 'contact_group_id', c.contact_group_id,
        'description', c.description, 'address', c.address, 'is_favorite', c.is_favorite,
        'has_avatar', c.avatar_key IS NOT NULL, 'phone_number_id', c.phone_number_id, 'version', c.version,
        'created_at', events_time(c.created_at), 'updated_at', events_time(c.updated_at),
        'custom_attributes', c.custom_attributes)));
    RETURN true;
END $$;
