-- Number, date and datetime values in their contact's created_at order (README "Custom attributes").
--
-- A range that is a listing's only filter and matches many contacts (more than
-- contacts.attributes.range-sort-limit) walks this index backward (newest first) from the cursor's
-- position, with the range as a filter on the included value, and stops after the page: about
-- page / selectivity index-only entries, no contact read before it is on the page. The value indexes of
-- V13 cannot give that order for a range (it is no single index range in created_at order), and reading
-- and sorting every match of a broad range costs as much as the matches.
-- Text, enum and boolean values need none: they are filtered by equality, one index range per value.
CREATE INDEX contact_attribute_values_created ON contact_attribute_values (attribute_id, created_at, contact_id)
    INCLUDE (num_value, ts_value) WHERE num_value IS NOT NULL OR ts_value IS NOT NULL;
