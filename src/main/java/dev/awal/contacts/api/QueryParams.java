package dev.awal.contacts.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Query parameters arrive as raw strings and are converted here, so a bad value is a 400 in the
 * documented envelope instead of JAX-RS's default 404 for an unconvertible parameter.
 */
public final class QueryParams {

    private static final Pattern ID = Pattern.compile("\\d{1,18}");
    private static final Pattern SENDER_ID = Pattern.compile("\\d{1,64}");

    private QueryParams() {
    }

    /** The required phone_number_id of a create: the workspace's WhatsApp sender number. */
    public static String phoneNumberId(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.invalid(Map.of("phone_number_id", "The phone_number_id query parameter is required"));
        }
        if (!SENDER_ID.matcher(raw).matches()) {
            throw ApiException.invalid(Map.of("phone_number_id", "must be digits, at most 64"));
        }
        return raw;
    }

    public static String search(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String term = raw.strip();
        if (!InputFields.storable(term) || InputFields.decodedFromInvalidUtf8(term)) {
            throw invalid("search", InputFields.UNSTORABLE);
        }
        if (term.length() > 255) {
            throw invalid("search", "may not be longer than 255 characters");
        }
        return term;
    }

    public static Long id(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!ID.matcher(raw).matches()) {
            throw invalid(name, "must be a positive integer id");
        }
        return Long.parseLong(raw);
    }

    public static Boolean bool(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(name, "must be true, false, 1 or 0");
        };
    }

    public static Integer oneOf(String name, String raw, int... allowed) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        for (int candidate : allowed) {
            if (String.valueOf(candidate).equals(raw)) {
                return candidate;
            }
        }
        throw invalid(name, "must be one of " + Arrays.toString(allowed));
    }

    /** Escapes LIKE wildcards; queries declare {@code escape '!'}. */
    public static String escapeLike(String term) {
        return term.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    public static ApiException invalid(String name, String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter " + name, Map.of(name, message));
    }
}
