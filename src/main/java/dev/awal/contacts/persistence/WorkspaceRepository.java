package dev.awal.contacts.persistence;

import java.util.List;

import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * What the repositories of contacts, groups and branches share: rows that belong to a workspace, read,
 * locked or held by id, and listed newest first. Runs in the caller's session (services declare it).
 */
public abstract class WorkspaceRepository<E extends WorkspaceEntity> {

    /** The order of listings without a sort parameter: newest first, ties by id. */
    static final String NEWEST_FIRST = "createdAt desc, id desc";

    /** The entity class this repository reads. */
    abstract Class<E> type();

    /** The row with this id in the workspace, or null. */
    public Uni<E> findInWorkspace(String workspace, long id) {
        return row(workspace, id, LockModeType.NONE);
    }

    /**
     * Reads the row and locks it until the transaction ends (SELECT ... FOR UPDATE), so that concurrent
     * writers of one row take turns: each reads what the previous one committed, and one that finds the
     * row gone answers 404 instead of failing at its write.
     */
    public Uni<E> lockInWorkspace(String workspace, long id) {
        return row(workspace, id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Whether the row exists in the workspace, keeping it so until the transaction ends (SELECT ... FOR
     * SHARE): a deletion of it waits for the link being written to it, then unlinks that too.
     */
    public Uni<Boolean> holdInWorkspace(String workspace, long id) {
        // Not the entity: reading it would compute what it derives (a group's count) only to answer "exists".
        String table = type().getAnnotation(Table.class).name();
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select 1 from " + table + " where workspace = :workspace and id = :id for share", Integer.class)
                .setParameter("workspace", workspace).setParameter("id", id).getSingleResultOrNull())
                .map(found -> found != null);
    }

    /** Deletes the row with this id (a bulk statement: the caller has it locked). */
    public Uni<Integer> delete(long id) {
        return Panache.getSession().flatMap(session -> session
                .createMutationQuery("delete from " + type().getSimpleName() + " where id = :id")
                .setParameter("id", id).executeUpdate());
    }

    private Uni<E> row(String workspace, long id, LockModeType lock) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("from " + type().getSimpleName() + " where workspace = :workspace and id = :id", type())
                .setParameter("workspace", workspace).setParameter("id", id)
                .setLockMode(lock).getSingleResultOrNull());
    }

    /**
     * One page of the workspace's rows, newest first, with the exact total: those whose {@code folded}
     * expression (an HQL text, as its trigram index has it) contains {@code search} when one is given,
     * narrowed further by {@code more} (" and ..." with its parameters; "" for nothing more).
     */
    Uni<Page<E>> newestFirst(String workspace, String folded, String search, String more, Parameters moreParams,
            PageRequest paging) {
        StringBuilder where = new StringBuilder(" where workspace = :workspace");
        Parameters params = Parameters.with("workspace", workspace);
        if (search != null) {
            where.append(" and ").append(folded).append(" like cast(contacts_search_pattern(:search, '%') as String) escape '!'");
            params.and("search", QueryParams.escapeLike(search));
        }
        where.append(more);
        moreParams.map().forEach(params::and);
        String from = "from " + type().getSimpleName() + where;
        return Panache.getSession().flatMap(session -> {
            var rows = session.createSelectionQuery(from + " order by " + NEWEST_FIRST, type());
            var count = session.createSelectionQuery("select count(*) " + from, Long.class);
            params.map().forEach((name, value) -> {
                rows.setParameter(name, value);
                count.setParameter(name, value);
            });
            Uni<List<E>> page = rows.setFirstResult(paging.offset()).setMaxResults(paging.perPage()).getResultList();
            return page.flatMap(found -> count.getSingleResult().map(total -> new Page<>(found, paging.pageMeta(total, null))));
        });
    }

    /**
     * Sets {@code column} of every row of {@code table} in the workspace that points at {@code id} to null and writes
     * each row's event ({@code type}, with {@code data} over the changed row {@code changed.row}) in the same
     * statement: set-based, since a group may hold many thousands of contacts. Answers how many rows changed.
     */
    static Uni<Integer> unlinkAll(String table, String column, String type, String data, String workspace, long id) {
        // Whole rows come back from the UPDATE (RETURNING t), so each event shows the row after the change.
        String sql = "WITH changed AS (UPDATE " + table + " t SET " + column + " = NULL,"
                + " updated_at = date_trunc('second', now()), version = t.version + 1"
                + " WHERE t.workspace = :workspace AND t." + column + " = :id RETURNING t AS row, t.id),"
                + " written AS (INSERT INTO events (workspace, type, data) SELECT :workspace, '" + type + "', " + data
                + " FROM changed ORDER BY changed.id)"
                + " SELECT count(*) FROM changed";
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Long.class);
            query.setParameter("workspace", workspace);
            query.setParameter("id", id);
            return query.getSingleResult();
        }).map(Long::intValue);
    }

    /**
     * Contacts unlinked per statement by {@link #unlinkContacts}: each statement stays far below the statement
     * timeout whatever the group's size (a contact's unlink rewrites its index entries and writes its event).
     */
    static final int UNLINK_BATCH = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("contacts.unlink-batch-size", Integer.class).orElse(5000);

    /**
     * As {@link #unlinkAll} for the contacts of a group or a branch ({@code column}), in statements of at most
     * {@link #UNLINK_BATCH} contacts inside the caller's transaction, so the whole unlink still commits or rolls back
     * as one. One statement for a group of a million contacts ran past the 30 s statement timeout, and every retry
     * failed the same way. Each batch walks the column's (column, created_at, id) index from where the previous one
     * stopped: a rescan from the start would visit every row already unlinked (their old index entries stay until
     * the transaction ends). The caller holds the group or branch locked, so no contact joins it meanwhile.
     */
    static Uni<Integer> unlinkContacts(String column, String data, String workspace, long id) {
        return unlinkContactsAfter(column, data, workspace, id, null, null, 0);
    }

    /**
     * One batch after the position ({@code afterAt}, {@code afterId}) of the last contact the previous batch read.
     * The position is carried as values, not looked up by id: a contact of the batch that another request moved
     * out of the group (not locked by this unlink) may be deleted meanwhile, and a lookup of it ended the walk early.
     */
    private static Uni<Integer> unlinkContactsAfter(String column, String data, String workspace, long id, String afterAt,
            Long afterId, int unlinkedSoFar) {
        String after = afterId == null ? "" : " AND (t.created_at, t.id) > (cast(cast(:afterAt as text) as timestamptz), :afterId)";
        String sql = "WITH batch AS (SELECT t.id, t.created_at FROM contacts t WHERE t.workspace = :workspace AND t." + column
                + " = :id" + after + " ORDER BY t.created_at, t.id LIMIT " + UNLINK_BATCH + "),"
                + " changed AS (UPDATE contacts t SET " + column + " = NULL,"
                + " updated_at = date_trunc('second', now()), version = t.version + 1"
                + " FROM batch b WHERE t.id = b.id AND t." + column + " = :id RETURNING t AS row, t.id),"
                + " written AS (INSERT INTO events (workspace, type, data) SELECT :workspace, 'contact.updated', " + data
                + " FROM changed ORDER BY changed.id),"
                + " last AS (SELECT b.id, b.created_at FROM batch b ORDER BY b.created_at DESC, b.id DESC LIMIT 1)"
                + " SELECT (SELECT count(*) FROM changed) AS unlinked, (SELECT count(*) FROM batch) AS seen,"
                + " (SELECT cast(l.created_at as text) FROM last l) AS last_at, (SELECT l.id FROM last l) AS last_id";
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            query.setParameter("workspace", workspace);
            query.setParameter("id", id);
            if (afterId != null) {
                query.setParameter("afterAt", afterAt);
                query.setParameter("afterId", afterId);
            }
            return query.getSingleResult();
        }).flatMap(row -> {
            int unlinked = unlinkedSoFar + ((Number) row[0]).intValue();
            long seen = ((Number) row[1]).longValue();
            if (seen < UNLINK_BATCH) {
                return Uni.createFrom().item(unlinked);
            }
            return unlinkContactsAfter(column, data, workspace, id, (String) row[2], ((Number) row[3]).longValue(), unlinked);
        });
    }
}
