-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): the payload as json, built by
-- json_build_object (text, no binary jsonb conversion on write).
-- statement: jsonb_build_object('contact', events_contact(c.row)) ==> json_build_object('contact', events_contact(c.row))
ALTER TABLE events ALTER data TYPE json;
DROP FUNCTION events_contact(contacts) CASCADE;
CREATE FUNCTION events_contact(c contacts) RETURNS json
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN json_build_object('id', c.id, 'name', c.name, 'full_name', c.full_name, 'phone', c.phone,
        'email', c.email, 'branch_id', c.branch_id, 'contact_group_id', c.contact_group_id,
        'description', c.description, 'address', c.address, 'is_favorite', c.is_favorite,
        'has_avatar', c.avatar_key IS NOT NULL, 'phone_number_id', c.phone_number_id, 'version', c.version,
        'created_at', events_time(c.created_at), 'updated_at', events_time(c.updated_at),
        'custom_attributes', c.custom_attributes);
END $$;
