-- Schema variant for bench/events/schema_ab.py (measurement only, not a migration): the contact's fields passed to a PL/pgSQL
-- function as scalars (no expanded record of the contacts row on each call).
-- statement: jsonb_build_object('contact', events_contact(c.row)) ==> jsonb_build_object('contact', events_contact_fields((c.row).id, (c.row).name, (c.row).full_name, (c.row).phone, (c.row).email, (c.row).branch_id, (c.row).contact_group_id, (c.row).description, (c.row).address, (c.row).is_favorite, (c.row).avatar_key IS NOT NULL, (c.row).phone_number_id, (c.row).version, (c.row).created_at, (c.row).updated_at, (c.row).custom_attributes))
CREATE OR REPLACE FUNCTION events_contact_fields(id bigint, name varchar, full_name varchar, phone varchar, email varchar, branch_id bigint,
  contact_group_id bigint, description varchar, address varchar, is_favorite boolean, has_avatar boolean, phone_number_id varchar,
  version integer, created_at timestamptz, updated_at timestamptz, custom_attributes jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', id, 'name', name, 'full_name', full_name, 'phone', phone,
        'email', email, 'branch_id', branch_id, 'contact_group_id', contact_group_id,
        'description', description, 'address', address, 'is_favorite', is_favorite,
        'has_avatar', has_avatar, 'phone_number_id', phone_number_id, 'version', version,
        'created_at', events_time(created_at), 'updated_at', events_time(updated_at),
        'custom_attributes', custom_attributes);
END $$;
