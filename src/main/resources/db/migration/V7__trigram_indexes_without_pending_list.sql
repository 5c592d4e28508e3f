-- The trigram indexes take new entries directly instead of through GIN's pending list.
--
-- With fastupdate (the default) inserted and updated rows collect in an unsorted pending list of up
-- to gin_pending_list_limit (4 MB) until a vacuum or an overflow merges it, and every search scans
-- that list in full. Measured at 1M contacts after 15,000 renamed contacts (472 pending pages): the
-- selective name search fell from ~3,300 to ~380 per second; under a steady write load searches
-- were slow most of the time. Writes now pay for their index entries themselves, which is the
-- better trade for a contact book that is searched far more often than it is written.
ALTER INDEX contacts_search_trgm SET (fastupdate = off);
ALTER INDEX contacts_phone_trgm SET (fastupdate = off);
ALTER INDEX branches_search_trgm SET (fastupdate = off);
-- Entries already pending are merged now rather than at the next vacuum.
SELECT gin_clean_pending_list('contacts_search_trgm'::regclass);
SELECT gin_clean_pending_list('contacts_phone_trgm'::regclass);
SELECT gin_clean_pending_list('branches_search_trgm'::regclass);
