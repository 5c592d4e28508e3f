-- GET /contacts?page=5000 after its anchor (ContactPageQuery.seek): the page's rows after the anchor
-- row in the listing's keyset order, with the listing version (checked against the anchor's) and the
-- exact total, in one statement.
\set per_page 20
select c.id, c.address, c.avatar_key, c.branch_id, c.contact_group_id, c.created_at, c.description, c.email, c.full_name,
  c.is_favorite, c.name, c.phone, c.phone_number_id, c.updated_at, c.version, c.workspace, c.custom_attributes::text,
  (select cast(coalesce(sum(lv.n), 0) as bigint) from contact_counts lv where lv.workspace = :workspace and lv.scope = 'v' and lv.scope_id = 0),
  (select cast(coalesce(sum(k.n), 0) as bigint) from contact_counts k where k.workspace = :workspace and k.scope = 'w' and k.scope_id = 0)
from contacts c where c.workspace = :workspace and (c.created_at, c.id) < (cast(:anchor_at as timestamptz), :anchor_id)
order by c.created_at desc, c.id desc limit :per_page;
