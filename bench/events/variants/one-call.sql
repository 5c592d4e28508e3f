-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): the whole event data built by
-- one PL/pgSQL call (the statement plans one function call instead of jsonb_build_object around one).
-- statement: jsonb_build_object('contact', events_contact(c.row)) ==> events_contact_created(c.row)
CREATE FUNCTION events_contact_created(c contacts) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('contact', jsonb_build_object('id', c.id, 'name', c.name, 'full_name', c.full_name, 'phone', c.phone,
        'email', c.email, 'branch_id', c.branch_id, 'contact_group_id', c.contact_group_id,
        'description', c.description, 'address', c.address, 'is_favorite', c.is_favorite,
        'has_avatar', c.avatar_key IS NOT NULL, 'phone_number_id', c.phone_number_id, 'version', c.version,
        'created_at', events_time(c.created_at), 'updated_at', events_time(c.updated_at),
        'custom_attributes', c.custom_attributes));
END $$;
