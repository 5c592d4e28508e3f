package dev.awal.contacts.attributes;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.awal.contacts.api.InputFields;

/**
 * The value types of custom attributes: how a value is validated and normalized before it is
 * stored in {@code contacts.custom_attributes}, and which typed column of
 * {@code contact_attribute_values} filters and sorts read.
 */
public enum AttributeType {
    TEXT("text", "textValue"), NUMBER("number", "numValue"), BOOLEAN("boolean", "textValue"), DATE("date", "tsValue"),
    DATETIME("datetime", "tsValue"), ENUM("enum", "textValue");

    /** Numbers are decimals with at most 15 digits before and 6 after the point (exact in numeric and in JSON clients). */
    static final BigDecimal MAX_NUMBER = new BigDecimal("1e15");
    static final int MAX_SCALE = 6;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public final String api;
    /** The property of {@link AttributeValue} that holds this type's values. */
    final String column;

    AttributeType(String api, String column) {
        this.api = api;
        this.column = column;
    }

    public static AttributeType of(String api) {
        for (AttributeType type : values()) {
            if (type.api.equals(api)) {
                return type;
            }
        }
        return null;
    }

    static List<String> names() {
        return java.util.Arrays.stream(values()).map(t -> t.api).toList();
    }

    /** Whether gte / lte / gt / lt apply. */
    boolean ordered() {
        return this == NUMBER || this == DATE || this == DATETIME;
    }

    /**
     * The value as stored, or an {@link IllegalArgumentException} whose message tells the client what is
     * expected. {@code lenient}: the value came from a form or a query string, where everything is text.
     */
    JsonNode normalize(AttributeDefinition definition, JsonNode value, boolean lenient) {
        if (value.isTextual() && !InputFields.storable(value.textValue())) {
            throw new IllegalArgumentException(InputFields.UNSTORABLE);
        }
        return switch (this) {
            case TEXT -> {
                String text = requireText(value, "must be text").strip();
                int max = definition.maxLength == null ? 255 : definition.maxLength;
                if (text.codePointCount(0, text.length()) > max) {
                    throw new IllegalArgumentException("may not be longer than " + max + " characters");
                }
                yield NODES.textNode(text);
            }
            case NUMBER -> NODES.numberNode(number(value, lenient));
            case BOOLEAN -> NODES.booleanNode(bool(value, lenient));
            case DATE -> NODES.textNode(date(requireText(value, "must be a date as YYYY-MM-DD")).toString());
            case DATETIME -> NODES.textNode(datetime(requireText(value, DATETIME_RULE)).toString());
            case ENUM -> NODES.textNode(option(definition, requireText(value, "must be one of " + definition.optionList())));
        };
    }

    private static final String DATETIME_RULE = "must be an ISO-8601 date-time with an offset, e.g. 2024-01-15T10:30:00Z";

    /** A filter value from the query string as the typed column holds it. */
    Object filterValue(AttributeDefinition definition, String raw) {
        JsonNode normalized = normalize(definition, NODES.textNode(raw), true);
        return columnValue(normalized);
    }

    /** A stored (normalized) value as the typed column holds it. */
    Object columnValue(JsonNode normalized) {
        return switch (this) {
            case NUMBER -> normalized.decimalValue();
            case BOOLEAN -> String.valueOf(normalized.booleanValue());
            case DATE -> LocalDate.parse(normalized.textValue()).atStartOfDay().toInstant(ZoneOffset.UTC);
            case DATETIME -> Instant.parse(normalized.textValue());
            default -> normalized.textValue();
        };
    }

    private static String requireText(JsonNode value, String rule) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException(rule);
        }
        return value.textValue();
    }

    private static BigDecimal number(JsonNode value, boolean lenient) {
        BigDecimal number;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else if (lenient && value.isTextual() && value.textValue().strip().matches("[-+]?\\d{1,40}(\\.\\d{1,40})?")) {
            number = new BigDecimal(value.textValue().strip());
        } else {
            throw new IllegalArgumentException("must be a number");
        }
        if (number.abs().compareTo(MAX_NUMBER) >= 0) {
            throw new IllegalArgumentException("must be between -1e15 and 1e15 (exclusive)");
        }
        number = number.stripTrailingZeros();
        if (number.scale() > MAX_SCALE) {
            throw new IllegalArgumentException("may have at most " + MAX_SCALE + " digits after the decimal point");
        }
        // 1E+3 becomes 1000 and -0 becomes 0: one spelling per value.
        return number.signum() == 0 ? BigDecimal.ZERO : number.scale() < 0 ? number.setScale(0) : number;
    }

    private static boolean bool(JsonNode value, boolean lenient) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (lenient && value.isTextual()) {
            switch (value.textValue().strip().toLowerCase(Locale.ROOT)) {
                case "true", "1":
                    return true;
                case "false", "0":
                    return false;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(lenient ? "must be true, false, 1 or 0" : "must be a boolean");
    }

    private static LocalDate date(String text) {
        String value = text.strip();
        // ISO_LOCAL_DATE also accepts +10000-01-01; only four-digit years are dates here.
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("must be a date as YYYY-MM-DD");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a date as YYYY-MM-DD that exists");
        }
        // PostgreSQL has no year 0 (Java's year 0 is 1 BC): 0000-01-01 would fail the write or the filter.
        if (date.getYear() < 1) {
            throw new IllegalArgumentException("must be a date from 0001-01-01 to 9999-12-31");
        }
        return date;
    }

    private static Instant datetime(String text) {
        String value = text.strip();
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}T.{1,40}")) {
            throw new IllegalArgumentException(DATETIME_RULE);
        }
        try {
            Instant instant = OffsetDateTime.parse(value).toInstant();
            if (instant.getEpochSecond() < -62_135_596_800L || instant.getEpochSecond() > 253_402_300_799L) {
                throw new IllegalArgumentException(DATETIME_RULE);
            }
            // PostgreSQL keeps microseconds: cut here, so the stored value, its typed copy (the trigger rounds text)
            // and every bound filter or cursor value (the driver truncates) are one instant. With .1234567 they were
            // .123457 and .123456: filters missed contacts and a sorted cursor walk served one contact for ever.
            return instant.truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(DATETIME_RULE);
        }
    }

    /** Options match ignoring case; the value is stored spelled as the definition spells it. */
    private static String option(AttributeDefinition definition, String text) {
        String value = text.strip();
        for (String option : definition.optionList()) {
            if (option.equalsIgnoreCase(value)) {
                return option;
            }
        }
        throw new IllegalArgumentException("must be one of " + definition.optionList());
    }
}
