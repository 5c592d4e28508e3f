-- The contact trigram indexes take their pending-list limit from the session again (gin_pending_list_limit),
-- instead of V19's index-level 64 kB, which overrode every session's setting.
--
-- The API's connections keep 64 kB through their connection settings (application.properties,
-- quarkus.datasource.reactive.additional-properties.gin_pending_list_limit), so a create or update still merges
-- at most a small list and a search scans at most a few pages of it, as V19 intended. An import batch raises
-- the limit for its own transaction only (SET LOCAL, contacts.imports.gin-pending-list-limit): its thousand rows'
-- entries collect in the list and are merged at once, sorted by trigram, at the end of the batch
-- (gin_clean_pending_list), which is cheaper than ~20 merges of 64 kB; the list is empty again when the batch
-- commits, so no API write pays for the import's entries. fastupdate stays on.
ALTER INDEX contacts_search_trgm RESET (gin_pending_list_limit);
ALTER INDEX contacts_phone_trgm RESET (gin_pending_list_limit);
