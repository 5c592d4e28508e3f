package dev.awal.contacts.attributes;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import io.quarkus.runtime.annotations.RegisterForReflection;

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

    /**
     * The attributes for a response body: the same map as {@link #view}, which {@link Serializer} writes as the stored
     * text itself with its whitespace removed when that text is what the map would be written as, so a read does not
     * parse the JSON into a tree and a map only to write it out again (4 % of get-by-id's CPU in the profile).
     * <p>
     * That holds for a flat object whose values are strings without {@code \}{@code u} escapes, integers, booleans and
     * nulls: PostgreSQL's {@code jsonb} text and Jackson escape such strings alike and write such numbers alike. Any
     * other text (decimals, which the map holds as normalized {@code BigDecimal}s; {@code \}{@code u} escapes, which
     * PostgreSQL writes in lower case and Jackson in upper case; nesting) goes through the map as before.
     */
    public static Map<String, Object> responseView(String json) {
        String compact = compact(json);
        return compact != null ? new Raw(json, compact) : view(json);
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

    /**
     * {@code json} without whitespace outside strings when it is a flat object that Jackson would write byte for byte
     * the same from {@link #view}; null otherwise (and for anything not shaped like a JSON object).
     */
    static String compact(String json) {
        if (json == null || json.isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder(json.length());
        int depth = 0;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', '\r' -> {
                    continue;
                }
                case '{' -> {
                    if (depth++ > 0 || out.length() > 0) {
                        return null; // nested object
                    }
                }
                case '}' -> depth--;
                case '[' -> {
                    return null;
                }
                case '"' -> {
                    out.append(c);
                    for (i++; i < n && (c = json.charAt(i)) != '"'; i++) {
                        if (c == '\\') {
                            char escaped = i + 1 < n ? json.charAt(i + 1) : 'u';
                            if ("\"\\bfnrt".indexOf(escaped) < 0) {
                                return null; // \\u and \\/ are written differently by Jackson
                            }
                            out.append(c);
                            c = escaped;
                            i++;
                        } else if (c < 0x20) {
                            return null;
                        }
                        out.append(c);
                    }
                    if (i >= n) {
                        return null;
                    }
                }
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    int start = i;
                    while (i + 1 < n && "0123456789".indexOf(json.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    String number = json.substring(start, i + 1);
                    if (number.equals("-") || number.equals("-0") || (i + 1 < n && ".eE".indexOf(json.charAt(i + 1)) >= 0)) {
                        return null; // decimals are normalized through BigDecimal by the map
                    }
                    out.append(number);
                    continue;
                }
                default -> {
                }
            }
            out.append(c);
        }
        return depth == 0 && out.length() > 1 && out.charAt(0) == '{' && out.charAt(out.length() - 1) == '}'
                ? out.toString() : null;
    }

    /** The attributes as a map (parsed when first asked, which a response never does) and as the text to write. */
    private static final class Raw extends AbstractMap<String, Object> {
        private final String stored;
        private final String compact;
        private Map<String, Object> parsed;

        Raw(String stored, String compact) {
            this.stored = stored;
            this.compact = compact;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            if (parsed == null) {
                parsed = view(stored);
            }
            return parsed.entrySet();
        }
    }

    /** Writes a {@link #responseView} as its compact stored text, any other map as Jackson would. */
    @RegisterForReflection
    public static final class Serializer extends JsonSerializer<Map<String, Object>> {
        @Override
        public void serialize(Map<String, Object> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value instanceof Raw raw) {
                gen.writeRawValue(raw.compact);
            } else {
                provider.defaultSerializeValue(value, gen);
            }
        }
    }
}
