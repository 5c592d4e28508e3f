-- GET /contacts?search=<Arabic term without digits>: page and capped count. The service binds the term
-- twice: LIKE-escaped for the index pattern (V18) and as typed for the substring check; the benchmark
-- terms hold no LIKE wildcard, so :term serves as both here. A term without Arabic letters gets the one
-- LIKE of search_latin.sql instead.
\set per_page 20
-- The count stops after contacts.paging.count-limit (1000) + 1 rows past the page (meta.total_exact).
\set count_limit 1001
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace from contacts c1_0 where c1_0.workspace=:workspace and ((c1_0.search_text like cast(contacts_search_index_pattern(:term,'%') as varchar) escape '!' and position(cast(contacts_search_pattern(:term,'') as varchar) in c1_0.search_text)<>0)) order by c1_0.created_at desc,c1_0.id desc fetch first :per_page rows only;
select count(*) from (select c1_0.id from contacts c1_0 where c1_0.workspace=:workspace and ((c1_0.search_text like cast(contacts_search_index_pattern(:term,'%') as varchar) escape '!' and position(cast(contacts_search_pattern(:term,'') as varchar) in c1_0.search_text)<>0)) order by c1_0.created_at desc,1 desc fetch first :count_limit rows only) counted1_0(id);
