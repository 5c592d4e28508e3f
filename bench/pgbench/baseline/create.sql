-- Before V17/V18, for bench/listings-pgbench.sh. POST /contacts: the service's transaction, uniqueness check included. Parameters the service binds
-- as NULL are NULL literals here (pgbench variables cannot be NULL). Phones are unique 13-digit
-- numbers: the range start (-D phone_base, after anything earlier runs inserted), the pgbench
-- invocation (:phase), the client and a per-client counter :k.
\set k :k + 1
\set phone 9665000000000 + :phone_base + :phase * 1000000 + :client_id * 15000 + :k
\set zero 0
\set one 1
BEGIN;
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace from contacts c1_0 where c1_0.workspace=:workspace and c1_0.phone=:phone offset :zero rows fetch first :one rows only;
insert into contacts (address,avatar_key,branch_id,contact_group_id,created_at,description,email,full_name,is_favorite,name,phone,phone_number_id,updated_at,version,workspace) values (NULL,NULL,NULL,NULL,:now,NULL,:email,:full_name,false,:name,:phone,:sender,:now,:zero,:workspace) returning id;
COMMIT;
