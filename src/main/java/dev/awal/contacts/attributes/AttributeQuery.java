package dev.awal.contacts.attributes;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.Cursor;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;

/**
 * The attribute filters and sort of a contact listing, from query parameters in deepObject style:
 * {@code attributes[tier]=gold,silver}, {@code attributes[orders][gte]=3} (also lte, gt, lt),
 * {@code attributes[vip][exists]=true}, and {@code sort=attributes.orders} / {@code -attributes.orders}.
 * Each filter is a semi-join on the typed index of {@code contact_attribute_values}.
 */
public final class AttributeQuery {

    private static final Pattern PARAM = Pattern.compile("attributes\\[([^\\[\\]]*)\\](?:\\[([^\\[\\]]*)\\])?");
    private static final List<String> OPERATORS = List.of("gte", "lte", "gt", "lt", "exists");
    private static final int MAX_FILTERS = 20;
    private static final int MAX_VALUES = 100;
    /** A windowed list of values up to this long merges one walk per value; a longer one is sized and sorted. */
    private static final int MAX_MERGED_VALUES = 20;
    /** A window up to this many matches (offset + page) is read by V26's function; a longer one stays a subquery. */
    private static final int MAX_WINDOW_IDS = 1000;
    public static final String SORT_PREFIX = "attributes.";

    private record Condition(String param, String key, String operator, String value) {
    }

    private final List<Condition> conditions;
    private final String sortKey;
    private final boolean descending;
    /** " desc" or " asc" when the listing is sorted by created_at (the default is newest first), else null. */
    private final String createdOrder;

    private AttributeQuery(List<Condition> conditions, String sortKey, boolean descending, String createdOrder) {
        this.conditions = conditions;
        this.sortKey = sortKey;
        this.descending = descending;
        this.createdOrder = createdOrder;
    }

    /** Reads the attribute parameters; a malformed one is a 400 naming it. */
    public static AttributeQuery parse(MultiMap params, String sort) {
        List<Condition> conditions = new ArrayList<>();
        for (String name : params.names()) {
            if (!name.startsWith("attributes[")) {
                continue;
            }
            Matcher matcher = PARAM.matcher(name);
            if (!matcher.matches() || !AttributeInput.KEY.matcher(matcher.group(1)).matches()) {
                throw QueryParams.invalid(showable(name), "must be attributes[key]=values or attributes[key][operator]=value, "
                        + "key in snake_case");
            }
            String operator = matcher.group(2) == null ? "eq" : matcher.group(2);
            if (!operator.equals("eq") && !OPERATORS.contains(operator)) {
                throw QueryParams.invalid(name, "the operator must be one of " + OPERATORS);
            }
            List<String> values = params.getAll(name);
            if (values.size() > 1) {
                throw QueryParams.invalid(name, "must be given once");
            }
            String value = values.get(0);
            if (InputFields.decodedFromInvalidUtf8(value) || !InputFields.storable(value)) {
                throw QueryParams.invalid(name, InputFields.UNSTORABLE);
            }
            if (value.isBlank()) {
                throw QueryParams.invalid(name, "must not be empty");
            }
            conditions.add(new Condition(name, matcher.group(1), operator, value));
        }
        if (conditions.size() > MAX_FILTERS) {
            throw QueryParams.invalid("attributes", "at most " + MAX_FILTERS + " attribute filters");
        }
        String sortKey = null;
        boolean descending = false;
        if (sort != null) {
            String stripped = sort.strip();
            descending = stripped.startsWith("-");
            String name = descending ? stripped.substring(1) : stripped;
            if (name.startsWith(SORT_PREFIX)) {
                sortKey = name.substring(SORT_PREFIX.length());
                if (!AttributeInput.KEY.matcher(sortKey).matches()) {
                    throw QueryParams.invalid("sort", "attributes.<key> needs a snake_case key");
                }
            }
        }
        String stripped = sort == null ? "" : sort.strip();
        String createdOrder = stripped.isEmpty() || stripped.equals("-created_at") ? " desc"
                : stripped.equals("created_at") ? " asc" : null;
        return new AttributeQuery(conditions, sortKey, descending, createdOrder);
    }

    private static String showable(String name) {
        return name.length() > 80 || !InputFields.storable(name) ? "attributes" : name;
    }

    /** Whether the listing is sorted by an attribute. */
    public boolean sorts() {
        return sortKey != null;
    }

    /** The sort as clients name it (cursors are bound to it). */
    public String sortParam() {
        return (descending ? "-" : "") + SORT_PREFIX + sortKey;
    }

    /**
     * Looks the keys up in the workspace (an unknown one is a 400 naming the parameter) and types the values.
     * {@code filter} and {@code paging}: the listing's other filters and its page, which decide whether one
     * attribute filter alone can carry the page's position and size (see {@link Window}).
     */
    public Uni<Resolved> resolve(String workspace, ContactFilter filter, PageRequest paging) {
        if (conditions.isEmpty() && sortKey == null) {
            return Uni.createFrom().item(Resolved.NONE);
        }
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        conditions.forEach(condition -> keys.add(condition.key()));
        if (sortKey != null) {
            keys.add(sortKey);
        }
        // Inside the pipeline: a cursor's bad position is a failed Uni (the 400 envelope), like every other check here.
        return AttributeDefinition.ofKeys(workspace, new ArrayList<>(keys))
                .flatMap(definitions -> resolve(definitions, window(filter, paging)));
    }

    /**
     * Where the page starts (after a cursor, in created_at order) and how many matches the page's statement can
     * need: the page plus one in cursor mode, the offset plus the page in page mode (whose total is counted on
     * the value index, see {@link Resolved#counter()}).
     */
    private record Window(Instant afterAt, Long afterId, int limit) {
    }

    /**
     * A window when one equality or range filter (the bounds of one attribute) is the listing's only filter and
     * the listing is in created_at order: then its subquery alone decides which contacts make the page, so it can
     * stop after them. Otherwise null (other filters may reject any of the attribute's matches).
     */
    private Window window(ContactFilter filter, PageRequest paging) {
        if (createdOrder == null || sortKey != null || conditions.isEmpty() || !oneFilter() || filter.search() != null
                || filter.groupId() != null || filter.branchId() != null || filter.favorite() != null || filter.phoneNumberId() != null) {
            return null;
        }
        Cursor after = paging.cursor();
        int limit = paging.cursorMode() ? paging.perPage() + 1 : paging.offset() + paging.perPage();
        return after == null ? new Window(null, null, limit) : new Window(Instant.ofEpochSecond(after.epochSeconds()), after.id(), limit);
    }

    /** Whether the conditions are one equality or range, or the bounds of one range. */
    private boolean oneFilter() {
        Condition first = conditions.get(0);
        return conditions.size() == 1 ? !first.operator().equals("exists")
                : conditions.stream().allMatch(c -> c.key().equals(first.key()) && !c.operator().equals("eq")
                        && !c.operator().equals("exists"));
    }

    /**
     * One filter, typed: its attribute, the values of an equality, or the operators and bounds of a range (one
     * per parameter; the bounds of one attribute are one filter when it is the listing's only one).
     */
    private record Filter(Condition condition, String attr, long attributeId, String column, List<Object> values, List<String> ops,
            List<Object> bounds) {

        /** " from AttributeValue v where ..." with {@code value} as the value expression (exists: the attribute's values). */
        String from(String value) {
            StringBuilder from = new StringBuilder(" from AttributeValue v where v.attributeId = :").append(attr)
                    .append(" and ").append(column).append(" is not null");
            if (values != null) {
                from.append(" and ").append(value).append(values.size() == 1 ? " = :" + attr + "v" : " in (:" + attr + "v)");
            } else if (ops != null) {
                for (int i = 0; i < ops.size(); i++) {
                    from.append(" and ").append(value).append(' ').append(ops.get(i)).append(" :").append(bound(i));
                }
            }
            return from.toString();
        }

        String from() {
            return from(column);
        }

        Parameters params() {
            Parameters params = Parameters.with(attr, attributeId);
            if (values != null) {
                params.and(attr + "v", values.size() == 1 ? values.get(0) : values);
            } else if (ops != null) {
                for (int i = 0; i < ops.size(); i++) {
                    params.and(bound(i), bounds.get(i));
                }
            }
            return params;
        }

        private String bound(int i) {
            return attr + "v" + (i == 0 ? "" : String.valueOf(i));
        }

        /** This range with the bounds of {@code other} (a range of the same attribute) added. */
        Filter and(Filter other) {
            List<String> allOps = new ArrayList<>(ops);
            allOps.addAll(other.ops());
            List<Object> allBounds = new ArrayList<>(bounds);
            allBounds.addAll(other.bounds());
            return new Filter(condition, attr, attributeId, column, null, allOps, allBounds);
        }
    }

    private Uni<Resolved> resolve(List<AttributeDefinition> definitions, Window window) {
        Map<String, AttributeDefinition> byKey = new LinkedHashMap<>();
        definitions.forEach(definition -> byKey.put(definition.key, definition));
        List<Filter> filters = new ArrayList<>();
        for (Condition condition : conditions) {
            AttributeDefinition definition = byKey.get(condition.key());
            if (definition == null) {
                throw QueryParams.invalid(condition.param(), "'" + condition.key() + "' is not an attribute defined in this workspace");
            }
            filters.add(filter(condition, definition, "attr" + filters.size()));
        }
        if (window != null && filters.size() > 1) {
            // The bounds of one range (gte and lte of the same attribute) are one windowed filter.
            filters = List.of(filters.stream().reduce(Filter::and).orElseThrow());
        }
        List<Filter> resolvedFilters = filters;
        AttributeDefinition sortBy = null;
        if (sortKey != null) {
            sortBy = byKey.get(sortKey);
            if (sortBy == null) {
                throw QueryParams.invalid("sort", "'" + sortKey + "' is not an attribute defined in this workspace");
            }
        }
        AttributeDefinition sortedBy = sortBy;
        if (window != null && window.limit() <= MAX_WINDOW_IDS && resolvedFilters.size() == 1 && config(AttributesConfig.class).windowIds()) {
            Filter only = resolvedFilters.get(0);
            if (only.ops() != null || (only.values() != null && only.values().size() <= MAX_MERGED_VALUES)) {
                // The page is read by V26's function (AttributeListing#windowed); its total is counted on the value index.
                return Uni.createFrom().item(new Resolved("", new Parameters(), null, false, null, limit -> count(only, limit),
                        windowPage(only, window)));
            }
        }
        Uni<List<Boolean>> narrow = Uni.createFrom().item(new ArrayList<>());
        for (Filter filter : filters) {
            boolean windowedRange = window != null && filter.ops() != null;
            narrow = narrow.flatMap(found -> (probed(filter, window) ? narrow(filter, windowedRange) : Uni.createFrom().item(false))
                    .map(isNarrow -> {
                        found.add(isNarrow);
                        return found;
                    }));
        }
        return narrow.map(found -> {
            StringBuilder where = new StringBuilder();
            Parameters params = new Parameters();
            for (int i = 0; i < resolvedFilters.size(); i++) {
                Filter filter = resolvedFilters.get(i);
                Condition condition = filter.condition();
                boolean sorted = found.get(i);
                if (window != null && !sorted && (filter.ops() != null || filter.values().size() <= MAX_MERGED_VALUES)) {
                    windowed(filter, window, where, params);
                    continue;
                }
                if (condition.operator().equals("exists")) {
                    where.append(existsValue(condition) ? " and id in" : " and id not in").append(" (select v.contactId");
                } else if (createdOrder != null && (sorted || !ordered(condition))) {
                    // The pair (created_at, id) rather than the id alone: the planner then knows that the values'
                    // created_at is the contact's, and walks the value index (attribute_id, value, created_at,
                    // contact_id) in the listing's created_at order, stopping at the page size. The key index
                    // (contact_id, attribute_id) proves the pairs unique, so no de-duplication breaks that order.
                    where.append(" and (createdAt, id) in (select ").append(sorted ? "distinct " : "").append("v.createdAt, v.contactId");
                } else {
                    // Other sorts, and a range or list matching many contacts together with other filters: the
                    // planner walks the listing's own index and probes each contact's value in the key index (its
                    // estimate for the pair form is far too low to choose that walk).
                    where.append(" and id in (select v.contactId");
                }
                where.append(filter.from());
                if (sorted) {
                    // A range (or a list of values) is no single index range in created_at order. When it matches
                    // few contacts, the matching pairs, read from the value index alone, are sorted in the
                    // listing's order before any contact is fetched, so only a page's contacts are.
                    where.append(" order by v.createdAt").append(createdOrder).append(", v.contactId").append(createdOrder);
                }
                where.append(')');
                filter.params().map().forEach(params::and);
            }
            // A windowed filter is the listing's only one: its matches are its value index entries, which a page's
            // capped total counts alone (at most the count limit of index-only entries, no contact read).
            IntFunction<Uni<Long>> counter = window == null ? null : limit -> count(resolvedFilters.get(0), limit);
            return new Resolved(where.toString(), params, sortedBy, descending, sortKey == null ? null : sortParam(), counter, null);
        });
    }

    /**
     * The call of V26's contact_attribute_window_page for the listing's only filter: the page's contacts in one
     * statement (one snapshot, so a full page and its next cursor are decided on the rows it shows), whose own
     * statements keep their generic plans for the connection (planning the filter's subquery inside the
     * listing's statement on every request cost more than running it: bench/results/attrs-statement.md).
     */
    private WindowPage windowPage(Filter filter, Window window) {
        String values = null;
        String low = null;
        String high = null;
        boolean lowStrict = false;
        boolean highStrict = false;
        if (filter.values() != null) {
            var array = JsonNodeFactory.instance.arrayNode();
            new LinkedHashSet<>(filter.values()).forEach(value -> array.add(text(value)));
            values = array.toString();
        } else {
            // The tightest bound of each side; of two equal ones, the strict.
            Comparable<Object> lowest = null;
            Comparable<Object> highest = null;
            for (int i = 0; i < filter.ops().size(); i++) {
                String op = filter.ops().get(i);
                @SuppressWarnings("unchecked")
                Comparable<Object> bound = (Comparable<Object>) filter.bounds().get(i);
                boolean strict = op.length() == 1;
                if (op.startsWith(">")) {
                    int order = lowest == null ? 1 : bound.compareTo(lowest);
                    if (order > 0 || (order == 0 && strict)) {
                        lowest = bound;
                        lowStrict = strict;
                    }
                } else {
                    int order = highest == null ? -1 : bound.compareTo(highest);
                    if (order < 0 || (order == 0 && strict)) {
                        highest = bound;
                        highStrict = strict;
                    }
                }
            }
            low = lowest == null ? null : text(lowest);
            high = highest == null ? null : text(highest);
        }
        String column = switch (filter.column()) {
            case "v.numValue" -> "num_value";
            case "v.tsValue" -> "ts_value";
            default -> "text_value";
        };
        return new WindowPage(filter.attributeId(), column, values, low, lowStrict, high, highStrict, createdOrder.equals(" desc"),
                window.afterAt(), window.afterId(), config(AttributesConfig.class).rangeSortLimit());
    }

    /**
     * The parameters of V26's contact_attribute_window_page but the page's offset and size: the attribute, its
     * typed column, the values of an equality (a JSON array of text) or the tightest bounds of a range, the
     * listing's direction and the cursor's position (null on a first page).
     */
    public record WindowPage(long attributeId, String column, String values, String low, boolean lowStrict, String high,
            boolean highStrict, boolean descending, Instant afterAt, Long afterId, int sortLimit) {

        /** The statement; every parameter cast, so that nulls are typed. custom_attributes as text, as the entity reads it. */
        static final String STATEMENT = "SELECT c.custom_attributes::text AS custom_attributes, c.id, c.workspace, c.name,"
                + " c.full_name, c.phone, c.email, c.branch_id, c.contact_group_id, c.description, c.address, c.is_favorite,"
                + " c.avatar_key, c.phone_number_id, c.version, c.created_at, c.updated_at, c.search_text"
                + " FROM contact_attribute_window_page(cast(:workspace as varchar), cast(:attribute as bigint),"
                + " cast(:column as text), cast(cast(:values as text) as jsonb), cast(:low as text), cast(:lowStrict as boolean),"
                + " cast(:high as text), cast(:highStrict as boolean), cast(:descending as boolean), cast(:afterAt as timestamptz),"
                + " cast(:afterId as bigint), cast(:offset as integer), cast(:limit as integer), cast(:sortLimit as integer)) c";

        /** The page's contacts of {@code workspace}: {@code limit} of them after {@code offset}. */
        Uni<List<Contact>> read(String workspace, int offset, int limit) {
            return Panache.getSession().flatMap(session -> session.createNativeQuery(STATEMENT, Contact.class)
                    .setParameter("workspace", workspace)
                    .setParameter("attribute", attributeId)
                    .setParameter("column", column)
                    .setParameter("values", values)
                    .setParameter("low", low)
                    .setParameter("lowStrict", lowStrict)
                    .setParameter("high", high)
                    .setParameter("highStrict", highStrict)
                    .setParameter("descending", descending)
                    .setParameter("afterAt", afterAt == null ? null : afterAt.atOffset(ZoneOffset.UTC))
                    .setParameter("afterId", afterId)
                    .setParameter("offset", offset)
                    .setParameter("limit", limit)
                    .setParameter("sortLimit", sortLimit)
                    .getResultList());
        }
    }

    /** A typed filter value as the function's text parameters carry it. */
    private static String text(Object value) {
        return value instanceof BigDecimal number ? number.toPlainString() : value.toString();
    }

    /** Whether a filter is sized by a probe first (a range; a list of values unless it is windowed). */
    private boolean probed(Filter filter, Window window) {
        if (!ordered(filter.condition())) {
            return false;
        }
        return window == null || filter.ops() != null || filter.values().size() > MAX_MERGED_VALUES;
    }

    /**
     * The only filter of a listing in created_at order, as a subquery that yields the page's matches in the
     * listing's order, after the cursor's position, and stops after {@link Window#limit()} of them (DISTINCT:
     * the pairs are unique anyway, and saying so lets the outer statement stream them instead of collecting
     * them to de-duplicate). One value walks (attribute_id, value, created_at, contact_id) from the position;
     * a list of values merges one such walk per value; a range matching more contacts than
     * {@link AttributesConfig#rangeSortLimit()} walks the attribute's own created_at order (V22) with the
     * range as a filter on the included value, about limit / selectivity entries. The range is compared
     * through coalesce(value, value), which no value index matches: otherwise the planner, estimating a range
     * of a shared typed column 10-20x too low, reads and sorts every match instead (bench/attributes/findings.md).
     */
    private void windowed(Filter given, Window window, StringBuilder where, Parameters params) {
        // A value given twice is one walk ("red,red" is "red").
        Filter filter = given.values() == null ? given : new Filter(given.condition(), given.attr(), given.attributeId(),
                given.column(), new ArrayList<>(new LinkedHashSet<>(given.values())), null, null);
        String comparison = createdOrder.equals(" desc") ? " < " : " > ";
        String position = window.afterId() == null ? ""
                : " and (v.createdAt, v.contactId)" + comparison + "(:" + filter.attr() + "At, :" + filter.attr() + "Id)";
        String order = " order by v.createdAt" + createdOrder + ", v.contactId" + createdOrder + " limit :" + filter.attr() + "Limit";
        params.and(filter.attr(), filter.attributeId()).and(filter.attr() + "Limit", window.limit());
        if (window.afterId() != null) {
            params.and(filter.attr() + "At", window.afterAt()).and(filter.attr() + "Id", window.afterId());
        }
        where.append(" and (createdAt, id) in (select distinct ");
        if (filter.values() != null && filter.values().size() > 1) {
            List<String> branches = new ArrayList<>();
            for (Object value : filter.values()) {
                String name = filter.attr() + "v" + branches.size();
                branches.add("(select v.createdAt as createdAt, v.contactId as contactId from AttributeValue v where v.attributeId = :"
                        + filter.attr() + " and " + filter.column() + " is not null and " + filter.column() + " = :" + name
                        + position + order + ")");
                params.and(name, value);
            }
            where.append("p.createdAt, p.contactId from (").append(String.join(" union all ", branches))
                    .append(") p order by p.createdAt").append(createdOrder).append(", p.contactId").append(createdOrder)
                    .append(" limit :").append(filter.attr()).append("Limit)");
            return;
        }
        String value = filter.ops() == null ? filter.column() : "coalesce(" + filter.column() + ", " + filter.column() + ")";
        where.append("v.createdAt, v.contactId").append(filter.from(value)).append(position).append(order).append(')');
        filter.params().map().forEach(params::and);
    }

    /**
     * Whether a filter matches at most {@link AttributesConfig#filterSortLimit()} contacts (or
     * {@link AttributesConfig#rangeSortLimit()} when it is the listing's only filter); reads that many index entries at
     * most. Up to there, sorting the matches costs less than walking the listing and probing each contact at that
     * density; the sort's cost is bounded whatever the planner estimates (bench/attributes/findings.md).
     */
    private static Uni<Boolean> narrow(Filter filter, boolean windowedRange) {
        AttributesConfig config = config(AttributesConfig.class);
        int limit = windowedRange ? config.rangeSortLimit() : config.filterSortLimit();
        return count(filter, limit).map(count -> count <= limit);
    }

    /** The filter's matching value index entries, counted up to {@code limit + 1}. */
    private static Uni<Long> count(Filter filter, int limit) {
        String hql = "select count(*) from (select v.contactId as id" + filter.from()
                + " order by v.attributeId limit :probeLimit) probed";
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery(hql, Long.class);
            filter.params().map().forEach(query::setParameter);
            return query.setParameter("probeLimit", limit + 1).getSingleResult();
        });
    }

    private static <T> T config(Class<T> mapping) {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(mapping);
    }

    private static Filter filter(Condition condition, AttributeDefinition definition, String attr) {
        AttributeType type = definition.attributeType();
        String column = "v." + type.column;
        switch (condition.operator()) {
            case "exists" -> {
                existsValue(condition);
                return new Filter(condition, attr, definition.id, column, null, null, null);
            }
            case "eq" -> {
                List<Object> values = new ArrayList<>();
                for (String raw : condition.value().split(",", -1)) {
                    values.add(typed(condition, definition, raw));
                }
                if (values.size() > MAX_VALUES) {
                    throw QueryParams.invalid(condition.param(), "at most " + MAX_VALUES + " values");
                }
                // One value is one ordered index range; a list is not (PostgreSQL 15): it is merged or sized.
                return new Filter(condition, attr, definition.id, column, values, null, null);
            }
            default -> {
                if (!type.ordered()) {
                    throw QueryParams.invalid(condition.param(), condition.operator()
                            + " applies to number, date and datetime attributes; '" + definition.key + "' is " + type.api);
                }
                String op = switch (condition.operator()) {
                    case "gte" -> ">=";
                    case "lte" -> "<=";
                    case "gt" -> ">";
                    default -> "<";
                };
                return new Filter(condition, attr, definition.id, column, null, List.of(op),
                        List.of(typed(condition, definition, condition.value())));
            }
        }
    }

    /** Whether a filter's subquery sorts its pairs itself (see {@link #resolve(List, Window)}). */
    private boolean ordered(Condition condition) {
        return createdOrder != null && !condition.operator().equals("exists")
                && (!condition.operator().equals("eq") || condition.value().contains(","));
    }

    private static boolean existsValue(Condition condition) {
        return switch (condition.value().strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw QueryParams.invalid(condition.param(), "must be true or false");
        };
    }

    private static Object typed(Condition condition, AttributeDefinition definition, String raw) {
        if (raw.isBlank()) {
            throw QueryParams.invalid(condition.param(), "has an empty value");
        }
        try {
            return definition.attributeType().filterValue(definition, raw);
        } catch (IllegalArgumentException e) {
            throw QueryParams.invalid(condition.param(), e.getMessage());
        }
    }

    /**
     * The filters as a where-clause continuation (" and ..." over the Contact root) with their
     * parameters, the attribute to sort by, if any, and the count of a page's capped total when the filters
     * count it themselves (else null: the listing counts its own rows). {@code window}, when not null: the
     * listing's only filter reads the whole page itself ({@link AttributeListing#windowed}), and {@code where} is empty.
     */
    public record Resolved(String where, Parameters params, AttributeDefinition sortBy, boolean descending, String sortParam,
            IntFunction<Uni<Long>> counter, WindowPage window) {
        static final Resolved NONE = new Resolved("", new Parameters(), null, false, null, null, null);

        public static Resolved none() {
            return NONE;
        }

        /** Adds these filters' parameters to {@code others}. */
        public Parameters addTo(Parameters others) {
            params.map().forEach(others::and);
            return others;
        }

        String column() {
            return "v." + sortBy.attributeType().column;
        }

        /** A sort position as cursor text: "v" and the value (base64url), or "n" past the contacts with a value. */
        String encode(Object value) {
            if (value == null) {
                return "n";
            }
            String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
            return "v" + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The sort value of a cursor; null for the contacts without a value; a forged one is a 400. */
        Object decode(String cursorValue) {
            if (cursorValue.equals("n")) {
                return null;
            }
            try {
                if (!cursorValue.startsWith("v")) {
                    throw new IllegalArgumentException();
                }
                String text = new String(Base64.getUrlDecoder().decode(cursorValue.substring(1)), StandardCharsets.UTF_8);
                return switch (sortBy.attributeType()) {
                    case NUMBER -> {
                        BigDecimal number = new BigDecimal(text);
                        if (number.abs().compareTo(AttributeType.MAX_NUMBER) >= 0 || number.scale() > AttributeType.MAX_SCALE) {
                            throw new IllegalArgumentException();
                        }
                        yield number;
                    }
                    case DATE, DATETIME -> {
                        Instant instant = Instant.parse(text);
                        if (instant.getEpochSecond() < -62_135_596_800L || instant.getEpochSecond() > 253_402_300_799L) {
                            throw new IllegalArgumentException();
                        }
                        yield instant;
                    }
                    default -> {
                        if (!InputFields.storable(text) || text.length() > 4000) {
                            throw new IllegalArgumentException();
                        }
                        yield text;
                    }
                };
            } catch (RuntimeException e) {
                throw forgedCursor();
            }
        }
    }

    static ApiException forgedCursor() {
        return QueryParams.invalid("cursor", "is not a cursor issued for this listing and sort; start again without it");
    }
}
