package dev.awal.contacts.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;

/**
 * One view over the fields of a JSON object or a form, so each resource validates its input once
 * whatever the content type. It keeps "absent" apart from "null" (partial updates need that), and
 * collects field errors: a wrong JSON type is a 400, an unacceptable value a 422.
 */
public final class InputFields {

    /** The message for text that cannot be stored; also used for query parameters. */
    public static final String UNSTORABLE = "contains a character that cannot be stored (NUL, or text that is not valid UTF-8)";

    private final ObjectNode json;
    private final MultiMap form;
    private final Map<String, String> typeErrors = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    private InputFields(ObjectNode json, MultiMap form) {
        this.json = json;
        this.form = form;
    }

    public static InputFields parse(ReceivedBody body, ObjectMapper mapper) {
        if (body == null || body.isEmpty()) {
            throw ApiException.badRequest("The request body is empty");
        }
        if (body.isForm()) {
            return new InputFields(null, body.form());
        }
        JsonNode node;
        try {
            node = readStrict(body.raw().getBytes(), mapper);
        } catch (IOException e) {
            throw malformed();
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The JSON body must be an object",
                    Map.of("body", "must be a JSON object"));
        }
        return new InputFields((ObjectNode) node, null);
    }

    /**
     * The bytes as a JSON tree, decoded strictly as UTF-8: a value holding bytes that are not UTF-8 is a 422
     * naming its field ({@link #UNSTORABLE}); bytes that are not JSON are the IOException, for the caller's 400.
     */
    public static JsonNode readStrict(byte[] bytes, ObjectMapper mapper) throws IOException {
        String text;
        try {
            text = strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw ApiException.invalid(Map.of(fieldWithInvalidUtf8(bytes, mapper), UNSTORABLE));
        }
        // Decimals as BigDecimal, as the contact endpoints' own attribute reader takes them: a double would round a
        // number attribute such as 123456789012345.123456 before it is checked and stored.
        return mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(text);
    }

    private static ApiException malformed() {
        return new ApiException(ErrorCode.BAD_REQUEST, "Malformed JSON body", Map.of("body", "is not valid JSON"));
    }

    /**
     * The body as text, refusing every byte sequence that is not UTF-8. Jackson's own decoder is lenient
     * with some (an overlong "/" as C0 AF comes out as "/"), so the bytes are decoded strictly first.
     */
    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /**
     * Names the field whose value holds the broken bytes (422: the bytes are JSON, a value in them cannot be
     * text); a body that is not JSON even when read leniently stays a 400.
     */
    private static String fieldWithInvalidUtf8(byte[] bytes, ObjectMapper mapper) {
        JsonNode lenient;
        try {
            lenient = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw malformed();
        }
        if (lenient != null && lenient.isObject()) {
            for (var fields = lenient.fields(); fields.hasNext();) {
                var field = fields.next();
                if (field.getValue().toString().indexOf('\uFFFD') >= 0 || field.getKey().indexOf('\uFFFD') >= 0) {
                    return field.getKey();
                }
            }
        }
        return "body";
    }

    public boolean has(String field) {
        return json != null ? json.has(field) : form.contains(field);
    }

    /**
     * Copies a sent field's validated {@code value} onto an entity through {@code setter} when it differs from
     * {@code current}; answers whether it did (a field that was not sent changes nothing).
     */
    public <T> boolean assign(String field, T value, T current, Consumer<T> setter) {
        if (!has(field) || Objects.equals(value, current)) {
            return false;
        }
        setter.accept(value);
        return true;
    }

    /** Trimmed text; null when absent, null or blank. */
    public String text(String field, int maxLength) {
        String value = raw(field);
        if (value == null) {
            return null;
        }
        value = value.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.put(field, "may not be longer than " + maxLength + " characters");
            return null;
        }
        return value;
    }

    /** Trimmed text that must be present and non-blank when {@code required}. */
    public String text(String field, int maxLength, boolean required) {
        String value = text(field, maxLength);
        if (value == null && required && !hasError(field)) {
            reject(field, "The " + field + " field is required");
        }
        return value;
    }

    /** A required-or-optional international phone number, normalized to digits. */
    public String phone(String field, boolean required) {
        String input = text(field, 40);
        if (input == null) {
            if (required && !hasError(field)) {
                reject(field, "The " + field + " field is required");
            }
            return null;
        }
        String normalized = PhoneNumbers.normalize(input);
        if (normalized == null) {
            reject(field, "must be a valid international number with country code, e.g. +966501234567");
        }
        return normalized;
    }

    /** An optional email address. */
    public String email(String field) {
        String email = text(field, 254);
        if (email != null && !isEmail(email)) {
            reject(field, "must be a valid email address");
            return null;
        }
        return email;
    }

    /**
     * The shape {@code [^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}} (one @, no whitespace, at most 64 code points before
     * it, a dot after it with text before and at least two code points after the last dot), checked by hand:
     * the regex was a visible share of a create's CPU.
     */
    static boolean isEmail(String value) {
        int at = -1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                return false;
            }
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            }
        }
        if (at < 1 || value.codePointCount(0, at) > 64) {
            return false;
        }
        int dot = value.lastIndexOf('.');
        return dot > at + 1 && value.codePointCount(dot + 1, value.length()) >= 2;
    }

    /** An id reference; null when absent, null or empty (which unlinks on update). */
    public Long id(String field) {
        if (json != null) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull() || node.isTextual() && node.textValue().isEmpty()) {
                // JSON null, or the empty string that forms use too, unlinks.
                return null;
            }
            if (!node.isIntegralNumber()) {
                typeErrors.put(field, "must be an integer or null");
                return null;
            }
            if (!node.canConvertToLong()) {
                errors.put(field, "must be a positive integer id");
                return null;
            }
            return positive(field, node.asLong());
        }
        String value = raw(field, "integer");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return positive(field, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            errors.put(field, "must be an integer id");
            return null;
        }
    }

    /** A boolean: JSON true/false, or true/false/1/0 in any case. */
    public Boolean bool(String field) {
        if (json != null) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            // 1 and 0 have always been accepted in JSON too; anything else is not a boolean.
            if (node.isIntegralNumber() && (node.asText().equals("1") || node.asText().equals("0"))) {
                return node.asText().equals("1");
            }
            typeErrors.put(field, "must be a boolean");
            return null;
        }
        String value = raw(field, "boolean");
        return value == null ? null : parseBoolean(field, value);
    }

    /** A small integer restricted to the given values (group status). */
    public Integer oneOf(String field, int... allowed) {
        String value;
        if (json != null) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber()) {
                typeErrors.put(field, "must be an integer");
                return null;
            }
            value = node.asText();
        } else {
            value = raw(field, "integer");
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        for (int candidate : allowed) {
            if (String.valueOf(candidate).equals(value.strip())) {
                return candidate;
            }
        }
        errors.put(field, "must be one of " + java.util.Arrays.toString(allowed));
        return null;
    }

    public void reject(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public boolean hasError(String field) {
        return errors.containsKey(field) || typeErrors.containsKey(field);
    }

    /** Throws the collected errors: wrong JSON types first (400), then invalid values (422). */
    public void throwIfInvalid() {
        if (!typeErrors.isEmpty()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Wrong JSON type for " + String.join(", ", typeErrors.keySet()),
                    typeErrors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private Long positive(String field, long value) {
        if (value <= 0) {
            errors.put(field, "must be a positive integer id");
            return null;
        }
        return value;
    }

    private Boolean parseBoolean(String field, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> {
                errors.put(field, "must be true, false, 1 or 0");
                yield null;
            }
        };
    }

    /** A JSON string field as text, or a form field; null when absent or null. */
    private String raw(String field) {
        return raw(field, "string");
    }

    /**
     * The field as a string, or null; a JSON value that is not a string (or null) is a type error.
     * Text PostgreSQL cannot store (NUL, or an unpaired surrogate, which is what invalid UTF-8
     * becomes) is a 422 naming the field, never a failed statement.
     */
    private String raw(String field, String expectedType) {
        String value;
        if (json != null) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                typeErrors.put(field, "must be a " + expectedType);
                return null;
            }
            value = node.textValue();
        } else {
            value = form.get(field);
        }
        if (value != null && (!storable(value) || (form != null && decodedFromInvalidUtf8(value)))) {
            errors.put(field, UNSTORABLE);
            return null;
        }
        return value;
    }

    /**
     * Forms and query strings reach us already decoded, and the decoder turns bytes that are not UTF-8 into
     * U+FFFD; refusing that character is the only way left to tell the client its bytes were not UTF-8. (JSON
     * is decoded by us, so there a broken byte is caught as such and an escaped \uFFFD stays allowed.)
     */
    public static boolean decodedFromInvalidUtf8(String value) {
        return value.indexOf('\uFFFD') >= 0;
    }

    /** Whether PostgreSQL can store the text: no NUL character and no unpaired UTF-16 surrogate. */
    public static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
