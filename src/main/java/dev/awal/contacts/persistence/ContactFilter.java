package dev.awal.contacts.persistence;

import java.time.Instant;
import java.util.regex.Pattern;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.Cursor;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PhoneNumbers;
import dev.awal.contacts.api.QueryParams;
import io.quarkus.panache.common.Parameters;

/** List filters, search and sort for contacts, turned into one HQL where-clause and order. */
public record ContactFilter(String search, Long groupId, Long branchId, Boolean favorite, String phoneNumberId,
        SortKey sort, boolean descending) {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,64}");
    private static final Pattern ARABIC = Pattern.compile("[\\u0600-\\u06FF]");

    public enum SortKey {
        CREATED_AT("created_at", "createdAt"), NAME("name", "name"), UPDATED_AT("updated_at", "updatedAt");

        /** The name clients sort by. */
        public final String param;
        /** The entity property it orders by. */
        final String property;

        SortKey(String param, String property) {
            this.param = param;
            this.property = property;
        }
    }

    public static ContactFilter parse(String search, String groupId, String branchId, String favorite, String phoneNumberId,
            String sort) {
        String term = QueryParams.search(search);
        if (phoneNumberId != null && !phoneNumberId.isEmpty() && !DIGITS.matcher(phoneNumberId).matches()) {
            throw QueryParams.invalid("phone_number_id", "must be digits");
        }
        String sortParam = sort == null || sort.isBlank() ? "-created_at" : sort.strip();
        boolean descending = sortParam.startsWith("-");
        String sortName = descending ? sortParam.substring(1) : sortParam;
        SortKey key = null;
        for (SortKey candidate : SortKey.values()) {
            if (candidate.param.equals(sortName)) {
                key = candidate;
            }
        }
        if (key == null) {
            throw QueryParams.invalid("sort", "must be created_at, name, updated_at or attributes.<key>, optionally prefixed with -");
        }
        return new ContactFilter(term, QueryParams.id("contact_group_id", groupId), QueryParams.id("branch_id", branchId),
                QueryParams.bool("is_favorite", favorite), phoneNumberId == null || phoneNumberId.isEmpty() ? null : phoneNumberId,
                key, descending);
    }

    /** The sort as clients name it, which cursors are bound to. */
    public String sortParam() {
        return (descending ? "-" : "") + sort.param;
    }

    /** The sort as an HQL order-by list; id breaks ties in the same direction. */
    String orderBy() {
        String direction = descending ? " desc" : "";
        return sort.property + direction + ", id" + direction;
    }

    /** The where-clause and its parameters, optionally starting after a cursor position. */
    public Query where(String workspace, Cursor after) {
        StringBuilder where = new StringBuilder("workspace = :workspace");
        Parameters params = Parameters.with("workspace", workspace);
        equal(where, params, "contactGroupId", "groupId", groupId);
        equal(where, params, "branchId", "branchId", branchId);
        equal(where, params, "isFavorite", "favorite", favorite);
        equal(where, params, "phoneNumberId", "phoneNumberId", phoneNumberId);
        if (search != null) {
            // contacts_search_pattern, not contacts_fold(:text): see V6__search_pattern_function.sql.
            if (ARABIC.matcher(search).find()) {
                // The index sees the pattern without the common trigrams of Arabic articles and endings (V18),
                // a superset of the matches; the folded term as a substring decides. "<> 0" keeps the
                // planner's row estimate. Other terms keep the one LIKE, whose trigrams are all selective.
                where.append(" and ((searchText like cast(contacts_search_index_pattern(:text, '%') as String) escape '!'"
                        + " and locate(cast(contacts_search_pattern(:term, '') as String), searchText) <> 0)");
                params.and("term", search);
            } else {
                where.append(" and (searchText like cast(contacts_search_pattern(:text, '%') as String) escape '!'");
            }
            params.and("text", QueryParams.escapeLike(search));
            String digits = PhoneNumbers.digitsOf(search);
            if (!digits.isEmpty()) {
                where.append(" or phone like :digits");
                params.and("digits", "%" + digits + "%");
            }
            where.append(')');
        }
        if (after != null) {
            // A row-value comparison, not "a < x or (a = x and id < y)": PostgreSQL turns it into one
            // index range, so page 5,000 starts as fast as page 2. The OR form only filters the scan.
            where.append(" and (").append(sort.property).append(", id) ").append(descending ? "<" : ">")
                    .append(" (:afterValue, :afterId)");
            params.and("afterValue", sort == SortKey.NAME ? storableName(after) : instant(after));
            params.and("afterId", after.id());
        }
        return new Query(where.toString(), params);
    }

    /** Adds "property = :name" when the filter has a value for it. */
    private static void equal(StringBuilder where, Parameters params, String property, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(property).append(" = :").append(name);
            params.and(name, value);
        }
    }

    /** Earliest and latest instants a cursor may carry: years 1 to 9999, well inside PostgreSQL's range. */
    private static final long MIN_EPOCH_SECOND = -62_135_596_800L;
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    /** A forged cursor's value must not reach the database as text it cannot store (a 400, not a 500). */
    private static String storableName(Cursor after) {
        if (!InputFields.storable(after.value())) {
            throw forgedCursor();
        }
        return after.value();
    }

    /** Nor as a timestamp Java or PostgreSQL cannot represent. */
    private static Instant instant(Cursor after) {
        long seconds = after.epochSeconds();
        if (seconds < MIN_EPOCH_SECOND || seconds > MAX_EPOCH_SECOND) {
            throw forgedCursor();
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static ApiException forgedCursor() {
        return QueryParams.invalid("cursor", "is not a cursor issued for this listing and sort; start again without it");
    }

    /** The cursor that resumes after this contact. */
    public Cursor cursorAfter(Contact last) {
        String value = switch (sort) {
            case CREATED_AT -> String.valueOf(last.createdAt.getEpochSecond());
            case UPDATED_AT -> String.valueOf(last.updatedAt.getEpochSecond());
            case NAME -> last.name;
        };
        return new Cursor(sortParam(), value, last.id);
    }

    public record Query(String where, Parameters params) {
    }

}
