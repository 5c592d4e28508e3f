-- POST /contacts without its event: the create as one statement (ContactInsert) minus the outbox insert
-- (see create-with-event.sql).
\set phone random(1000000000, 9999999999999)
WITH c AS (INSERT INTO contacts AS t (workspace, name, phone, phone_number_id, created_at, updated_at) SELECT :workspace, 'Bench', '966' || :phone, '1', now(), now() RETURNING t AS row) SELECT (c.row).* FROM c;
