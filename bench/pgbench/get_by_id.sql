-- GET /contacts/{id}: the statement the service issues (contact/ContactReads.BY_ID, the fast path's), run by
-- pgbench -M prepared with plan_cache_mode=auto, as the service keeps it prepared with the generic plan
-- (persistence/PlanStableStatements). Ids are random contacts of the measured workspace
-- (DataGenerator.mainId: every 11th id belongs to another workspace).
\set r random(0, :n - 1)
\set id 1 + :r + :r / 10
SELECT name, full_name, phone, email, branch_id, contact_group_id, description, address, is_favorite, avatar_key, phone_number_id, custom_attributes::text, created_at, updated_at, version FROM contacts WHERE workspace = :workspace AND id = :id;
