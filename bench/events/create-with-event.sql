-- POST /contacts with its event: the same transaction plus the statement Events.contactCreated runs.
\set phone random(1000000000, 9999999999999)
BEGIN;
select id from contacts where workspace = :workspace and phone = '966' || :phone;
insert into contacts (name, phone, phone_number_id, version, workspace, created_at, updated_at) values ('Bench', '966' || :phone, '1', 0, :workspace, now(), now()) returning id \gset
INSERT INTO events (workspace, type, data) SELECT c.workspace, 'contact.created', jsonb_build_object('contact', events_contact(c)) FROM contacts c WHERE c.id = :id;
COMMIT;
