-- POST /contacts with its event: the statement ContactInsert runs, the outbox insert a data-modifying CTE
-- of the contact's INSERT (one statement, one round trip, no BEGIN/COMMIT).
\set phone random(1000000000, 9999999999999)
WITH c AS (INSERT INTO contacts AS t (workspace, name, phone, phone_number_id, created_at, updated_at) SELECT :workspace, 'Bench', '966' || :phone, '1', now(), now() RETURNING t AS row), event AS (INSERT INTO events (workspace, type, data) SELECT (c.row).workspace, 'contact.created', jsonb_build_object('contact', events_contact(c.row)) FROM c) SELECT (c.row).* FROM c;
