-- Transactional outbox: every change to contacts, groups and branches inserts its event here in the
-- transaction that makes the change, so an event exists exactly when its change was committed.
--
-- Feed order and commit order: ids come from an identity, so they increase, but transactions commit
-- in any order; a feed that only followed ids would move past an id whose transaction commits later
-- and never show it. Each event therefore stores the transaction that wrote it (txid). The feed shows
-- only events of transactions older than the oldest one still running (pg_snapshot_xmin of the
-- current snapshot: every xid below it has committed or rolled back, and any transaction that
-- commits later has an xid at or above it), in (txid, id) order. A position (txid, id) once passed
-- can then never gain an event before it. A per-workspace lock on id assignment would give the same
-- guarantee with plain id order, but would serialize every writer of a workspace from its event
-- until its commit and could deadlock with the set-based statements that lock many rows.
CREATE TABLE events (
    id          bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace   varchar(255) NOT NULL,
    type        varchar(64)  NOT NULL,
    data        jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    txid        xid8         NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX events_workspace_position ON events (workspace, txid, id);
-- The retention purge deletes by age.
CREATE INDEX events_created ON events (created_at);

-- One JSON shape per resource for every event, whether the change was made by a set-based statement
-- or through an entity: the row as stored after the change.
CREATE FUNCTION events_time(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');

CREATE FUNCTION events_contact(c contacts) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN jsonb_build_object('id', c.id, 'name', c.name, 'full_name', c.full_name, 'phone', c.phone,
        'email', c.email, 'branch_id', c.branch_id, 'contact_group_id', c.contact_group_id,
        'description', c.description, 'address', c.address, 'is_favorite', c.is_favorite,
        'has_avatar', c.avatar_key IS NOT NULL, 'phone_number_id', c.phone_number_id, 'version', c.version,
        'created_at', events_time(c.created_at), 'updated_at', events_time(c.updated_at));

CREATE FUNCTION events_group(g contact_groups) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN jsonb_build_object('id', g.id, 'name', g.name, 'status', g.status, 'version', g.version,
        'created_at', events_time(g.created_at), 'updated_at', events_time(g.updated_at));

CREATE FUNCTION events_branch(b branches) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN jsonb_build_object('id', b.id, 'name', b.name, 'phone', b.phone, 'email', b.email,
        'address', b.address, 'description', b.description, 'external_branch_id', b.external_branch_id,
        'contact_group_id', b.contact_group_id, 'full_name', b.full_name, 'is_favorite', b.is_favorite,
        'has_file', b.file_key IS NOT NULL, 'phone_number_id', b.phone_number_id, 'version', b.version,
        'created_at', events_time(b.created_at), 'updated_at', events_time(b.updated_at));

-- The fields of a contact.updated event: keys whose value differs between the contact before and
-- after (every field when the before is unknown); bookkeeping fields are not changes of their own.
CREATE FUNCTION events_changed(before jsonb, after jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(jsonb_agg(a.key ORDER BY a.key), '[]'::jsonb) FROM jsonb_each(after) a
            WHERE a.key NOT IN ('id', 'version', 'created_at', 'updated_at')
              AND (before IS NULL OR before -> a.key IS DISTINCT FROM a.value));
