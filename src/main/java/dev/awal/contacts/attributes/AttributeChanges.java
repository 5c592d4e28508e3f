package dev.awal.contacts.attributes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.ReceivedBody;
import io.smallrye.mutiny.Uni;

/**
 * The custom attribute values one write sends ({@code custom_attributes} of a JSON body, or
 * {@code custom_attributes[key]} form fields): null or an empty value removes a key. {@link #hold}
 * validates them against the workspace's definitions inside the writing transaction (keeping those
 * definitions unchanged until it ends); {@link #mergeInto} then applies them key by key.
 */
public final class AttributeChanges {

    public static final String FIELD = "custom_attributes";
    private static final Pattern FORM_KEY = Pattern.compile("custom_attributes\\[([^\\]]*)\\]");
    private static final Pattern SHOWABLE_KEY = Pattern.compile("[A-Za-z0-9_\\-.]{1,64}");
    /** More keys than any workspace may define cannot all be valid. */
    private static final int MAX_KEYS = 1000;
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final AttributeChanges NONE = new AttributeChanges(Map.of(), false);

    private final Map<String, JsonNode> sent;
    private final boolean lenient;
    private Map<String, JsonNode> validated;

    private AttributeChanges(Map<String, JsonNode> sent, boolean lenient) {
        // A key is looked up in the workspace's definitions: one PostgreSQL cannot hold (a NUL) would fail that
        // query instead of being refused like any unknown key.
        for (String key : sent.keySet()) {
            if (InputFields.decodedFromInvalidUtf8(key) || !InputFields.storable(key)) {
                throw ApiException.invalid(Map.of(FIELD, "has a key that " + InputFields.UNSTORABLE));
            }
        }
        this.sent = sent;
        this.lenient = lenient;
    }

    public static AttributeChanges none() {
        return NONE;
    }

    public boolean isEmpty() {
        return sent.isEmpty();
    }

    /** Reads the attributes a JSON body or a form sends; the body is already known to be well-formed. */
    public static AttributeChanges read(ReceivedBody body) {
        if (body.isForm()) {
            return fromForm(body.form());
        }
        if (body.raw() == null || body.raw().length() == 0) {
            return NONE;
        }
        try {
            return fromJson(JSON.readTree(body.raw().getBytes()));
        } catch (IOException e) {
            // InputFields has parsed this body already; this cannot happen for one that reached here.
            throw ApiException.badRequest("Malformed JSON body");
        }
    }

    /** From one JSON object (a body, or one item of a batch). */
    public static AttributeChanges fromJson(JsonNode object) {
        JsonNode node = object == null ? null : object.get(FIELD);
        if (node == null) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Wrong JSON type for " + FIELD,
                    Map.of(FIELD, "must be an object of attribute keys and values"));
        }
        if (node.size() > MAX_KEYS) {
            throw ApiException.invalid(Map.of(FIELD, "has more keys than a workspace may define"));
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        ((ObjectNode) node).fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue()));
        return new AttributeChanges(values, false);
    }

    private static AttributeChanges fromForm(io.vertx.core.MultiMap form) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String name : form.names()) {
            if (name.equals(FIELD)) {
                // A bare field is what JSON-minded form tools send (Swagger UI, generated clients): empty, or
                // the object as JSON text. Both are read; anything else names the form fields to use.
                for (String value : form.getAll(name)) {
                    if (!value.isBlank() && !readJsonObject(value, values)) {
                        errors.put(FIELD, "send each attribute as its own field, custom_attributes[key]=value");
                    }
                }
                continue;
            }
            Matcher matcher = FORM_KEY.matcher(name);
            if (!name.startsWith(FIELD + "[")) {
                continue;
            }
            if (!matcher.matches()) {
                errors.put(FIELD, "send each attribute as its own field, custom_attributes[key]=value");
                continue;
            }
            List<String> all = form.getAll(name);
            if (all.size() > 1) {
                errors.put(fieldName(matcher.group(1)), "is sent more than once");
                continue;
            }
            String value = all.get(0);
            if (InputFields.decodedFromInvalidUtf8(value) || !InputFields.storable(value)) {
                errors.put(fieldName(matcher.group(1)), InputFields.UNSTORABLE);
                continue;
            }
            // An empty form value removes the key, as null does in JSON.
            values.put(matcher.group(1), value.isBlank() ? NullNode.getInstance() : TextNode.valueOf(value));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (values.size() > MAX_KEYS) {
            throw ApiException.invalid(Map.of(FIELD, "has more keys than a workspace may define"));
        }
        return new AttributeChanges(values, true);
    }

    /** Adds the keys of {@code text} when it is a JSON object; false when it is not one. */
    private static boolean readJsonObject(String text, Map<String, JsonNode> values) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                return false;
            }
            ((ObjectNode) node).fields().forEachRemaining(field -> values.putIfAbsent(field.getKey(), field.getValue()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The error field for a key: custom_attributes.tier, or the object itself for a key not worth echoing. */
    static String fieldName(String key) {
        return SHOWABLE_KEY.matcher(key).matches() ? FIELD + "." + key : FIELD;
    }

    /**
     * Validates every value against its definition, which stays share-locked until the transaction ends;
     * a key the workspace does not define, or a value its definition refuses, is a 422 naming the key.
     */
    public Uni<Void> hold(String workspace) {
        if (sent.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> keys = new ArrayList<>(sent.keySet());
        return AttributeDefinition.holdKeys(workspace, keys).invoke(definitions -> {
            Map<String, AttributeDefinition> byKey = new LinkedHashMap<>();
            definitions.forEach(definition -> byKey.put(definition.key, definition));
            validate(byKey);
        }).replaceWithVoid();
    }

    /** The keys this write sends. */
    public java.util.Set<String> keys() {
        return sent.keySet();
    }

    /**
     * Text values by key (an import row's cells), judged as a form's: everything is text, an empty value
     * removes the key.
     */
    public static AttributeChanges fromText(Map<String, String> cells) {
        if (cells.isEmpty()) {
            return NONE;
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        cells.forEach((key, value) -> values.put(key, value == null || value.isBlank() ? NullNode.getInstance()
                : TextNode.valueOf(value)));
        return new AttributeChanges(values, true);
    }

    /**
     * Holds the workspace's definitions of {@code keys} on {@code client}'s transaction (SELECT ... FOR SHARE, as
     * {@link AttributeDefinition#holdKeys} does for Hibernate sessions): for writes made with the SQL client.
     */
    public static Uni<Map<String, AttributeDefinition>> holdKeys(io.vertx.mutiny.sqlclient.SqlClient client, String workspace,
            java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT id, key, type, max_length, options FROM contact_attributes "
                + "WHERE workspace = $1 AND key = ANY($2::text[]) ORDER BY key FOR SHARE")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(workspace, keys.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, AttributeDefinition> byKey = new LinkedHashMap<>();
                    rows.forEach(row -> {
                        AttributeDefinition definition = new AttributeDefinition();
                        definition.id = row.getLong("id");
                        definition.workspace = workspace;
                        definition.key = row.getString("key");
                        definition.type = row.getString("type");
                        definition.maxLength = row.getInteger("max_length");
                        definition.options = row.getString("options");
                        byKey.put(definition.key, definition);
                    });
                    return byKey;
                });
    }

    /**
     * Validates every value against {@code definitions} (held by the caller's transaction); a key the workspace
     * does not define, or a value its definition refuses, is a 422 naming {@code custom_attributes.<key>}.
     */
    public void validate(Map<String, AttributeDefinition> definitions) {
        if (sent.isEmpty()) {
            return;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, JsonNode> values = new LinkedHashMap<>();
        sent.forEach((key, value) -> {
            AttributeDefinition definition = definitions.get(key);
            if (definition == null) {
                errors.put(fieldName(key), "is not an attribute defined in this workspace");
            } else if (removes(value)) {
                values.put(key, NullNode.getInstance());
            } else {
                try {
                    values.put(key, definition.attributeType().normalize(definition, value, lenient));
                } catch (IllegalArgumentException e) {
                    errors.put(fieldName(key), e.getMessage());
                }
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        validated = values;
    }

    /** The validated changes as one JSON object (null removes a key), for {@code jsonb_strip_nulls(stored || patch)}. */
    public String patch() {
        if (sent.isEmpty()) {
            return "{}";
        }
        if (validated == null) {
            throw new IllegalStateException("custom attributes were not validated in this transaction");
        }
        ObjectNode patch = JSON.createObjectNode();
        validated.forEach(patch::set);
        return patch.toString();
    }

    /** What these changes write, as text, to compare two rows: the validated values once validated, else as sent. */
    public String fingerprintText() {
        return String.valueOf(validated != null ? validated : sent);
    }

    private static boolean removes(JsonNode value) {
        return value.isNull() || value.isTextual() && value.textValue().isBlank();
    }

    /** The stored attributes with these changes applied (after {@link #hold}); null removes a key. */
    public String mergeInto(String current) {
        if (sent.isEmpty()) {
            return current;
        }
        if (validated == null) {
            throw new IllegalStateException("custom attributes were not validated in this transaction");
        }
        ObjectNode stored = parse(current);
        ObjectNode merged = stored.deepCopy();
        validated.forEach((key, value) -> {
            if (value.isNull()) {
                merged.remove(key);
            } else {
                merged.set(key, value);
            }
        });
        // The stored text is PostgreSQL's (jsonb prints spaces), the merge Jackson's: compared as trees, numbers by
        // value (stored 3 is read as an int node, the validated 3 is a decimal one), so values sent again unchanged
        // leave the contact unchanged (no write, no new version, no event).
        return merged.equals(SAME_VALUE, stored) ? current : merged.toString();
    }

    private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    static ObjectNode parse(String json) {
        if (json == null || json.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("stored custom attributes are not a JSON object", e);
        }
    }
}
