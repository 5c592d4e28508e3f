package dev.awal.contacts.contact;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.observability.DomainMetrics;
import dev.awal.contacts.persistence.Clock;
import dev.awal.contacts.persistence.Contact;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Creates or updates contacts by phone, many in one statement: {@code INSERT … ON CONFLICT (workspace, phone)
 * DO UPDATE} over {@code unnest} arrays. The unique constraint decides races, so concurrent upserts of one
 * phone end in one contact; each item is written by that single statement or not at all. Fields an item
 * does not send keep their stored value on update (a bit mask per item says which were sent).
 */
@ApplicationScoped
public class ContactUpsert {

    public static final int MAX_BATCH = 100;

    /** What happens to an item whose phone already belongs to a contact. */
    public enum OnDuplicate {
        UPDATE, SKIP, ERROR;

        public static OnDuplicate parse(String raw) {
            if (raw == null) {
                return UPDATE;
            }
            return switch (raw) {
                case "update" -> UPDATE;
                case "skip" -> SKIP;
                case "error" -> ERROR;
                default -> null;
            };
        }
    }

    public enum Result {
        CREATED(201), UPDATED(200), UNCHANGED(200), SKIPPED(200), FAILED(0);

        final int status;

        Result(int status) {
            this.status = status;
        }
    }

    /** One validated item; {@code index} is its position in the request. */
    record Item(int index, ContactInput input) {
    }

    /** The outcome of one item: a contact, or the error that item answers with. */
    record Outcome(int index, Result result, Contact contact, ApiException error) {
        int status() {
            return result == Result.FAILED ? error.code().status() : result.status;
        }
    }

    private record Column(String name, String type, int bit) {
    }

    /** Optional columns and their bit in the per-item "sent" mask; name and phone are always sent. */
    private static final List<Column> OPTIONAL = List.of(new Column("full_name", "text", 1),
            new Column("email", "text", 2), new Column("branch_id", "int8", 4),
            new Column("contact_group_id", "int8", 8), new Column("description", "text", 16),
            new Column("address", "text", 32), new Column("is_favorite", "bool", 64));
    /** The "sent" bit of custom_attributes (not in OPTIONAL: it merges instead of replacing). */
    private static final int ATTRIBUTES_BIT = 128;
    private static final String RETURNED = "c.id, c.workspace, c.phone, c.name, c.full_name, c.email, c.branch_id, "
            + "c.contact_group_id, c.description, c.address, c.is_favorite, c.avatar_key, c.phone_number_id, c.version, "
            + "c.created_at, c.updated_at, c.custom_attributes::text AS custom_attributes";
    private static final String OUTCOMES = """
            SELECT k.ord, k.branch_ok, k.group_ok, w.* FROM checked k LEFT JOIN written w ON w.phone = k.phone ORDER BY k.ord
            """;
    /**
     * Each written contact's event (events package), in the same statement: contact.created or contact.updated with
     * the fields that differ from the contact as this statement's snapshot saw it (all fields if it saw none).
     * Every sub-statement reads that one snapshot, so the lookup below still sees a conflicting contact as it was
     * before this statement updated it. Only an updated contact has a "before": the lookup is skipped for inserted
     * ones (a one-time filter ahead of the index scan), which are most of an import batch — measured at 1,000 rows
     * with 100 conflicts against a million contacts, 392 buffer reads instead of 4,000 for the lookups. Each
     * lookup goes through the unique (workspace, phone) index (the LIMIT keeps the planner from turning the lookups
     * into a join): without fresh statistics, as after a large import, {@code phone IN (SELECT phone FROM input)}
     * was planned as a scan of the whole workspace (measured: 2.1 s of a 1,000-row batch at 110k contacts, and most
     * of a 100-item batch's 1.4 s at 200k).
     */
    private static final String EVENTS = """
            , events_written AS (
              INSERT INTO events (workspace, type, data)
              SELECT $1, CASE WHEN w.inserted THEN 'contact.created' ELSE 'contact.updated' END,
                CASE WHEN w.inserted THEN jsonb_build_object('contact', w.event)
                  ELSE jsonb_build_object('changed', events_changed(b.event, w.event), 'contact', w.event) END
              FROM written w LEFT JOIN LATERAL (
                SELECT events_contact(o) AS event FROM contacts o
                WHERE NOT w.inserted AND o.workspace = $1 AND o.phone = w.phone LIMIT 1) b ON true
              ORDER BY w.phone)
            """;
    private static final int ATTEMPTS = 3;
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK = "40P01";

    /**
     * What the conflict branch needs of an item beyond its column values (which fields it sent, its attribute patch),
     * as one jsonb object keyed by phone. Read through an uncorrelated subquery (an InitPlan), it is built once
     * per statement, and only when a conflict needs it; each lookup is a binary search of the object's keys. The
     * correlated {@code (SELECT … FROM input s WHERE s.phone = EXCLUDED.phone)} it replaces scanned the whole batch,
     * once per field, for every conflicting row: measured at 1,000 items with 100 conflicts, ~150 ms of a ~450 ms
     * statement.
     */
    private static final String LOOKUP = """
            , lookup AS (SELECT jsonb_object_agg(phone, jsonb_build_array(sent, attributes::jsonb)) AS items FROM input)
            """;
    private static final String SENT = "((SELECT items FROM lookup) -> EXCLUDED.phone ->> 0)::int4";
    private static final String PATCH = "((SELECT items FROM lookup) -> EXCLUDED.phone -> 1)";

    private static final String UPSERT = upsert(RETURNED, OUTCOMES);
    /**
     * The same statement for an import batch, which needs of each row only whether it was written and how: no
     * contact travels back (measured: decoding the returned contacts was the busiest import work of the event loop).
     */
    private static final String IMPORT_UPSERT = upsert("c.id, c.phone",
            "SELECT k.ord, k.branch_ok, k.group_ok, w.id, w.inserted FROM checked k LEFT JOIN written w ON w.phone = k.phone");

    private static String upsert(String returned, String outcomes) {
        return input(4) + LOOKUP + """
            , written AS (
              INSERT INTO contacts AS c (workspace, phone, name, full_name, email, branch_id, contact_group_id,
                  description, address, is_favorite, custom_attributes, phone_number_id, version, created_at, updated_at)
              SELECT $1, phone, name, full_name, email, branch_id, contact_group_id, description, address,
                  coalesce(is_favorite, false), jsonb_strip_nulls(attributes::jsonb), $2, 0, $3, $3
              FROM checked WHERE branch_ok AND group_ok
              -- One lock order for every statement, so two batches sharing phones cannot deadlock.
              ORDER BY phone
              ON CONFLICT (workspace, phone) DO UPDATE SET name = EXCLUDED.name, %s, version = c.version + 1, updated_at = $3
              WHERE $4 AND (%s)
              RETURNING %s, (c.xmax = 0) AS inserted, events_contact(c) AS event)
            """.formatted(assignments(c -> "EXCLUDED." + c, SENT, PATCH), changed("EXCLUDED", SENT, PATCH), returned)
            + EVENTS + outcomes;
    }

    private static final String UPDATE_IF_MATCH = input(3) + """
            , written AS (
              UPDATE contacts AS c SET name = k.name, %s, version = c.version + 1, updated_at = $2
              FROM checked k
              WHERE c.workspace = $1 AND c.phone = k.phone AND k.branch_ok AND k.group_ok
                AND ($3::int4[] IS NULL OR c.version = ANY($3::int4[])) AND (%s)
              RETURNING %s, false AS inserted, events_contact(c) AS event)
            """.formatted(assignments(c -> "k." + c, "k.sent", "k.attributes"), changed("k", "k.sent", "k.attributes"), RETURNED)
            + EVENTS + OUTCOMES;

    private static final String CURRENT = "SELECT " + RETURNED + " FROM contacts c WHERE c.workspace = $1 AND c.phone = ANY($2::text[])";

    private final Pool pool;
    private final DomainMetrics metrics;

    ContactUpsert(Pool pool, DomainMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    /**
     * The CTE {@code input} (the items, from unnest arrays bound after parameter {@code $last}) and
     * {@code checked} (each item with whether its group and branch exist in the workspace).
     */
    private static String input(int last) {
        int p = last + 1;
        StringBuilder arrays = new StringBuilder("$" + p++ + "::int4[], $" + p++ + "::text[], $" + p++ + "::text[]");
        for (Column column : OPTIONAL) {
            arrays.append(", $").append(p++).append("::").append(column.type()).append("[]");
        }
        arrays.append(", $").append(p++).append("::text[]");
        arrays.append(", $").append(p).append("::int4[]");
        return """
                WITH input AS (
                  SELECT * FROM unnest(%s)
                    AS i(ord, phone, name, full_name, email, branch_id, contact_group_id, description, address, is_favorite,
                      attributes, sent)
                ), checked AS (
                  -- References must exist in the same workspace (the foreign keys alone only say "somewhere").
                  -- FOR SHARE, as a single create holds them: a deletion (which locks its row FOR NO KEY UPDATE,
                  -- no conflict with the foreign key's own lock) waits and then unlinks these contacts.
                  -- The group before the branch (the output list is evaluated left to right), the order every
                  -- writer takes them in: a group deletion holds the group, then unlinks its branches.
                  SELECT i.*,
                    i.contact_group_id IS NULL OR EXISTS (SELECT 1 FROM contact_groups g WHERE g.workspace = $1 AND g.id = i.contact_group_id FOR SHARE) AS group_ok,
                    i.branch_id IS NULL OR EXISTS (SELECT 1 FROM branches b WHERE b.workspace = $1 AND b.id = i.branch_id FOR SHARE) AS branch_ok
                  FROM input i)
                """.formatted(arrays);
    }

    /**
     * {@code col = CASE WHEN sent THEN new ELSE old END} for each optional column; custom attributes merge key by
     * key as a PATCH does: {@code jsonb_strip_nulls(stored || patch)}, a null in the patch removes its key.
     */
    private static String assignments(Function<String, String> source, String sent, String attributes) {
        List<String> parts = new ArrayList<>();
        parts.add("custom_attributes = CASE WHEN " + sent + " & " + ATTRIBUTES_BIT + " <> 0 THEN jsonb_strip_nulls(c.custom_attributes || "
                + attributes + "::jsonb) ELSE c.custom_attributes END");
        for (Column column : OPTIONAL) {
            parts.add(column.name() + " = CASE WHEN " + sent + " & " + column.bit() + " <> 0 THEN " + source.apply(column.name())
                    + " ELSE c." + column.name() + " END");
        }
        return String.join(", ", parts);
    }

    /** True when a sent value differs from the stored one: unchanged items are not rewritten. */
    private static String changed(String source, String sent, String attributes) {
        StringBuilder changed = new StringBuilder(source + ".name IS DISTINCT FROM c.name");
        changed.append(" OR (").append(sent).append(" & ").append(ATTRIBUTES_BIT).append(" <> 0 AND jsonb_strip_nulls(c.custom_attributes || ")
                .append(attributes).append("::jsonb) IS DISTINCT FROM c.custom_attributes)");
        for (Column column : OPTIONAL) {
            changed.append(" OR (").append(sent).append(" & ").append(column.bit()).append(" <> 0 AND ")
                    .append(source).append('.').append(column.name()).append(" IS DISTINCT FROM c.").append(column.name())
                    .append(')');
        }
        return changed.toString();
    }

    /** Creates or updates every item by phone; items must have distinct phones. */
    public Uni<List<Outcome>> upsert(String workspace, String phoneNumberId, List<Item> items, OnDuplicate onDuplicate) {
        return attempt(items, 1, (client, batch) -> client.preparedQuery(UPSERT)
                .execute(arrays(Tuple.of(workspace, phoneNumberId, timestamp(), onDuplicate == OnDuplicate.UPDATE), batch)),
                workspace, onDuplicate, null);
    }

    /** An If-Match: the contact must exist, with one of {@code versions} unless that is null ({@code *}). */
    record IfMatch(List<Integer> versions) {
        boolean matches(int version) {
            return versions == null || versions.contains(version);
        }
    }

    /**
     * Updates the contact with the item's phone only while its version is one of {@code versions}
     * (an If-Match); {@code versions} null means any existing version ({@code If-Match: *}).
     */
    public Uni<Outcome> updateIfMatch(String workspace, Item item, IfMatch ifMatch) {
        Integer[] expected = ifMatch.versions() == null ? null : ifMatch.versions().toArray(Integer[]::new);
        return attempt(List.of(item), 1, (client, batch) -> client.preparedQuery(UPDATE_IF_MATCH)
                .execute(arrays(Tuple.of(workspace, timestamp(), expected), batch)), workspace, OnDuplicate.UPDATE, ifMatch)
                .map(outcomes -> outcomes.get(0));
    }

    /** The statement's rows, and the items refused before it ran (custom attributes their definitions refuse). */
    private record Written(RowSet<Row> rows, Map<Integer, ApiException> refused) {
    }

    private interface Statement extends BiFunction<SqlClient, List<Item>, Uni<RowSet<Row>>> {
    }

    /**
     * Runs {@code statement} for the items; when some send custom attributes, in a transaction that first holds
     * their definitions (FOR SHARE, so a concurrent definition change waits for this write) and validates them,
     * leaving out the items they refuse.
     */
    private Uni<Written> write(String workspace, List<Item> items, Statement statement) {
        if (items.stream().allMatch(item -> item.input().attributes().isEmpty())) {
            return statement.apply(pool, items).map(rows -> new Written(rows, Map.of()));
        }
        return pool.withTransaction(connection -> validateAttributes(connection, workspace, items).flatMap(refused -> {
            List<Item> valid = items.stream().filter(item -> !refused.containsKey(item.index())).toList();
            return valid.isEmpty() ? Uni.createFrom().item(new Written(null, refused))
                    : statement.apply(connection, valid).map(rows -> new Written(rows, refused));
        }));
    }

    /** Holds the definitions the items' custom attributes use and validates each item's; the refused ones by index. */
    private static Uni<Map<Integer, ApiException>> validateAttributes(SqlClient client, String workspace, List<Item> items) {
        Set<String> keys = new TreeSet<>();
        items.forEach(item -> keys.addAll(item.input().attributes().keys()));
        return AttributeChanges.holdKeys(client, workspace, keys).map(definitions -> {
            Map<Integer, ApiException> refused = new HashMap<>();
            for (Item item : items) {
                try {
                    item.input().attributes().validate(definitions);
                } catch (ApiException e) {
                    refused.put(item.index(), e);
                }
            }
            return refused;
        });
    }

    private Uni<List<Outcome>> attempt(List<Item> items, int attempt, Statement statement,
            String workspace, OnDuplicate onDuplicate, IfMatch ifMatch) {
        return Uni.createFrom().deferred(() -> write(workspace, items, statement))
                .onFailure(ContactUpsert::retryable).retry().atMost(ATTEMPTS - 1)
                .onFailure(ContactUpsert::isForeignKeyViolation).transform(e -> ApiException.invalid(Map.of("contact_group_id",
                        "The selected contact group or branch no longer exists")))
                .flatMap(written -> {
                    Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
                    List<Item> untouched = new ArrayList<>();
                    Map<Integer, Item> byIndex = new HashMap<>();
                    items.forEach(item -> byIndex.put(item.index(), item));
                    written.refused().forEach((index, error) -> outcomes.put(index, failed(byIndex.get(index), error)));
                    for (Row row : written.rows() == null ? List.<Row>of() : written.rows()) {
                        Item item = byIndex.get(row.getInteger("ord"));
                        Map<String, String> references = new LinkedHashMap<>();
                        if (!row.getBoolean("group_ok")) {
                            references.put("contact_group_id", "The selected contact group does not exist");
                        }
                        if (!row.getBoolean("branch_ok")) {
                            references.put("branch_id", "The selected branch does not exist");
                        }
                        if (!references.isEmpty()) {
                            outcomes.put(item.index(), failed(item, ApiException.invalid(references)));
                        } else if (row.getLong("id") == null) {
                            untouched.add(item);
                        } else {
                            boolean inserted = row.getBoolean("inserted");
                            if (inserted) {
                                metrics.contactCreated();
                            }
                            outcomes.put(item.index(), new Outcome(item.index(), inserted ? Result.CREATED : Result.UPDATED,
                                    contact(row), null));
                        }
                    }
                    return explain(untouched, workspace, onDuplicate, ifMatch).flatMap(explained -> {
                        List<Item> vanished = new ArrayList<>();
                        for (Item item : untouched) {
                            Outcome outcome = explained.get(item.index());
                            if (outcome == null) {
                                vanished.add(item);
                            } else {
                                outcomes.put(item.index(), outcome);
                            }
                        }
                        if (vanished.isEmpty() || ifMatch != null) {
                            vanished.forEach(item -> outcomes.put(item.index(), failed(item, ifMatch != null
                                    ? noContact(item) : changedMeanwhile())));
                            return Uni.createFrom().item(sorted(items, outcomes));
                        }
                        // A contact that blocked the insert was deleted before it could be read: try those again.
                        if (attempt >= ATTEMPTS) {
                            vanished.forEach(item -> outcomes.put(item.index(), failed(item, changedMeanwhile())));
                            return Uni.createFrom().item(sorted(items, outcomes));
                        }
                        return attempt(vanished, attempt + 1, statement, workspace, onDuplicate, ifMatch)
                                .map(again -> {
                                    again.forEach(outcome -> outcomes.put(outcome.index(), outcome));
                                    return sorted(items, outcomes);
                                });
                    });
                });
    }

    /** Why items were neither inserted nor updated: read the contacts that hold their phones. */
    private Uni<Map<Integer, Outcome>> explain(List<Item> untouched, String workspace, OnDuplicate onDuplicate,
            IfMatch ifMatch) {
        if (untouched.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] phones = untouched.stream().map(item -> item.input().phone()).toArray(String[]::new);
        return pool.preparedQuery(CURRENT).execute(Tuple.of(workspace, phones)).map(rows -> {
            Map<String, Contact> byPhone = new HashMap<>();
            rows.forEach(row -> byPhone.put(row.getString("phone"), contact(row)));
            Map<Integer, Outcome> explained = new HashMap<>();
            for (Item item : untouched) {
                Contact existing = byPhone.get(item.input().phone());
                if (existing == null) {
                    continue;
                }
                Outcome outcome;
                if (ifMatch != null && !ifMatch.matches(existing.version)) {
                    outcome = failed(item, new ApiException(ErrorCode.PRECONDITION_FAILED,
                            "The contact has changed since you read it (current ETag " + existing.etag() + ")",
                            Map.of("If-Match", "does not match the current ETag " + existing.etag())));
                } else if (onDuplicate == OnDuplicate.ERROR) {
                    outcome = failed(item, new ApiException(ErrorCode.DUPLICATE_PHONE,
                            "This phone number already belongs to a contact",
                            Map.of("existing_contact_id", existing.id, "phone", "has already been taken")));
                } else {
                    outcome = new Outcome(item.index(), onDuplicate == OnDuplicate.SKIP ? Result.SKIPPED : Result.UNCHANGED,
                            existing, null);
                }
                explained.put(item.index(), outcome);
            }
            return explained;
        });
    }

    private static List<Outcome> sorted(List<Item> items, Map<Integer, Outcome> outcomes) {
        return items.stream().map(item -> outcomes.get(item.index())).toList();
    }

    private static Outcome failed(Item item, ApiException error) {
        return new Outcome(item.index(), Result.FAILED, null, error);
    }

    private static ApiException noContact(Item item) {
        return new ApiException(ErrorCode.PRECONDITION_FAILED, "No contact has this phone number, so If-Match cannot match",
                Map.of("If-Match", "there is no current contact with phone " + item.input().phone()));
    }

    private static ApiException changedMeanwhile() {
        return new ApiException(ErrorCode.DUPLICATE_PHONE,
                "The contact with this phone changed concurrently; retry the item",
                Map.of("phone", "was changed by another request while this one ran"));
    }

    /** A group or branch deleted while the statement ran, or two statements locking the same phones crosswise. */
    private static boolean retryable(Throwable failure) {
        return failure instanceof PgException pg
                && (FOREIGN_KEY_VIOLATION.equals(pg.getSqlState()) || DEADLOCK.equals(pg.getSqlState()));
    }

    private static boolean isForeignKeyViolation(Throwable failure) {
        return failure instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState());
    }

    /** A row of an import file that passed the API's field rules; only this class can build one. */
    public static final class ImportRow {
        private final ContactInput input;

        private ImportRow(ContactInput input) {
            this.input = input;
        }

        public String phone() {
            return input.phone();
        }

        /**
         * A hash of everything the row writes but its phone: a row whose fingerprint equals the one that last wrote the
         * phone leaves the contact as it was (a dry run's count of unchanged rows for phones repeated across batches).
         */
        public int fingerprint() {
            return java.util.Objects.hash(input.name(), input.fullName(), input.email(), input.branchId(), input.contactGroupId(),
                    input.description(), input.address(), input.isFavorite(), input.attributes().fingerprintText());
        }
    }

    /**
     * Validates the cells of one import row (field name to text, as a form create sends them) by exactly the
     * rules of a create; {@code region} reads national numbers, {@code groupId} (the job's option) replaces
     * any group cell. Throws the create's ApiException (details per field) when the row is invalid.
     */
    public static ImportRow validateRow(Map<String, String> cells, String region, Long groupId) {
        return validateRow(cells, Map.of(), region, groupId);
    }

    /**
     * As above, with the row's custom attribute cells by key (read as form values; an empty cell removes the key),
     * validated against their definitions when the row is written ({@link #importRows}).
     */
    public static ImportRow validateRow(Map<String, String> cells, Map<String, String> attributes, String region, Long groupId) {
        io.vertx.core.MultiMap form = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        cells.forEach((field, value) -> {
            // An empty is_favorite cell means "not given" (a form would reject it as not a boolean).
            if (!(field.equals("is_favorite") && value.isBlank())) {
                form.add(field, ContactExport.unguard(value));
            }
        });
        String phone = form.get("phone");
        if (region != null && phone != null) {
            String regional = RegionalPhones.normalize(phone, region);
            if (regional != null) {
                form.set("phone", "+" + regional);
            }
        }
        if (groupId != null) {
            form.set("contact_group_id", groupId.toString());
        }
        if (form.isEmpty()) {
            form.add("name", "");
        }
        dev.awal.contacts.api.InputFields fields = dev.awal.contacts.api.InputFields.parse(
                new dev.awal.contacts.api.ReceivedBody("application/x-www-form-urlencoded", null, form, List.of()), null);
        return new ImportRow(ContactInput.from(fields, List.of(), true)
                .withAttributes(AttributeChanges.fromText(unguarded(attributes))));
    }

    private static Map<String, String> unguarded(Map<String, String> cells) {
        Map<String, String> values = new LinkedHashMap<>();
        cells.forEach((key, value) -> values.put(key, ContactExport.unguard(value)));
        return values;
    }

    /**
     * As {@link #validateRow}, for one NDJSON line: a JSON object of contact fields judged by exactly the JSON
     * create's rules, after {@code region} has read a national phone and {@code groupId} replaced any group.
     */
    public static ImportRow validateJson(com.fasterxml.jackson.databind.node.ObjectNode contact, String region, Long groupId,
            com.fasterxml.jackson.databind.ObjectMapper mapper) {
        com.fasterxml.jackson.databind.JsonNode phone = contact.get("phone");
        String regional = region != null && phone != null && phone.isTextual() ? RegionalPhones.normalize(phone.asText(), region) : null;
        if (regional != null) {
            contact.put("phone", "+" + regional);
        }
        if (groupId != null) {
            contact.put("contact_group_id", groupId);
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(contact);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.awal.contacts.api.InputFields fields = dev.awal.contacts.api.InputFields.parse(new dev.awal.contacts.api.ReceivedBody(
                "application/json", io.vertx.core.buffer.Buffer.buffer(bytes), null, List.of()), mapper);
        return new ImportRow(ContactInput.from(fields, List.of(), true).withAttributes(AttributeChanges.fromJson(contact)));
    }

    /** The outcome of one import row: its result, and for a failure the reasons per field. */
    public record ImportOutcome(int index, Result result, Map<String, String> errors) {
    }

    /**
     * Writes validated import rows (distinct phones) with the batch upsert statement on {@code client}, the
     * caller's transaction, so the job's progress commits with them. No retry here: the caller retries the
     * whole transaction.
     */
    public static Uni<List<ImportOutcome>> importRows(io.vertx.mutiny.sqlclient.SqlClient client, String workspace,
            String phoneNumberId, Map<Integer, ImportRow> rows, OnDuplicate onDuplicate) {
        List<Item> all = new ArrayList<>();
        rows.forEach((index, row) -> all.add(new Item(index, row.input)));
        if (all.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return validateAttributes(client, workspace, all).flatMap(refused -> {
            List<ImportOutcome> outcomes = new ArrayList<>();
            refused.forEach((index, error) -> {
                Map<String, String> errors = new LinkedHashMap<>();
                error.details().forEach((field, reason) -> errors.put(field, String.valueOf(reason)));
                outcomes.add(new ImportOutcome(index, Result.FAILED, errors));
            });
            List<Item> items = all.stream().filter(item -> !refused.containsKey(item.index())).toList();
            if (items.isEmpty()) {
                return Uni.createFrom().item(outcomes);
            }
            return client.preparedQuery(IMPORT_UPSERT)
                .execute(arrays(Tuple.of(workspace, phoneNumberId, timestamp(), onDuplicate == OnDuplicate.UPDATE), items))
                .map(result -> {
                    for (Row row : result) {
                        int index = row.getInteger("ord");
                        Map<String, String> errors = new LinkedHashMap<>();
                        if (!row.getBoolean("group_ok")) {
                            errors.put("contact_group_id", "The selected contact group does not exist");
                        }
                        if (!row.getBoolean("branch_ok")) {
                            errors.put("branch_id", "The selected branch does not exist");
                        }
                        if (!errors.isEmpty()) {
                            outcomes.add(new ImportOutcome(index, Result.FAILED, errors));
                        } else if (row.getLong("id") != null) {
                            outcomes.add(new ImportOutcome(index, row.getBoolean("inserted") ? Result.CREATED : Result.UPDATED, null));
                        } else if (onDuplicate == OnDuplicate.UPDATE) {
                            // The conflict's WHERE found nothing to change.
                            outcomes.add(new ImportOutcome(index, Result.UNCHANGED, null));
                        } else if (onDuplicate == OnDuplicate.SKIP) {
                            outcomes.add(new ImportOutcome(index, Result.SKIPPED, null));
                        } else {
                            outcomes.add(new ImportOutcome(index, Result.FAILED,
                                    Map.of("phone", "already belongs to a contact in the workspace (on_duplicate=error)")));
                        }
                    }
                    return outcomes;
                });
        });
    }

    /** The contact that has this phone in the workspace, or null. */
    public Uni<Contact> byPhone(String workspace, String phone) {
        return pool.preparedQuery(CURRENT).execute(Tuple.of(workspace, new String[] { phone }))
                .map(rows -> rows.iterator().hasNext() ? contact(rows.iterator().next()) : null);
    }

    private static Tuple arrays(Tuple head, List<Item> items) {
        int n = items.size();
        Integer[] ord = new Integer[n];
        String[] phone = new String[n];
        String[] name = new String[n];
        String[] fullName = new String[n];
        String[] email = new String[n];
        Long[] branch = new Long[n];
        Long[] group = new Long[n];
        String[] description = new String[n];
        String[] address = new String[n];
        Boolean[] favorite = new Boolean[n];
        String[] attributes = new String[n];
        Integer[] sent = new Integer[n];
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            ContactInput input = item.input();
            ord[i] = item.index();
            phone[i] = input.phone();
            name[i] = input.name();
            fullName[i] = input.fullName();
            email[i] = input.email();
            branch[i] = input.branchId();
            group[i] = input.contactGroupId();
            description[i] = input.description();
            address[i] = input.address();
            favorite[i] = input.isFavorite();
            int mask = 0;
            for (Column column : OPTIONAL) {
                boolean wasSent = column.name().equals("is_favorite") ? input.isFavorite() != null
                        : input.fields().has(column.name());
                if (wasSent) {
                    mask |= column.bit();
                }
            }
            attributes[i] = input.attributes().patch();
            if (!input.attributes().isEmpty()) {
                mask |= ATTRIBUTES_BIT;
            }
            sent[i] = mask;
        }
        return head.addValue(ord).addValue(phone).addValue(name).addValue(fullName).addValue(email).addValue(branch)
                .addValue(group).addValue(description).addValue(address).addValue(favorite).addValue(attributes)
                .addValue(sent);
    }

    private static OffsetDateTime timestamp() {
        Instant now = Clock.SYSTEM.now();
        return now.atOffset(ZoneOffset.UTC);
    }

    private static Contact contact(Row row) {
        Contact contact = new Contact();
        contact.id = row.getLong("id");
        contact.workspace = row.getString("workspace");
        contact.phone = row.getString("phone");
        contact.name = row.getString("name");
        contact.fullName = row.getString("full_name");
        contact.email = row.getString("email");
        contact.branchId = row.getLong("branch_id");
        contact.contactGroupId = row.getLong("contact_group_id");
        contact.description = row.getString("description");
        contact.address = row.getString("address");
        contact.isFavorite = row.getBoolean("is_favorite");
        contact.avatarKey = row.getString("avatar_key");
        contact.phoneNumberId = row.getString("phone_number_id");
        contact.version = row.getInteger("version");
        contact.createdAt = row.getOffsetDateTime("created_at").toInstant();
        contact.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        contact.customAttributes = row.getString("custom_attributes");
        return contact;
    }
}
