-- POST /contacts without its event: create-with-event.sql minus the outbox insert (the event CTE), nothing
-- else changed.
\set phone random(1000000000, 9999999999999)
WITH c AS (
  INSERT INTO contacts AS t (workspace, name, full_name, phone, email, branch_id, contact_group_id,
      description, address, is_favorite, avatar_key, phone_number_id, custom_attributes, created_at, updated_at)
  SELECT cast(:workspace as varchar), cast('Bench' as varchar), cast(NULL as varchar),
      cast('+966' || :phone as varchar), cast(NULL as varchar), cast(NULL as bigint),
      cast(NULL as bigint), cast(NULL as varchar), cast(NULL as varchar),
      cast(false as boolean), cast(NULL as varchar), cast('1' as varchar),
      cast(cast('{}' as text) as jsonb),
      cast(now() as timestamptz), cast(now() as timestamptz)
  WHERE (cast(NULL as bigint) IS NULL OR EXISTS (SELECT 1 FROM contact_groups g
          WHERE g.id = cast(NULL as bigint) AND g.workspace = cast(:workspace as varchar) FOR SHARE))
    AND (cast(NULL as bigint) IS NULL OR EXISTS (SELECT 1 FROM branches b
          WHERE b.id = cast(NULL as bigint) AND b.workspace = cast(:workspace as varchar) FOR SHARE))
  RETURNING t AS row)
SELECT ((c.row).custom_attributes)::text AS custom_attributes,
    (c.row).id, (c.row).workspace, (c.row).name, (c.row).full_name, (c.row).phone, (c.row).email,
    (c.row).branch_id, (c.row).contact_group_id, (c.row).description, (c.row).address, (c.row).is_favorite, (c.row).avatar_key, (c.row).phone_number_id, (c.row).version, (c.row).created_at, (c.row).updated_at, (c.row).search_text FROM c;
