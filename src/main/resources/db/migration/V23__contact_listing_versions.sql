-- A listing version per workspace for the page anchors of deep pages (README: Performance): scope 'v'
-- of contact_counts counts the rows every INSERT, UPDATE and DELETE statement on a workspace's contacts
-- affected, updates that change no counted field included (a rename moves a contact in the name sort,
-- any update moves it in the updated_at sort). Its deltas are never negative, so the sum of the shards
-- strictly grows with every committed write: two snapshots of one primary that see the same sum see the
-- same contacts of that workspace. The counter triggers of V17 keep their shards and locking order; the
-- 'v' delta goes into the transaction's shard like the others, so concurrent writers rarely meet on one
-- row. Counter readers name their scope and never read 'v'.
--
-- Writers wait until Flyway commits: none can write a contact under the old trigger function after the
-- seed at the end has counted (ALTER TABLE of contact_counts alone would let a writer's row in first).
LOCK TABLE contacts IN SHARE MODE;

ALTER TABLE contact_counts DROP CONSTRAINT contact_counts_scope_check;
ALTER TABLE contact_counts ADD CONSTRAINT contact_counts_scope_check CHECK (scope IN ('w', 'f', 'g', 'b', 'v'));

CREATE OR REPLACE FUNCTION contact_counts_track() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    picked smallint := (pg_current_xact_id()::text::bigint % 16)::smallint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
        SELECT r.workspace, k.scope, k.scope_id, picked, count(*)
        FROM new_rows r CROSS JOIN LATERAL (VALUES ('v', 0::bigint), ('w', 0::bigint),
            ('f', CASE WHEN r.is_favorite THEN 0::bigint END), ('g', r.contact_group_id), ('b', r.branch_id)) k (scope, scope_id)
        WHERE k.scope_id IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
        SELECT r.workspace, k.scope, k.scope_id, picked, sum(k.delta)
        FROM old_rows r CROSS JOIN LATERAL (VALUES ('v', 0::bigint, 1), ('w', 0::bigint, -1),
            ('f', CASE WHEN r.is_favorite THEN 0::bigint END, -1), ('g', r.contact_group_id, -1), ('b', r.branch_id, -1))
            k (scope, scope_id, delta)
        WHERE k.scope_id IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    ELSE
        -- Rows whose favorite flag, group or branch changed move between counters (the workspace of a
        -- contact never changes, so 'w' is not touched); every updated row bumps 'v'.
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
        GROUP BY 1, 2, 3 HAVING sum(d.sign) <> 0
        UNION ALL
        SELECT n.workspace, 'v', 0, picked, count(*) FROM new_rows n GROUP BY 1
        ORDER BY 1, 2, 3
        ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE clears the counters but must not reset a version: an anchor taken before it would match
-- again once as many writes followed. Every workspace that has a version moves on by one instead (a
-- workspace with contacts has one: the seed below and every write since).
CREATE OR REPLACE FUNCTION contact_counts_clear() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM contact_counts WHERE scope <> 'v';
    UPDATE contact_counts SET n = n + 1 WHERE scope = 'v';
    RETURN NULL;
END
$$;

-- The versions of the workspaces that have contacts now, in shard 0 (any positive start works).
INSERT INTO contact_counts AS t (workspace, scope, scope_id, shard, n)
SELECT workspace, 'v', 0, 0, count(*) FROM contacts GROUP BY 1
ON CONFLICT (workspace, scope, scope_id, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
