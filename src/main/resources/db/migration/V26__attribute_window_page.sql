-- The page of a listing whose only filter is one custom attribute, in one statement (README "Custom
-- attributes"; the windowed filter of AttributeQuery).
--
-- Until now the service read the page's ids from contact_attribute_window (V24), then the contacts by key in a
-- second statement: a second round trip, a second planning of a statement over contacts, and a second
-- snapshot. Between the two, contacts of the page could be deleted; the window asked for two spare ids, so
-- three deletions made a full page look short, which ends a cursor walk early (no next cursor) and makes a
-- page-mode total exact too soon. This function reads the ids and the contacts in the calling statement's
-- snapshot (a STABLE function's statements share it), so "is there a next page" is decided on the same rows
-- the page shows, and the service sends one statement that has nothing left to plan.
--
-- Returns at most p_limit contacts of p_workspace, in created_at then id order (descending when asked), after
-- p_offset of them: the first p_offset + p_limit matches of contact_attribute_window (same parameters, same
-- generic plans), read by key. A cursor page asks for the page plus one, so the extra row says whether another
-- page follows. Each match is its contact: the value rows carry their contact's created_at and are deleted
-- with it.
CREATE FUNCTION contact_attribute_window_page(p_workspace varchar, p_attribute bigint, p_column text, p_values jsonb,
        p_low text, p_low_strict boolean, p_high text, p_high_strict boolean, p_descending boolean, p_after_at timestamptz,
        p_after_id bigint, p_offset integer, p_limit integer, p_sort_limit integer)
    RETURNS SETOF contacts
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    ids bigint[];
BEGIN
    ids := ARRAY(SELECT w.id FROM contact_attribute_window(p_attribute, p_column, p_values, p_low, p_low_strict, p_high,
                     p_high_strict, p_descending, p_after_at, p_after_id, p_offset + p_limit, p_sort_limit) w(id));
    IF p_descending THEN
        RETURN QUERY SELECT c.* FROM contacts c
                      WHERE c.id = ANY(ids) AND c.workspace = p_workspace
                      ORDER BY c.created_at DESC, c.id DESC OFFSET p_offset LIMIT p_limit;
    ELSE
        RETURN QUERY SELECT c.* FROM contacts c
                      WHERE c.id = ANY(ids) AND c.workspace = p_workspace
                      ORDER BY c.created_at, c.id OFFSET p_offset LIMIT p_limit;
    END IF;
END $$;
