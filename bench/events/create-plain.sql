-- POST /contacts without its event: the transaction as before the outbox (see create-with-event.sql).
\set phone random(1000000000, 9999999999999)
BEGIN;
select id from contacts where workspace = :workspace and phone = '966' || :phone;
insert into contacts (name, phone, phone_number_id, version, workspace, created_at, updated_at) values ('Bench', '966' || :phone, '1', 0, :workspace, now(), now()) returning id \gset
COMMIT;
