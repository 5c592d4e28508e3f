-- GET /contacts (page 1 of 20, newest first): one statement, the page and its exact total from the
-- workspace's counter (V17) as an uncorrelated subquery, as the service issues it.
\set per_page 20
select c1_0.id,c1_0.address,c1_0.avatar_key,c1_0.branch_id,c1_0.contact_group_id,c1_0.created_at,c1_0.description,c1_0.email,c1_0.full_name,c1_0.is_favorite,c1_0.name,c1_0.phone,c1_0.phone_number_id,c1_0.updated_at,c1_0.version,c1_0.workspace,(select cast(coalesce(sum(cc1_0.n),0) as bigint) from contact_counts cc1_0 where cc1_0.workspace=:workspace and cc1_0.scope='w' and cc1_0.scope_id=0) from contacts c1_0 where c1_0.workspace=:workspace order by c1_0.created_at desc,c1_0.id desc fetch first :per_page rows only;
