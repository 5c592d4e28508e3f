-- GET /contacts?page=5000 without an anchor (ContactPageQuery.walk): the ids from the row before the
-- page (offset :offset - 1) to the page's end from the index alone, then those rows, with the
-- workspace's listing version (V23) and exact total (V17) in the same statement.
\set per_page 21
select c.id, c.address, c.avatar_key, c.branch_id, c.contact_group_id, c.created_at, c.description, c.email, c.full_name,
  c.is_favorite, c.name, c.phone, c.phone_number_id, c.updated_at, c.version, c.workspace, c.custom_attributes::text,
  (select cast(coalesce(sum(lv.n), 0) as bigint) from contact_counts lv where lv.workspace = :workspace and lv.scope = 'v' and lv.scope_id = 0),
  (select cast(coalesce(sum(k.n), 0) as bigint) from contact_counts k where k.workspace = :workspace and k.scope = 'w' and k.scope_id = 0)
from contacts c where c.id in (select c2.id from contacts c2 where c2.workspace = :workspace
  order by c2.created_at desc, c2.id desc offset :offset rows fetch first :per_page rows only)
order by c.created_at desc, c.id desc;
