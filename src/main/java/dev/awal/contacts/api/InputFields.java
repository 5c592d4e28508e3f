package dev.awal.contacts.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");

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
            node = mapper.readTree(body.raw().getBytes());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Malformed JSON body",
                    Map.of("body", "is not valid JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The JSON body must be an object",
                    Map.of("body", "must be a JSON object"));
        }
        return new InputFields((ObjectNode) node, null);
    }

    public boolean has(String field) {
        return json != null ? json.has(field) : form.contains(field);
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
        if (email != null && !EMAIL.matcher(email).matches()) {
            reject(field, "must be a valid email address");
            return null;
        }
        return email;
    }

    /** An id reference; null when absent, null or empty (which unlinks on update). */
    public Long id(String field) {
        if (json != null && json.has(field) && json.get(field).isIntegralNumber()) {
            long value = json.get(field).asLong();
            return positive(field, value);
        }
        String value = raw(field);
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
        if (json != null && json.has(field) && json.get(field).isBoolean()) {
            return json.get(field).asBoolean();
        }
        if (json != null && json.has(field) && json.get(field).isIntegralNumber()) {
            return parseBoolean(field, json.get(field).asText());
        }
        String value = raw(field);
        return value == null ? null : parseBoolean(field, value);
    }

    /** A small integer restricted to the given values (group status). */
    public Integer oneOf(String field, int... allowed) {
        String value = json != null && json.has(field) && json.get(field).isIntegralNumber()
                ? json.get(field).asText()
                : raw(field);
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

    /** The field as a string, or null; a JSON value that is not a string (or null) is a type error. */
    private String raw(String field) {
        if (json != null) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                typeErrors.put(field, "must be a " + expectedType(field));
                return null;
            }
            return node.textValue();
        }
        return form.get(field);
    }

    private static String expectedType(String field) {
        if (field.startsWith("is_")) {
            return "boolean";
        }
        if (field.equals("status")) {
            return "integer";
        }
        return field.endsWith("_id") && !field.equals("phone_number_id") ? "integer or null" : "string";
    }
}
