-- The page of a listing sorted by a custom attribute (README "Custom attributes"), planned once per
-- connection instead of once per request.
--
-- The service runs with plan_cache_mode = force_custom_plan (application.properties: a generic plan is
-- disastrous for searches), so every listing statement is planned again on every execution. For the
-- attribute sort that planning was most of its cost: a join of contacts with contact_attribute_values,
-- whose eight indexes the planner costs for every relation, planned in 0.19-0.28 ms against 0.04 ms for
-- the name sort, with an execution of about 0.1 ms (bench/attributes/findings.md). This function's two
-- statements have one right plan whatever their parameters (the value index walked from the position,
-- then the page's contacts by key), so it keeps their generic plans: PL/pgSQL prepares each statement
-- once per session, and the SET clause applies force_generic_plan only while the function runs. The
-- caller's statement, SELECT ... FROM contact_attribute_sorted_page(...), has nothing left to plan.
--
-- Returns the contacts of the workspace that have a value of the attribute, in value order (then id),
-- descending when asked, after (p_after, p_after_id) when p_after_id is given, skipping p_offset of them,
-- at most p_limit; p_column names the attribute's typed column ('text_value', 'num_value', 'ts_value')
-- and p_after is the position's value as text in that column's type. Both statements read the calling
-- statement's snapshot (a STABLE function), so the values and the contacts agree.
CREATE FUNCTION contact_attribute_sorted_page(p_workspace varchar, p_attribute bigint, p_column text,
        p_descending boolean, p_after text, p_after_id bigint, p_offset integer, p_limit integer)
    RETURNS SETOF contacts
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    ids bigint[];
BEGIN
    IF p_column = 'num_value' THEN
        IF p_after_id IS NULL AND NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                          ORDER BY v.num_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSIF p_after_id IS NULL THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                          ORDER BY v.num_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        ELSIF NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND (v.num_value, v.contact_id) > (p_after::numeric, p_after_id)
                          ORDER BY v.num_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSE
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND (v.num_value, v.contact_id) < (p_after::numeric, p_after_id)
                          ORDER BY v.num_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        END IF;
    ELSIF p_column = 'ts_value' THEN
        IF p_after_id IS NULL AND NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                          ORDER BY v.ts_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSIF p_after_id IS NULL THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                          ORDER BY v.ts_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        ELSIF NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND (v.ts_value, v.contact_id) > (p_after::timestamptz, p_after_id)
                          ORDER BY v.ts_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSE
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND (v.ts_value, v.contact_id) < (p_after::timestamptz, p_after_id)
                          ORDER BY v.ts_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        END IF;
    ELSIF p_column = 'text_value' THEN
        IF p_after_id IS NULL AND NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL
                          ORDER BY v.text_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSIF p_after_id IS NULL THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL
                          ORDER BY v.text_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        ELSIF NOT p_descending THEN
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL
                            AND (v.text_value, v.contact_id) > (p_after, p_after_id)
                          ORDER BY v.text_value, v.contact_id OFFSET p_offset LIMIT p_limit);
        ELSE
            ids := ARRAY(SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.text_value IS NOT NULL
                            AND (v.text_value, v.contact_id) < (p_after, p_after_id)
                          ORDER BY v.text_value DESC, v.contact_id DESC OFFSET p_offset LIMIT p_limit);
        END IF;
    ELSE
        RAISE EXCEPTION 'unknown attribute column %', p_column;
    END IF;
    -- The page's contacts by key, in the order of their ids above (an attribute's values are all of its
    -- workspace's contacts; the workspace is checked all the same).
    RETURN QUERY SELECT c.* FROM contacts c
                  WHERE c.id = ANY(ids) AND c.workspace = p_workspace
                  ORDER BY array_position(ids, c.id);
END $$;

-- The page's matches of a listing whose only filter is one custom attribute, in created_at order (README
-- "Custom attributes"; the windowed filter of AttributeQuery): the ids of at most p_limit contacts whose
-- value is one of p_values (equality; a list is any of them), or lies in [p_low, p_high] (a range, both bounds
-- inclusive, null = unbounded), in created_at then id order, descending when asked, after the position
-- (p_after_at, p_after_id) when given. Planned once per connection, as above; the listing then reads these
-- contacts by key, a statement with little left to plan.
--
-- Equality walks (attribute_id, value, created_at, contact_id) from the position for each value and merges
-- the walks (at most p_limit entries each). A range is first counted on its value index up to
-- p_sort_limit + 1 entries: up to p_sort_limit matches they are read from the value index and sorted; beyond,
-- the attribute's created_at order (V22) is walked from the position with the range as a filter on the included
-- value, about p_limit / selectivity entries (bench/attributes/findings.md). The sorted form orders by an
-- expression no index provides and the walk compares coalesce(value, value), which no value index matches, so
-- that each generic plan is the form its branch means.
CREATE FUNCTION contact_attribute_window(p_attribute bigint, p_column text, p_values jsonb, p_low text, p_low_strict boolean,
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
        -- First the next p_sort_limit entries of the attribute in the listing's order: a range that fills the
        -- page among them (one of a few percent or more) needs no count.
        IF p_descending THEN
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.num_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_sort_limit) s
                          WHERE s.num_value >= coalesce(p_low, '-Infinity')::numeric AND s.num_value <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR s.num_value <> p_low::numeric) AND (NOT p_high_strict OR s.num_value <> p_high::numeric)
                          ORDER BY s.created_at DESC, s.contact_id DESC LIMIT p_limit);
        ELSE
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.num_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_sort_limit) s
                          WHERE s.num_value >= coalesce(p_low, '-Infinity')::numeric AND s.num_value <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR s.num_value <> p_low::numeric) AND (NOT p_high_strict OR s.num_value <> p_high::numeric)
                          ORDER BY s.created_at, s.contact_id LIMIT p_limit);
        END IF;
        IF cardinality(found) >= p_limit THEN
            RETURN QUERY SELECT unnest(found);
            RETURN;
        END IF;
        SELECT count(*) INTO matches FROM (
            SELECT 1 FROM contact_attribute_values v
             WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
               AND v.num_value >= coalesce(p_low, '-Infinity')::numeric AND v.num_value <= coalesce(p_high, 'Infinity')::numeric
               AND (NOT p_low_strict OR v.num_value <> p_low::numeric) AND (NOT p_high_strict OR v.num_value <> p_high::numeric)
             LIMIT p_sort_limit + 1) probed;
        IF matches <= p_sort_limit AND p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND v.num_value >= coalesce(p_low, '-Infinity')::numeric AND v.num_value <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR v.num_value <> p_low::numeric) AND (NOT p_high_strict OR v.num_value <> p_high::numeric)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at + interval '0' DESC, v.contact_id DESC LIMIT p_limit;
        ELSIF matches <= p_sort_limit THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.num_value IS NOT NULL
                            AND v.num_value >= coalesce(p_low, '-Infinity')::numeric AND v.num_value <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR v.num_value <> p_low::numeric) AND (NOT p_high_strict OR v.num_value <> p_high::numeric)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at + interval '0', v.contact_id LIMIT p_limit;
        ELSIF p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.num_value, v.num_value) >= coalesce(p_low, '-Infinity')::numeric AND coalesce(v.num_value, v.num_value) <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR coalesce(v.num_value, v.num_value) <> p_low::numeric) AND (NOT p_high_strict OR coalesce(v.num_value, v.num_value) <> p_high::numeric)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit;
        ELSE
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.num_value, v.num_value) >= coalesce(p_low, '-Infinity')::numeric AND coalesce(v.num_value, v.num_value) <= coalesce(p_high, 'Infinity')::numeric
                            AND (NOT p_low_strict OR coalesce(v.num_value, v.num_value) <> p_low::numeric) AND (NOT p_high_strict OR coalesce(v.num_value, v.num_value) <> p_high::numeric)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at, v.contact_id LIMIT p_limit;
        END IF;
        RETURN;
    ELSIF p_column = 'ts_value' THEN
        -- First the next p_sort_limit entries of the attribute in the listing's order: a range that fills the
        -- page among them (one of a few percent or more) needs no count.
        IF p_descending THEN
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.ts_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) < (at, id)
                              ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_sort_limit) s
                          WHERE s.ts_value >= coalesce(p_low, '-infinity')::timestamptz AND s.ts_value <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR s.ts_value <> p_low::timestamptz) AND (NOT p_high_strict OR s.ts_value <> p_high::timestamptz)
                          ORDER BY s.created_at DESC, s.contact_id DESC LIMIT p_limit);
        ELSE
            found := ARRAY(SELECT s.contact_id FROM (
                             SELECT v.created_at, v.contact_id, v.ts_value FROM contact_attribute_values v
                              WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                                AND (v.created_at, v.contact_id) > (at, id)
                              ORDER BY v.created_at, v.contact_id LIMIT p_sort_limit) s
                          WHERE s.ts_value >= coalesce(p_low, '-infinity')::timestamptz AND s.ts_value <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR s.ts_value <> p_low::timestamptz) AND (NOT p_high_strict OR s.ts_value <> p_high::timestamptz)
                          ORDER BY s.created_at, s.contact_id LIMIT p_limit);
        END IF;
        IF cardinality(found) >= p_limit THEN
            RETURN QUERY SELECT unnest(found);
            RETURN;
        END IF;
        SELECT count(*) INTO matches FROM (
            SELECT 1 FROM contact_attribute_values v
             WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
               AND v.ts_value >= coalesce(p_low, '-infinity')::timestamptz AND v.ts_value <= coalesce(p_high, 'infinity')::timestamptz
               AND (NOT p_low_strict OR v.ts_value <> p_low::timestamptz) AND (NOT p_high_strict OR v.ts_value <> p_high::timestamptz)
             LIMIT p_sort_limit + 1) probed;
        IF matches <= p_sort_limit AND p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND v.ts_value >= coalesce(p_low, '-infinity')::timestamptz AND v.ts_value <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR v.ts_value <> p_low::timestamptz) AND (NOT p_high_strict OR v.ts_value <> p_high::timestamptz)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at + interval '0' DESC, v.contact_id DESC LIMIT p_limit;
        ELSIF matches <= p_sort_limit THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND v.ts_value IS NOT NULL
                            AND v.ts_value >= coalesce(p_low, '-infinity')::timestamptz AND v.ts_value <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR v.ts_value <> p_low::timestamptz) AND (NOT p_high_strict OR v.ts_value <> p_high::timestamptz)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at + interval '0', v.contact_id LIMIT p_limit;
        ELSIF p_descending THEN
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.ts_value, v.ts_value) >= coalesce(p_low, '-infinity')::timestamptz AND coalesce(v.ts_value, v.ts_value) <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR coalesce(v.ts_value, v.ts_value) <> p_low::timestamptz) AND (NOT p_high_strict OR coalesce(v.ts_value, v.ts_value) <> p_high::timestamptz)
                            AND (v.created_at, v.contact_id) < (at, id)
                          ORDER BY v.created_at DESC, v.contact_id DESC LIMIT p_limit;
        ELSE
            RETURN QUERY SELECT v.contact_id FROM contact_attribute_values v
                          WHERE v.attribute_id = p_attribute AND (v.num_value IS NOT NULL OR v.ts_value IS NOT NULL)
                            AND coalesce(v.ts_value, v.ts_value) >= coalesce(p_low, '-infinity')::timestamptz AND coalesce(v.ts_value, v.ts_value) <= coalesce(p_high, 'infinity')::timestamptz
                            AND (NOT p_low_strict OR coalesce(v.ts_value, v.ts_value) <> p_low::timestamptz) AND (NOT p_high_strict OR coalesce(v.ts_value, v.ts_value) <> p_high::timestamptz)
                            AND (v.created_at, v.contact_id) > (at, id)
                          ORDER BY v.created_at, v.contact_id LIMIT p_limit;
        END IF;
        RETURN;
    END IF;
    RAISE EXCEPTION 'unknown attribute column %', p_column;
END $$;
