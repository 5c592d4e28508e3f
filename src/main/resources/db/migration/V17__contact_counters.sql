-- Exact totals for the listings opened most (the whole workspace, favorites, one group, one branch),
-- kept in the transaction of every write instead of counted per request (README: Performance).
--
-- Statement-level triggers with transition tables see every write, set-based ones included (imports
-- and batch upserts, the unlinking of a deleted group's or branch's contacts): one aggregated delta per
-- statement, not one per row. Each scope has up to 16 shard rows and a transaction adds its deltas to
-- the shard its transaction id picks, so concurrent creates in one workspace rarely wait for each other
-- on one row; readers sum the shards. Deltas are applied in key order, so two statements that touch
-- several scopes take their row locks in the same order.
CREATE TABLE contact_counts (
    workspace  varchar(255) NOT NULL,
    -- 'w' every contact of the workspace, 'f' its favorites, 'g' one group, 'b' one branch
    scope      char(1)      NOT NULL CHECK (scope IN ('w', 'f', 'g', 'b')),
    -- the group or branch id; 0 for 'w' and 'f'
    scope_id   bigint       NOT NULL,
    shard      smallint     NOT NULL,
    n          bigint       NOT NULL,
    PRIMARY KEY (workspace, scope, scope_id, shard)
);

CREATE FUNCTION contact_counts_track() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    picked smallint := (pg_current_xact_id()::text::bigint % 16)::smallint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
        SELECT r.workspace, k.scope, k.scope_id, picked, count(*)
        FROM new_rows r CROSS JOIN LATERAL (VALUES ('w', 0::bigint), ('f', CASE WHEN r.is_favorite THEN 0::bigint END),
            ('g', r.contact_group_id), ('b', r.branch_id)) k (scope, scope_id)
        WHERE k.scope_id IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
        SELECT r.workspace, k.scope, k.scope_id, picked, -count(*)
        FROM old_rows r CROSS JOIN LATERAL (VALUES ('w', 0::bigint), ('f', CASE WHEN r.is_favorite THEN 0::bigint END),
            ('g', r.contact_group_id), ('b', r.branch_id)) k (scope, scope_id)
        WHERE k.scope_id IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    ELSE
        -- Only rows whose favorite flag, group or branch changed move between counters; the workspace
        -- of a contact never changes, so 'w' is not touched.
        INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
        SELECT d.workspace, k.scope, k.scope_id, picked, sum(d.sign)
        FROM (SELECT o.workspace, o.is_favorite, o.contact_group_id, o.branch_id, -1 AS sign
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.is_favorite, o.contact_group_id, o.branch_id)
                      IS DISTINCT FROM (n.is_favorite, n.contact_group_id, n.branch_id)
              UNION ALL
              SELECT n.workspace, n.is_favorite, n.contact_group_id, n.branch_id, 1
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.is_favorite, o.contact_group_id, o.branch_id)
                      IS DISTINCT FROM (n.is_favorite, n.contact_group_id, n.branch_id)) d
        CROSS JOIN LATERAL (VALUES ('f', CASE WHEN d.is_favorite THEN 0::bigint END),
            ('g', d.contact_group_id), ('b', d.branch_id)) k (scope, scope_id)
        WHERE k.scope_id IS NOT NULL
        GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

-- A trigger with transition tables handles one event, hence three.
CREATE TRIGGER contact_counts_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contact_counts_track();
CREATE TRIGGER contact_counts_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contact_counts_track();
CREATE TRIGGER contact_counts_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contact_counts_track();

CREATE FUNCTION contact_counts_clear() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM contact_counts;
    RETURN NULL;
END
$$;
CREATE TRIGGER contact_counts_truncate AFTER TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION contact_counts_clear();

-- The contacts that exist now, in shard 0. Flyway runs the migration in one transaction, and CREATE
-- TRIGGER above locks contacts against writers until it commits, so no write falls between the count
-- and the triggers.
INSERT INTO contact_counts (workspace, scope, scope_id, shard, n)
SELECT c.workspace, k.scope, k.scope_id, 0, count(*)
FROM contacts c CROSS JOIN LATERAL (VALUES ('w', 0::bigint), ('f', CASE WHEN c.is_favorite THEN 0::bigint END),
    ('g', c.contact_group_id), ('b', c.branch_id)) k (scope, scope_id)
WHERE k.scope_id IS NOT NULL
GROUP BY 1, 2, 3;
