package dev.awal.contacts.attributes;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading back {@code contacts.custom_attributes} (validated JSON the service wrote). */
public final class StoredAttributes {

    /** What PostgreSQL answers for an empty jsonb object ({@code custom_attributes::text}, the column's default). */
    private static final String NONE = "{}";

    private StoredAttributes() {
    }

    /** The attributes as the API shows them: key to string, number, or boolean; {} when none. */
    public static Map<String, Object> view(String json) {
        if (json == null || NONE.equals(json)) {
            // Most contacts have no attributes: no parser for them (it was 4 % of a get-by-id's CPU).
            return new LinkedHashMap<>();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        AttributeChanges.parse(json).fields().forEachRemaining(field -> view.put(field.getKey(), plain(field.getValue())));
        return view;
    }

    /** Each attribute as an event field of its own, custom_attributes.tier, to tell which an update changed. */
    public static Map<String, Object> eventFields(String json) {
        Map<String, Object> fields = new LinkedHashMap<>();
        AttributeChanges.parse(json).fields()
                .forEachRemaining(field -> fields.put(AttributeChanges.FIELD + "." + field.getKey(), field.getValue()));
        return fields;
    }

    private static Object plain(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isNull() ? null : value.asText();
    }
}
