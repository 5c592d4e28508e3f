-- The contact trigram indexes take new entries through GIN's pending list again, capped at its minimum
-- size (64 kB) instead of the default 4 MB that V7 turned off.
--
-- With fastupdate off every written row descends the index once per trigram (~50 per contact): that was
-- most of an import batch's time (measured at 500k contacts, one 1,000-row batch of the import's upsert:
-- ~455 ms with fastupdate off, ~190 ms with this list, ~150 ms without the two indexes at all). Through
-- the pending list a write appends its entries, and whoever overflows the 64 kB (about 45 contacts)
-- merges them sorted by trigram, which is far cheaper than as many single descents.
--
-- V7's concern stays met: a search scans the whole pending list, and 64 kB is at most 8 pages instead of
-- the ~470 of a full 4 MB list (measured: a selective trigram lookup ~0.08 ms with an empty list, ~0.11 ms
-- with a full 64 kB one). The limit is a property of the index, so no session setting can enlarge it.
ALTER INDEX contacts_search_trgm SET (fastupdate = on, gin_pending_list_limit = 64);
ALTER INDEX contacts_phone_trgm SET (fastupdate = on, gin_pending_list_limit = 64);
