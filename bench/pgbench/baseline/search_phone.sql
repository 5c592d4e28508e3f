-- Before V17/V18, for bench/listings-pgbench.sh. GET /contacts?search=<digits>: a term with digits also matches the phone digits. The term used
-- matches a single contact, and a page with fewer rows than per_page carries its own total, so the
-- service sends no count statement for it; neither does this script.
\set zero 0
\set per_page 20
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace from contacts c1_0 where c1_0.workspace=:workspace and (c1_0.search_text like cast(contacts_search_pattern(:term,'%') as varchar) escape '!' or c1_0.phone like :pattern escape '') order by c1_0.created_at desc,c1_0.id desc offset :zero rows fetch first :per_page rows only;
