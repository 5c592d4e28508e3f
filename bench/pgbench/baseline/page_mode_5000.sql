-- Before V17: GET /contacts?page=5000 (offset :offset): whole rows past the offset, and a count capped at
-- offset + contacts.paging.count-limit (1000) + 1.
\set per_page 20
\set count_limit :offset + 1001
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace from contacts c1_0 where c1_0.workspace=:workspace order by c1_0.created_at desc,c1_0.id desc offset :offset rows fetch first :per_page rows only;
select count(*) from (select c1_0.id from contacts c1_0 where c1_0.workspace=:workspace order by c1_0.created_at desc,1 desc fetch first :count_limit rows only) counted1_0(id);
