package dev.awal.contacts.persistence;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.awal.contacts.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The page of a page-mode listing, and its exact total where a counter holds it.
 *
 * <p>Totals: the listings opened most (the whole workspace, favorites, one group, one branch, with no
 * search or other filter) read their exact total from the counters of V17 in the page's own
 * statement, as an uncorrelated subquery the database evaluates once; page and total then come from
 * one snapshot. Every other listing gets {@code null} here and keeps the capped count.
 *
 * <p>Deep pages: past the first page, the page's ids are chosen first by a subquery that the sort's
 * index answers alone (index-only: the workspace, group, branch and favorite indexes hold the sort
 * keys and the id), and only those rows are read. Selecting whole rows with the offset would read
 * every skipped row from the table (page 5,000: 99,980 of them). The order and ties are the same,
 * so the rows are the same. That walk still passes every index entry before the page, so each deep
 * page also leaves {@link PageAnchors}: the row before it and its last row, with the workspace's
 * listing version (V23) read in the same statement. The same page, or the next, then seeks past its
 * anchor in the listing's keyset order, and is served only if the version that statement reads is
 * still the anchor's: same version, same committed contacts, so the row after the anchor is the row
 * at the page's offset. Otherwise the page is read by the walk and the anchors renewed.
 */
final class ContactPageQuery {

    /** The rows of the page and, when a counter holds it, the exact total (else null). */
    record Result(List<Contact> rows, Long total) {
    }

    /** The workspace's listing version (V23); {@code :workspace} is the listing's own parameter. */
    private static final String VERSION = "(select cast(coalesce(sum(lv.n), 0) as Long) from ContactCount lv"
            + " where lv.workspace = :workspace and lv.scope = 'v' and lv.scopeId = 0)";

    private ContactPageQuery() {
    }

    /** {@code otherFilters}: the query also filters by something no counter knows (custom attributes). */
    static Uni<Result> fetch(PageAnchors anchors, String workspace, ContactFilter filter, ContactFilter.Query query,
            PageRequest paging, boolean otherFilters) {
        Scope scope = otherFilters ? null : Scope.of(filter);
        if (paging.offset() == 0) {
            return firstPage(workspace, filter, query, paging, scope);
        }
        // Custom attribute filters read another table, whose writes the version does not follow.
        Listing listing = otherFilters ? null : new Listing(anchors, workspace, filter, query);
        PageAnchors.Anchor anchor = listing == null ? null : anchors.get(listing.at(paging.offset()));
        if (anchor == null) {
            anchors.walked();
            return walk(workspace, filter, query, paging, scope, listing);
        }
        return Panache.getSession().flatMap(session -> seek(session, filter, query, paging, scope, anchor)
                .flatMap(found -> {
                    if (!found.isEmpty() && version(found.get(0)) == anchor.version()) {
                        anchors.sought();
                        List<Contact> rows = found.stream().map(row -> (Contact) row[0]).toList();
                        if (rows.size() == paging.perPage()) {
                            listing.remember(paging.offset() + rows.size(), anchor.version(), rows.get(rows.size() - 1));
                        }
                        return Uni.createFrom().item(new Result(rows, scope == null ? null : total(found.get(0))));
                    }
                    // Written since (or nothing after the anchor): these rows belong to another version,
                    // and the walk below must read its own, not find these in the session.
                    found.forEach(row -> session.detach(row[0]));
                    anchors.outdated();
                    return walk(workspace, filter, query, paging, scope, listing);
                }));
    }

    /** The first page: the listing's index from its start, no version needed. */
    private static Uni<Result> firstPage(String workspace, ContactFilter filter, ContactFilter.Query query,
            PageRequest paging, Scope scope) {
        String hql = "select c" + (scope == null ? "" : ", " + scope.subquery()) + " from Contact c where " + query.where()
                + " order by " + filter.orderBy();
        return Panache.getSession().flatMap(session -> {
            var select = session.createSelectionQuery(hql, Object[].class);
            query.params().map().forEach(select::setParameter);
            scope(select, scope);
            return select.setMaxResults(paging.perPage()).getResultList().map(found -> {
                List<Contact> rows = found.stream().map(row -> (Contact) row[0]).toList();
                if (scope == null) {
                    return new Result(rows, null);
                }
                // An empty first page in the same snapshot: nothing to count.
                return new Result(rows, found.isEmpty() ? 0L : total(found.get(0)));
            });
        });
    }

    /**
     * A deep page by walking the index: the ids from the row before the page (offset - 1) to the page's
     * end, then those rows. The row before the page is the page's anchor, not part of it.
     */
    private static Uni<Result> walk(String workspace, ContactFilter filter, ContactFilter.Query query, PageRequest paging,
            Scope scope, Listing listing) {
        String hql = "select c" + (listing == null ? ", 0L" : ", " + VERSION) + (scope == null ? "" : ", " + scope.subquery())
                + " from Contact c where c.id in (select id from Contact where " + query.where() + " order by "
                + filter.orderBy() + " offset :pageOffset rows fetch first :pageSize rows only) order by " + filter.orderBy();
        return Panache.getSession().flatMap(session -> {
            var select = session.createSelectionQuery(hql, Object[].class);
            query.params().map().forEach(select::setParameter);
            scope(select, scope);
            select.setParameter("pageOffset", paging.offset() - 1).setParameter("pageSize", paging.perPage() + 1);
            return select.getResultList().flatMap(found -> {
                List<Contact> rows = found.stream().skip(1).map(row -> (Contact) row[0]).toList();
                if (listing != null && !found.isEmpty()) {
                    long version = version(found.get(0));
                    listing.remember(paging.offset(), version, (Contact) found.get(0)[0]);
                    if (rows.size() == paging.perPage()) {
                        listing.remember(paging.offset() + rows.size(), version, rows.get(rows.size() - 1));
                    }
                }
                if (scope == null) {
                    return Uni.createFrom().item(new Result(rows, null));
                }
                if (!found.isEmpty()) {
                    return Uni.createFrom().item(new Result(rows, total(found.get(0))));
                }
                // Past the end: not even the row before the page to carry the total.
                var count = session.createSelectionQuery(scope.sum(), Long.class).setParameter("workspace", workspace);
                if (scope.id() != null) {
                    count.setParameter("scopeId", scope.id());
                }
                return count.getSingleResult().map(total -> new Result(rows, total));
            });
        });
    }

    /** The page after an anchor in the listing's keyset order (ties by id, as the order by), with the version. */
    private static Uni<List<Object[]>> seek(Mutiny.Session session, ContactFilter filter, ContactFilter.Query query,
            PageRequest paging, Scope scope, PageAnchors.Anchor anchor) {
        String hql = "select c, " + VERSION + (scope == null ? "" : ", " + scope.subquery()) + " from Contact c where "
                + query.where() + " and (" + filter.sort().property + ", id) " + (filter.descending() ? "<" : ">")
                + " (:anchorValue, :anchorId) order by " + filter.orderBy();
        var select = session.createSelectionQuery(hql, Object[].class);
        query.params().map().forEach(select::setParameter);
        scope(select, scope);
        return select.setParameter("anchorValue", anchor.sortValue()).setParameter("anchorId", anchor.id())
                .setMaxResults(paging.perPage()).getResultList();
    }

    private static void scope(Mutiny.SelectionQuery<Object[]> select, Scope scope) {
        if (scope != null && scope.id() != null) {
            select.setParameter("scopeId", scope.id());
        }
    }

    private static long version(Object[] row) {
        return ((Number) row[1]).longValue();
    }

    private static long total(Object[] row) {
        return ((Number) row[row.length - 1]).longValue();
    }

    /** A listing's anchors: its key without the offset, and how to take an anchor from a row. */
    private record Listing(PageAnchors anchors, String workspace, ContactFilter filter, ContactFilter.Query query,
            Map<String, Object> params) {

        Listing(PageAnchors anchors, String workspace, ContactFilter filter, ContactFilter.Query query) {
            this(anchors, workspace, filter, query, Collections.unmodifiableMap(new HashMap<>(query.params().map())));
        }

        PageAnchors.Key at(int offset) {
            return new PageAnchors.Key(workspace, query.where(), params, filter.orderBy(), offset);
        }

        /** The row just before the page at {@code offset}, at {@code version}. */
        void remember(int offset, long version, Contact before) {
            Object value = switch (filter.sort()) {
                case CREATED_AT -> before.createdAt;
                case UPDATED_AT -> before.updatedAt;
                case NAME -> before.name;
            };
            anchors.put(at(offset), new PageAnchors.Anchor(version, value, before.id));
        }
    }

    /** Which counter, if any, holds the total of a filter: no search and at most one of group, branch, favorites. */
    record Scope(char code, Long id) {

        static Scope of(ContactFilter filter) {
            if (filter.search() != null || filter.phoneNumberId() != null) {
                return null;
            }
            int filters = (filter.groupId() != null ? 1 : 0) + (filter.branchId() != null ? 1 : 0)
                    + (filter.favorite() != null ? 1 : 0);
            if (filters == 0) {
                return new Scope('w', null);
            }
            if (filters > 1) {
                return null;
            }
            if (filter.groupId() != null) {
                return new Scope('g', filter.groupId());
            }
            if (filter.branchId() != null) {
                return new Scope('b', filter.branchId());
            }
            return filter.favorite() ? new Scope('f', null) : null;
        }

        /** The summing subquery; {@code :workspace} is the listing's own parameter. */
        String subquery() {
            return "(" + sum() + ")";
        }

        String sum() {
            // The scope is a literal: one cached plan per scope, and no bind for it.
            return "select cast(coalesce(sum(k.n), 0) as Long) from ContactCount k where k.workspace = :workspace"
                    + " and k.scope = '" + code + "' and k.scopeId = " + (id == null ? "0" : ":scopeId");
        }
    }
}
