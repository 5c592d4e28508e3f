package dev.awal.contacts.persistence;

import java.util.List;

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
 * so the rows are the same.
 */
final class ContactPageQuery {

    /** The rows of the page and, when a counter holds it, the exact total (else null). */
    record Result(List<Contact> rows, Long total) {
    }

    private ContactPageQuery() {
    }

    /** {@code otherFilters}: the query also filters by something no counter knows (custom attributes). */
    static Uni<Result> fetch(String workspace, ContactFilter filter, ContactFilter.Query query, PageRequest paging,
            boolean otherFilters) {
        Scope scope = otherFilters ? null : Scope.of(filter);
        boolean deep = paging.offset() > 0;
        String where = deep
                ? "c.id in (select id from Contact where " + query.where() + " order by " + filter.orderBy()
                        + " offset :pageOffset rows fetch first :pageSize rows only)"
                : query.where();
        String hql = "select c" + (scope == null ? "" : ", " + scope.subquery()) + " from Contact c where " + where
                + " order by " + filter.orderBy();
        return Panache.getSession().flatMap(session -> {
            var select = session.createSelectionQuery(hql, Object[].class);
            query.params().map().forEach(select::setParameter);
            if (scope != null && scope.id() != null) {
                select.setParameter("scopeId", scope.id());
            }
            if (deep) {
                select.setParameter("pageOffset", paging.offset()).setParameter("pageSize", paging.perPage());
            } else {
                select.setMaxResults(paging.perPage());
            }
            return select.getResultList().flatMap(found -> {
                List<Contact> rows = found.stream().map(row -> (Contact) row[0]).toList();
                if (scope == null) {
                    return Uni.createFrom().item(new Result(rows, null));
                }
                if (!found.isEmpty()) {
                    return Uni.createFrom().item(new Result(rows, ((Number) found.get(0)[1]).longValue()));
                }
                if (!deep) {
                    // An empty first page in the same snapshot: nothing to count.
                    return Uni.createFrom().item(new Result(rows, 0L));
                }
                // Past the end: the page had no row to carry the total.
                var count = session.createSelectionQuery(scope.sum(), Long.class).setParameter("workspace", workspace);
                if (scope.id() != null) {
                    count.setParameter("scopeId", scope.id());
                }
                return count.getSingleResult().map(total -> new Result(rows, total));
            });
        });
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
