package dev.awal.contacts.attributes;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading back {@code contacts.custom_attributes} (validated JSON the service wrote). */
public final class StoredAttributes {

    private StoredAttributes() {
    }

    /** The attributes as the API shows them: key to string, number, or boolean; {} when none. */
    public static Map<String, Object> view(String json) {
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
