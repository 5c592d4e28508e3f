package dev.awal.contacts.persistence;

import java.util.List;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.PagingConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Contacts in the database: by id or phone, and the listings by filter with their totals. */
@ApplicationScoped
public class ContactRepository extends WorkspaceRepository<Contact> {

    private final PagingConfig pagingConfig;
    private final PageAnchors pageAnchors;

    ContactRepository(PagingConfig pagingConfig, PageAnchors pageAnchors) {
        this.pagingConfig = pagingConfig;
        this.pageAnchors = pageAnchors;
    }

    @Override
    Class<Contact> type() {
        return Contact.class;
    }

    /** The workspace's contact with this phone (normalized digits), or null. */
    public Uni<Contact> findByPhone(String workspace, String phone) {
        return Contact.<Contact>find("workspace = ?1 and phone = ?2", workspace, phone).firstResult();
    }

    /**
     * A page of the contacts matching the filter and {@code more} (" and ..." over the Contact root,
     * with its parameters; "" for nothing more, such as the custom attribute filters), in the filter's
     * order. Cursor mode reads one row past the page instead of counting; page mode has a total.
     */
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging, String more,
            Parameters moreParams) {
        return list(workspace, filter, paging, more, moreParams, null);
    }

    /**
     * As {@link #list(String, ContactFilter, PageRequest, String, Parameters)}; {@code counter}, when not null,
     * counts the matches up to a limit plus one in place of the listing's own count (a custom attribute filter
     * alone counts its value index entries).
     */
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging, String more,
            Parameters moreParams, IntFunction<Uni<Long>> counter) {
        ContactFilter.Query filtered = filter.where(workspace, paging.cursor());
        moreParams.map().forEach(filtered.params()::and);
        ContactFilter.Query query = new ContactFilter.Query(filtered.where() + more, filtered.params());
        if (paging.cursorMode()) {
            // One extra row tells whether a next page exists, without counting.
            return Panache.getSession().flatMap(session -> {
                var select = session.createSelectionQuery("from Contact where " + query.where() + " order by "
                        + filter.orderBy(), Contact.class);
                query.params().map().forEach(select::setParameter);
                return select.setMaxResults(paging.perPage() + 1).getResultList();
            }).map(rows -> page(rows, paging, filter));
        }
        int countLimit = paging.offset() + Math.max(paging.perPage(), pagingConfig.countLimit());
        return ContactPageQuery.fetch(pageAnchors, workspace, filter, query, paging, !more.isEmpty())
                .flatMap(result -> {
                    List<Contact> rows = result.rows();
                    if (result.total() != null) {
                        // A counter's exact total (V17), read in the page's own statement.
                        return Uni.createFrom().item(page(rows, paging, filter, result.total(), true));
                    }
                    if (!rows.isEmpty() && rows.size() < paging.perPage()) {
                        // A partial page is the last one: the total is known without counting.
                        return Uni.createFrom().item(page(rows, paging, filter, paging.offset() + rows.size(), true));
                    }
                    return (counter != null ? counter.apply(countLimit) : countUpTo(query, filter, countLimit))
                            .map(counted -> page(rows, paging, filter, Math.min(counted, countLimit), counted <= countLimit));
                });
    }

    /**
     * Counts the matches but stops after {@code limit + 1}, so that a page view never pays for
     * counting a million rows; one more than the limit tells that counting stopped early. The
     * listing's own order lets the database walk the same index as the page query.
     */
    static Uni<Long> countUpTo(ContactFilter.Query query, ContactFilter filter, int limit) {
        return Panache.getSession().flatMap(session -> {
            var count = session.createSelectionQuery("select count(*) from (select id as id from Contact where "
                    + query.where() + " order by " + filter.orderBy() + " limit :countLimit) counted", Long.class);
            query.params().map().forEach(count::setParameter);
            return count.setParameter("countLimit", limit + 1).getSingleResult();
        });
    }

    private static Page<Contact> page(List<Contact> rows, PageRequest paging, ContactFilter filter) {
        boolean more = rows.size() > paging.perPage();
        List<Contact> items = more ? rows.subList(0, paging.perPage()) : rows;
        String next = more ? filter.cursorAfter(items.get(items.size() - 1)).encode() : null;
        return new Page<>(items, paging.cursorMeta(next));
    }

    private static Page<Contact> page(List<Contact> rows, PageRequest paging, ContactFilter filter, long total,
            boolean exact) {
        // An inexact count stopped past this page, so more rows certainly follow.
        boolean more = !rows.isEmpty() && (!exact || (long) paging.offset() + rows.size() < total);
        String next = more ? filter.cursorAfter(rows.get(rows.size() - 1)).encode() : null;
        return new Page<>(rows, paging.pageMeta(total, exact, next));
    }

    /** Unlinks every contact of a group, with their contact.updated events, in bounded statements; answers how many. */
    public Uni<Integer> unlinkGroup(String workspace, long groupId) {
        return unlinkContacts("contact_group_id", "jsonb_build_object('changed',"
                + " jsonb_build_array('contact_group_id'), 'contact', events_contact(changed.row))", workspace, groupId);
    }

    /** As {@link #unlinkGroup}, for the contacts of a branch. */
    public Uni<Integer> unlinkBranch(String workspace, long branchId) {
        return unlinkContacts("branch_id", "jsonb_build_object('changed',"
                + " jsonb_build_array('branch_id'), 'contact', events_contact(changed.row))", workspace, branchId);
    }
}
