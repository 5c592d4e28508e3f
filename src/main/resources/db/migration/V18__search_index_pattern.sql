-- The pattern a search hands to the trigram index: the search pattern (V6) with the most common parts
-- of Arabic words replaced by the wildcard.
--
-- A LIKE on the trigram index reads the posting list of every trigram of the term, and a selective
-- Arabic term is made mostly of common ones: the article "ال" at a word's start (" ال", "الا", "الم",
-- ...) and the endings (the nisba "اني" / "ي", "ين", "ون", "ات", "ه"). Measured at 1M contacts, the
-- trigrams of "الاصبهاني" that find its 55 rows are rare (55 entries each) but "الا" has 66,236
-- entries and "اني" 52,869: the index scan took ~1 ms instead of ~0.04 ms. So for the index:
--   * "ال" at the start of a word becomes the wildcard when at least three letters follow;
--   * the last two letters of an Arabic word become the wildcard when at least three letters remain.
-- Replacing a part of the pattern by the wildcard only widens what it matches, so the index still
-- returns every match; the listing keeps the exact condition (the folded term as a substring of the
-- search text) as a filter on the few rows the index returns. Latin terms and digits are unchanged,
-- and a word too short to trim keeps all its trigrams.
CREATE FUNCTION contacts_search_index_pattern(term text, wildcard text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN wildcard || regexp_replace(regexp_replace(contacts_fold(term),
        '(^|\s)ال(?=[^\s%_!]{3})', '\1' || wildcard, 'g'),
        '([ء-ي]{3,})[ء-ي]{2}(?=\s|$)', '\1' || wildcard, 'g') || wildcard;
