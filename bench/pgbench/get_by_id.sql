-- GET /contacts/{id}: the statement the service issues (captured with log_statement=all), run by
-- pgbench -M prepared as the service's client also prepares and caches it. Ids are random contacts of
-- the measured workspace (DataGenerator.mainId: every 11th id belongs to another workspace).
\set r random(0, :n - 1)
\set id 1 + :r + :r / 10
\set zero 0
\set one 1
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace from contacts c1_0 where c1_0.workspace=:workspace and c1_0.id=:id offset :zero rows fetch first :one rows only;
