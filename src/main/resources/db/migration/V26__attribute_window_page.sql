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

-- contact_attribute_window (V24) with a range's bounds typed once per call. V24 compared each index entry the
-- range's walk reads with coalesce(p_low, '-Infinity')::numeric and the like: in a generic plan a parameter's
-- cast is not folded, so every entry parsed the bound texts again (a 2% range reads ~700-1,200 entries for a
-- page). Same statements, same plans, same rows otherwise.
CREATE OR REPLACE FUNCTION contact_attribute_window(p_attribute bigint, p_column text, p_values jsonb, p_low text, p_low_strict boolean,
        p_high text, p_high_strict boolean, p_descending boolean, p_after_at timestamptz, p_after_id bigint, p_limit integer, p_sort_limit integer)
    RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    at timestamptz := coalesce(p_after_at, CASE WHEN p_descending THEN 'infinity'::timestamptz ELSE '-infinity'::timestamptz END);
    id bigint := coalesce(p_after_id, CASE WHEN p_descending THEN 9223372036854775807 ELSE -9223372036854775808 END);
    matches bigint;
    found bigint[];
    -- A range's bounds, typed once per call: compared as the text parameters cast in place, each cast was
    -- evaluated again for every index entry the walk reads (a generic plan cannot fold a parameter's cast).
    num_low numeric;
    num_high numeric;
    ts_low timestamptz;
    ts_high timestamptz;
BEGIN
    IF p_values IS NOT NULL THEN
        IF p_column = 'text_value' AND p_descending THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL AND v.text_value = x.item
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit) w
                          ORDER BY w.created_at DESC, w.contact_id DESC LIMIT p_limit;
            RETURN;
        ELSIF p_column = 'text_value' THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL AND v.text_value = x.item
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_limit) w
                          ORDER BY w.created_at, w.contact_id LIMIT p_limit;
            RETURN;
        ELSIF p_column = 'num_value' AND p_descending THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL AND v.num_value = x.item::numeric
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit) w
                          ORDER BY w.created_at DESC, w.contact_id DESC LIMIT p_limit;
            RETURN;
        ELSIF p_column = 'num_value' THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL AND v.num_value = x.item::numeric
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_limit) w
                          ORDER BY w.created_at, w.contact_id LIMIT p_limit;
            RETURN;
        ELSIF p_column = 'ts_value' AND p_descending THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL AND v.ts_value = x.item::timestamptz
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit) w
                          ORDER BY w.created_at DESC, w.contact_id DESC LIMIT p_limit;
            RETURN;
        ELSIF p_column = 'ts_value' THEN
            RETURN QUERY SELECT w.contact_id FROM jsonb_array_elements_text(p_values) x(item) CROSS JOIN LATERAL (
                             SELECT v.created_at, v.contact_id FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL AND v.ts_value = x.item::timestamptz
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_limit) w
                          ORDER BY w.created_at, w.contact_id LIMIT p_limit;
            RETURN;
        END IF;
        RAISE EXCEPTION 'unknown attribute column %', p_column;
    END IF;
    IF p_column = 'num_value' THEN
        num_low := coalesce(p_low, '-Infinity')::numeric;
        num_high := coalesce(p_high, 'Infinity')::numeric;
        -- First the next p_sort_limit entries of the attribute in the listing's order: a range that fills the
        -- page among them (one of a few percent or more) needs no count.
        IF p_descending THEN
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.num_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_sort_limit) s
                          WHERE s.num_value >= num_low AND s.num_value <= num_high
                            AND (NOT p_low_strict OR s.num_value <> num_low) AND (NOT p_high_strict OR s.num_value <> num_high)
                          ORDER BY s.created_at DESC, s.contact_id DESC LIMIT p_limit);
        ELSE
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.num_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_sort_limit) s
                          WHERE s.num_value >= num_low AND s.num_value <= num_high
                            AND (NOT p_low_strict OR s.num_value <> num_low) AND (NOT p_high_strict OR s.num_value <> num_high)
                          ORDER BY s.created_at, s.contact_id LIMIT p_limit);
        END IF;
        IF cardinality(found) >= p_limit THEN
            RETURN QUERY SELECT unnest(found);
            RETURN;
        END IF;
        SELECT count(*) INTO matches FROM (
            SELECT 1 FROM contact_attribute_values v
             WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
               AND v.num_value >= num_low AND v.num_value <= num_high
               AND (NOT p_low_strict OR v.num_value <> num_low) AND (NOT p_high_strict OR v.num_value <> num_high)
             LIMIT p_sort_limit + 1) probed;
        IF matches <= p_sort_limit AND p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND v.num_value >= num_low AND v.num_value <= num_high
                            AND (NOT p_low_strict OR v.num_value <> num_low) AND (NOT p_high_strict OR v.num_value <> num_high)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at + interval '0' DESC, v.contact_id DESC LIMIT p_limit;
        ELSIF matches <= p_sort_limit THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND v.num_value >= num_low AND v.num_value <= num_high
                            AND (NOT p_low_strict OR v.num_value <> num_low) AND (NOT p_high_strict OR v.num_value <> num_high)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at + interval '0', v.contact_id LIMIT p_limit;
        ELSIF p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.num_value, v.num_value) >= num_low AND coalesce(v.num_value, v.num_value) <= num_high
                            AND (NOT p_low_strict OR coalesce(v.num_value, v.num_value) <> num_low) AND (NOT p_high_strict OR coalesce(v.num_value, v.num_value) <> num_high)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit;
        ELSE
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.num_value, v.num_value) >= num_low AND coalesce(v.num_value, v.num_value) <= num_high
                            AND (NOT p_low_strict OR coalesce(v.num_value, v.num_value) <> num_low) AND (NOT p_high_strict OR coalesce(v.num_value, v.num_value) <> num_high)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at, v.contact_id LIMIT p_limit;
        END IF;
        RETURN;
    ELSIF p_column = 'ts_value' THEN
        ts_low := coalesce(p_low, '-infinity')::timestamptz;
        ts_high := coalesce(p_high, 'infinity')::timestamptz;
        -- First the next p_sort_limit entries of the attribute in the listing's order: a range that fills the
        -- page among them (one of a few percent or more) needs no count.
        IF p_descending THEN
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.ts_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_sort_limit) s
                          WHERE s.ts_value >= ts_low AND s.ts_value <= ts_high
                            AND (NOT p_low_strict OR s.ts_value <> ts_low) AND (NOT p_high_strict OR s.ts_value <> ts_high)
                          ORDER BY s.created_at DESC, s.contact_id DESC LIMIT p_limit);
        ELSE
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.ts_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_sort_limit) s
                          WHERE s.ts_value >= ts_low AND s.ts_value <= ts_high
                            AND (NOT p_low_strict OR s.ts_value <> ts_low) AND (NOT p_high_strict OR s.ts_value <> ts_high)
                          ORDER BY s.created_at, s.contact_id LIMIT p_limit);
        END IF;
        IF cardinality(found) >= p_limit THEN
            RETURN QUERY SELECT unnest(found);
            RETURN;
        END IF;
        SELECT count(*) INTO matches FROM (
            SELECT 1 FROM contact_attribute_values v
             WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
               AND v.ts_value >= ts_low AND v.ts_value <= ts_high
               AND (NOT p_low_strict OR v.ts_value <> ts_low) AND (NOT p_high_strict OR v.ts_value <> ts_high)
             LIMIT p_sort_limit + 1) probed;
        IF matches <= p_sort_limit AND p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND v.ts_value >= ts_low AND v.ts_value <= ts_high
                            AND (NOT p_low_strict OR v.ts_value <> ts_low) AND (NOT p_high_strict OR v.ts_value <> ts_high)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at + interval '0' DESC, v.contact_id DESC LIMIT p_limit;
        ELSIF matches <= p_sort_limit THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND v.ts_value >= ts_low AND v.ts_value <= ts_high
                            AND (NOT p_low_strict OR v.ts_value <> ts_low) AND (NOT p_high_strict OR v.ts_value <> ts_high)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at + interval '0', v.contact_id LIMIT p_limit;
        ELSIF p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.ts_value, v.ts_value) >= ts_low AND coalesce(v.ts_value, v.ts_value) <= ts_high
                            AND (NOT p_low_strict OR coalesce(v.ts_value, v.ts_value) <> ts_low) AND (NOT p_high_strict OR coalesce(v.ts_value, v.ts_value) <> ts_high)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit;
        ELSE
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.ts_value, v.ts_value) >= ts_low AND coalesce(v.ts_value, v.ts_value) <= ts_high
                            AND (NOT p_low_strict OR coalesce(v.ts_value, v.ts_value) <> ts_low) AND (NOT p_high_strict OR coalesce(v.ts_value, v.ts_value) <> ts_high)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at, v.contact_id LIMIT p_limit;
        END IF;
        RETURN;
    END IF;
    RAISE EXCEPTION 'unknown attribute column %', p_column;
END $$;
