package dev.awal.contacts.attributes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.Cursor;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.PagingConfig;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Contact listings sorted by a custom attribute. Contacts with a value come first, in value order
 * (then id), walked on the typed index (attribute_id, value, contact_id) so that a keyset page deep in
 * the listing starts as fast as the first; contacts without a value follow, by id ascending, in either
 * direction. Runs inside the caller's session.
 */
@ApplicationScoped
public class AttributeListing {

    private final PagingConfig pagingConfig;

    AttributeListing(PagingConfig pagingConfig) {
        this.pagingConfig = pagingConfig;
    }

    /**
     * {@code where} and {@code params}: the listing's filters over the Contact root, starting with the
     * workspace; {@code resolved} names the sort attribute.
     */
    public Uni<Page<Contact>> list(String where, Parameters params, AttributeQuery.Resolved resolved, PageRequest paging) {
        if (paging.cursorMode()) {
            Cursor after = paging.cursor();
            Object afterValue = after == null ? null : resolved.decode(after.value());
            boolean inTail = after != null && afterValue == null;
            int wanted = paging.perPage() + 1;
            Uni<List<Contact>> valued = inTail ? Uni.createFrom().item(List.of())
                    : valued(where, params, resolved, after == null ? null : afterValue, after == null ? null : after.id(), 0, wanted);
            return valued.flatMap(rows -> rows.size() >= wanted ? Uni.createFrom().item(rows)
                    : tail(where, params, resolved, inTail ? after.id() : null, 0, wanted - rows.size()).map(more -> concat(rows, more)))
                    .map(rows -> {
                        boolean more = rows.size() > paging.perPage();
                        List<Contact> items = more ? rows.subList(0, paging.perPage()) : rows;
                        String next = more ? cursorAfter(items.get(items.size() - 1), resolved).encode() : null;
                        return new Page<>(items, paging.cursorMeta(next));
                    });
        }
        int countLimit = paging.offset() + Math.max(paging.perPage(), pagingConfig.countLimit());
        return valued(where, params, resolved, null, null, paging.offset(), paging.perPage())
                .flatMap(rows -> rows.size() == paging.perPage() ? Uni.createFrom().item(rows)
                        : valuedCount(where, params, resolved, rows, paging).flatMap(valuedTotal -> tail(where, params, resolved, null,
                                (int) Math.max(0, paging.offset() - valuedTotal), paging.perPage() - rows.size())
                                .map(more -> concat(rows, more))))
                .flatMap(rows -> count(where, params, countLimit).map(counted -> {
                    long total = Math.min(counted, countLimit);
                    boolean exact = counted <= countLimit;
                    boolean more = !rows.isEmpty() && (!exact || (long) paging.offset() + rows.size() < total);
                    String next = more ? cursorAfter(rows.get(rows.size() - 1), resolved).encode() : null;
                    return new Page<>(rows, paging.pageMeta(total, exact, next));
                }));
    }

    /**
     * The page of a listing whose only filter is one attribute, in created_at order, read by V26's
     * contact_attribute_window_page in one statement: a cursor page reads one contact past the page, so whether
     * another page follows is decided in the page's own snapshot (a contact deleted meanwhile cannot make a full
     * page look like the last). Page mode counts its capped total on the value index, as the listing would.
     */
    public Uni<Page<Contact>> windowed(String workspace, ContactFilter filter, AttributeQuery.Resolved resolved, PageRequest paging) {
        // A forged cursor is a 400 naming it, as in every listing.
        filter.where(workspace, paging.cursor());
        AttributeQuery.WindowPage window = resolved.window();
        if (paging.cursorMode()) {
            return window.read(workspace, 0, paging.perPage() + 1).map(rows -> {
                boolean more = rows.size() > paging.perPage();
                List<Contact> items = more ? rows.subList(0, paging.perPage()) : rows;
                return new Page<>(items, paging.cursorMeta(more ? filter.cursorAfter(items.get(items.size() - 1)).encode() : null));
            });
        }
        int countLimit = paging.offset() + Math.max(paging.perPage(), pagingConfig.countLimit());
        return window.read(workspace, paging.offset(), paging.perPage()).flatMap(rows -> {
            if (!rows.isEmpty() && rows.size() < paging.perPage()) {
                // A partial page is the last one: the total is known without counting.
                return Uni.createFrom().item(windowPage(rows, paging, filter, paging.offset() + rows.size(), true));
            }
            return resolved.counter().apply(countLimit)
                    .map(counted -> windowPage(rows, paging, filter, Math.min(counted, countLimit), counted <= countLimit));
        });
    }

    private static Page<Contact> windowPage(List<Contact> rows, PageRequest paging, ContactFilter filter, long total, boolean exact) {
        // An inexact count stopped past this page, so more rows certainly follow.
        boolean more = !rows.isEmpty() && (!exact || (long) paging.offset() + rows.size() < total);
        return new Page<>(rows, paging.pageMeta(total, exact, more ? filter.cursorAfter(rows.get(rows.size() - 1)).encode() : null));
    }

    private static List<Contact> concat(List<Contact> first, List<Contact> second) {
        List<Contact> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static boolean onlyWorkspace(String where) {
        return where.strip().equals("workspace = :workspace");
    }

    /**
     * The page of a listing with no filter but its workspace, from V24's function: its statements keep their
     * generic plans for the connection, so the only statement planned per request is this one, which reads a
     * function and no table (the join of contacts and values planned per request cost more than it ran).
     * custom_attributes as text, as the entity reads it (its @ColumnTransformer).
     */
    static final String SORTED_PAGE = "SELECT c.custom_attributes::text AS custom_attributes, c.id, c.workspace, c.name, c.full_name,"
            + " c.phone, c.email, c.branch_id, c.contact_group_id, c.description, c.address, c.is_favorite, c.avatar_key,"
            + " c.phone_number_id, c.version, c.created_at, c.updated_at, c.search_text"
            + " FROM contact_attribute_sorted_page(cast(:workspace as varchar), cast(:attribute as bigint), cast(:column as text),"
            + " cast(:descending as boolean), cast(:after as text), cast(:afterId as bigint), cast(:offset as integer),"
            + " cast(:limit as integer)) c";

    /** Contacts with a value, in value order, after a position when given. */
    private static Uni<List<Contact>> valued(String where, Parameters params, AttributeQuery.Resolved resolved, Object afterValue,
            Long afterId, int offset, int limit) {
        if (onlyWorkspace(where)) {
            String after = afterId == null ? null
                    : afterValue instanceof BigDecimal number ? number.toPlainString() : afterValue.toString();
            return Panache.getSession().flatMap(session -> session.createNativeQuery(SORTED_PAGE, Contact.class)
                    .setParameter("workspace", params.map().get("workspace"))
                    .setParameter("attribute", resolved.sortBy().id)
                    .setParameter("column", switch (resolved.sortBy().attributeType().column) {
                        case "numValue" -> "num_value";
                        case "tsValue" -> "ts_value";
                        default -> "text_value";
                    })
                    .setParameter("descending", resolved.descending())
                    .setParameter("after", after)
                    .setParameter("afterId", afterId)
                    .setParameter("offset", offset)
                    .setParameter("limit", limit)
                    .getResultList());
        }
        String column = resolved.column();
        String direction = resolved.descending() ? " desc" : "";
        StringBuilder hql = new StringBuilder("select c from Contact c join AttributeValue v on v.contactId = c.id"
                + " where v.attributeId = :sortAttribute and " + column + " is not null and c.workspace = :workspace");
        if (!onlyWorkspace(where)) {
            // The listing's own filters, over their own Contact root so that their names stay unqualified.
            hql.append(" and c.id in (select id from Contact where ").append(where).append(')');
        }
        if (afterId != null) {
            hql.append(" and (").append(column).append(", v.contactId) ").append(resolved.descending() ? "<" : ">")
                    .append(" (:afterValue, :afterId)");
        }
        hql.append(" order by ").append(column).append(direction).append(", v.contactId").append(direction);
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery(hql.toString(), Contact.class);
            params.map().forEach(query::setParameter);
            query.setParameter("sortAttribute", resolved.sortBy().id);
            if (afterId != null) {
                query.setParameter("afterValue", afterValue);
                query.setParameter("afterId", afterId);
            }
            return query.setFirstResult(offset).setMaxResults(limit).getResultList();
        });
    }

    /** Contacts without a value, by id, after {@code afterId} when given. */
    private static Uni<List<Contact>> tail(String where, Parameters params, AttributeQuery.Resolved resolved, Long afterId, int offset,
            int limit) {
        String hql = "from Contact where " + where + " and id not in (select v.contactId from AttributeValue v"
                + " where v.attributeId = :sortAttribute and " + resolved.column() + " is not null)"
                + (afterId != null ? " and id > :afterId" : "") + " order by id";
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery(hql, Contact.class);
            params.map().forEach(query::setParameter);
            query.setParameter("sortAttribute", resolved.sortBy().id);
            if (afterId != null) {
                query.setParameter("afterId", afterId);
            }
            return query.setFirstResult(offset).setMaxResults(limit).getResultList();
        });
    }

    /** How many contacts with a value match (page mode, only once a page reaches past them). */
    private static Uni<Long> valuedCount(String where, Parameters params, AttributeQuery.Resolved resolved, List<Contact> rows,
            PageRequest paging) {
        if (!rows.isEmpty()) {
            return Uni.createFrom().item((long) paging.offset() + rows.size());
        }
        String hql = "select count(*) from Contact c join AttributeValue v on v.contactId = c.id where v.attributeId = :sortAttribute and "
                + resolved.column() + " is not null and c.workspace = :workspace"
                + (onlyWorkspace(where) ? "" : " and c.id in (select id from Contact where " + where + ")");
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery(hql, Long.class);
            params.map().forEach(query::setParameter);
            return query.setParameter("sortAttribute", resolved.sortBy().id).getSingleResult();
        });
    }

    /** Counts matches up to {@code limit + 1}, like the other listings (one more tells counting stopped). */
    private static Uni<Long> count(String where, Parameters params, int limit) {
        return Panache.getSession().flatMap(session -> {
            var count = session.createSelectionQuery("select count(*) from (select id as id from Contact where " + where
                    + " order by id limit :countLimit) counted", Long.class);
            params.map().forEach(count::setParameter);
            return count.setParameter("countLimit", limit + 1).getSingleResult();
        });
    }

    /** The cursor that resumes after {@code last}: its value, or the no-value part when it has none. */
    private static Cursor cursorAfter(Contact last, AttributeQuery.Resolved resolved) {
        var stored = AttributeChanges.parse(last.customAttributes).get(resolved.sortBy().key);
        Object value = stored == null || stored.isNull() ? null : resolved.sortBy().attributeType().columnValue(stored);
        return new Cursor(resolved.sortParam(), resolved.encode(value), last.id);
    }
}
