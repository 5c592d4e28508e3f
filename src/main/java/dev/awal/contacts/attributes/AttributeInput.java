package dev.awal.contacts.attributes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.api.InputFields;

/**
 * Validated definition fields; {@code fields} tells which were sent. Options come from a JSON array or
 * a form field with one option per line.
 */
record AttributeInput(InputFields fields, String key, String label, AttributeType type, Integer maxLength,
        List<String> options, String description) {

    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /**
     * The contact fields the CSV import and export name by column: an attribute of the same key would share its
     * column with the field, and the import gave the column to the field (the attribute's values were lost).
     */
    static final java.util.Set<String> FIELD_COLUMNS = java.util.Set.of("name", "full_name", "phone", "email", "description",
            "address", "is_favorite", "contact_group_id", "branch_id");
    static final int MAX_OPTIONS = 100;
    static final int MAX_OPTION_LENGTH = 100;

    static AttributeInput from(InputFields fields, JsonNode json, boolean create) {
        String key = create ? fields.text("key", 64, true) : null;
        if (!create && fields.has("key")) {
            fields.reject("key", "cannot be changed; create a new attribute instead");
        }
        if (key != null && !KEY.matcher(key).matches()) {
            fields.reject("key", "must be snake_case: a lowercase letter, then lowercase letters, digits or _ (at most 64)");
        } else if (key != null && FIELD_COLUMNS.contains(key)) {
            fields.reject("key", "is the name of a contact field (" + String.join(", ", FIELD_COLUMNS.stream().sorted().toList())
                    + "); choose another key");
        }
        String label = fields.text("label", 255, create || fields.has("label"));
        String typeName = create ? fields.text("type", 16, true) : null;
        if (!create && fields.has("type")) {
            fields.reject("type", "cannot be changed; create a new attribute instead");
        }
        AttributeType type = typeName == null ? null : AttributeType.of(typeName);
        if (typeName != null && type == null) {
            fields.reject("type", "must be one of " + AttributeType.names());
        }
        Integer maxLength = null;
        if (fields.has("max_length")) {
            maxLength = maxLength(fields, json);
        }
        // JSON null is "not sent": generated clients send null for a list the caller did not set.
        List<String> options = fields.has("options") && !(json != null && json.get("options").isNull()) ? options(fields, json) : null;
        String description = fields.text("description", 2000);
        if (create && type != null) {
            if (type == AttributeType.ENUM && options == null && !fields.hasError("options")) {
                fields.reject("options", "is required for an enum attribute");
            }
            if (type != AttributeType.ENUM && options != null) {
                fields.reject("options", "is only for enum attributes");
            }
            if (type != AttributeType.TEXT && type != AttributeType.ENUM && maxLength != null) {
                fields.reject("max_length", "is only for text and enum attributes");
            }
            Integer longest = maxLength;
            if (type == AttributeType.ENUM && longest != null && options != null
                    && options.stream().anyMatch(option -> option.codePointCount(0, option.length()) > longest)) {
                fields.reject("options", "has an option longer than max_length");
            }
        }
        fields.throwIfInvalid();
        return new AttributeInput(fields, key, label, type, maxLength, options, description);
    }

    private static Integer maxLength(InputFields fields, JsonNode json) {
        JsonNode node = json != null ? json.get("max_length") : null;
        String raw = json != null ? (node == null || node.isNull() ? null : node.isIntegralNumber() ? node.asText() : "x")
                : fields.text("max_length", 20);
        if (raw == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= 500) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fields.reject("max_length", "must be an integer from 1 to 500");
        return null;
    }

    private static List<String> options(InputFields fields, JsonNode json) {
        List<String> raw = new ArrayList<>();
        if (json != null) {
            JsonNode node = json.get("options");
            if (!node.isArray()) {
                fields.reject("options", "must be an array of strings");
                return null;
            }
            for (JsonNode option : node) {
                if (!option.isTextual()) {
                    fields.reject("options", "must be an array of strings");
                    return null;
                }
                raw.add(option.textValue());
            }
        } else {
            String text = fields.text("options", MAX_OPTIONS * (MAX_OPTION_LENGTH + 1));
            if (text != null) {
                raw.addAll(List.of(text.split("\\R")));
            }
        }
        List<String> options = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String option : raw) {
            String value = option.strip();
            if (value.isEmpty() || value.codePointCount(0, value.length()) > MAX_OPTION_LENGTH
                    || !InputFields.storable(value) || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                fields.reject("options", "each option must be 1 to " + MAX_OPTION_LENGTH + " characters on one line");
                return null;
            }
            if (!seen.add(value.toLowerCase(Locale.ROOT))) {
                fields.reject("options", "must not repeat an option (ignoring case): " + value);
                return null;
            }
            options.add(value);
        }
        if (options.isEmpty() || options.size() > MAX_OPTIONS) {
            fields.reject("options", "must hold 1 to " + MAX_OPTIONS + " options");
            return null;
        }
        return options;
    }

    /** Copies the sent fields onto the definition; answers whether anything changed. */
    boolean applyTo(AttributeDefinition definition) {
        boolean changed = false;
        if (label != null && !label.equals(definition.label)) {
            definition.label = label;
            changed = true;
        }
        if (fields.has("description") && !java.util.Objects.equals(description, definition.description)) {
            definition.description = description;
            changed = true;
        }
        if (maxLength != null && !maxLength.equals(definition.maxLength)) {
            definition.maxLength = maxLength;
            changed = true;
        }
        if (options != null && !String.join("\n", options).equals(definition.options)) {
            definition.options = String.join("\n", options);
            changed = true;
        }
        return changed;
    }

    @Schema(name = "ContactAttributeCreate", description = "A new custom attribute definition")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateBody(
            @Schema(required = true, maxLength = 64, pattern = "^[a-z][a-z0-9_]{0,63}$", description = "snake_case; unique in the workspace; cannot be changed",
                    examples = "tier") String key,
            @Schema(required = true, maxLength = 255, examples = "Customer tier") String label,
            @Schema(required = true, enumeration = { "enum", "text", "number", "boolean", "date", "datetime" }, examples = "enum") String type,
            // No defaults in the document, and lists nullable: generated clients send a default on every call and
            // an empty list for a list left unset, which other types than enum refuse.
            @Schema(minimum = "1", maximum = "500", nullable = true, description = "text and enum: the longest value (option) in "
                    + "characters; 255 when left out or null", examples = "255") Integer maxLength,
            @Schema(minItems = 1, maxItems = 100, nullable = true, description = "enum only (required there): the allowed values, matched "
                    + "ignoring case; a form sends them one per line; null counts as left out", examples = "[\"gold\", \"silver\", \"bronze\"]") List<String> options,
            @Schema(maxLength = 2000, nullable = true, examples = "Loyalty tier from the CRM") String description) {
    }

    @Schema(name = "ContactAttributeUpdate", description = "Fields of a definition to change; key and type cannot change")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateBody(
            @Schema(maxLength = 255, examples = "Tier") String label,
            @Schema(minimum = "1", maximum = "500", nullable = true, description = "text and enum; shrinking a text's below a stored "
                    + "value is 409, an enum's below an option is 422; null leaves it unchanged", examples = "255") Integer maxLength,
            @Schema(minItems = 1, maxItems = 100, nullable = true, description = "enum only; dropping an option contacts still hold is "
                    + "409; null leaves them unchanged",
                    examples = "[\"gold\", \"silver\", \"bronze\", \"platinum\"]") List<String> options,
            @Schema(maxLength = 2000, nullable = true) String description) {
    }
}
