package dev.awal.contacts.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * An opaque keyset position: the sort it belongs to, the sort value of the last row served
 * and that row's id (the tie-breaker). Encoded as base64url of {@code sort \n value \n id}.
 * A cursor is only a position, so a forged one can reveal nothing; it is still parsed strictly
 * so that garbage is a 400, never a 500.
 */
public record Cursor(String sortKey, String value, long id) {

    /** 0001-01-01 to 9999-12-31: every stored timestamp is inside, and every Instant and PostgreSQL timestamp holds it. */
    private static final long MIN_EPOCH_SECOND = -62_135_596_800L;
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private static final ApiException INVALID = new ApiException(ErrorCode.BAD_REQUEST, "Invalid cursor",
            Map.of("cursor", "is not a cursor issued for this listing and sort; start again without it"));

    public String encode() {
        String raw = sortKey + '\n' + value + '\n' + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String encoded, String expectedSortKey) {
        if (encoded.length() > 2048) {
            throw INVALID;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            // The value may itself hold line breaks (a name can): the sort key ends at the first, the id starts after
            // the last.
            int first = raw.indexOf('\n');
            int last = raw.lastIndexOf('\n');
            if (first < 0 || last == first) {
                throw INVALID;
            }
            String sortKey = raw.substring(0, first);
            String value = raw.substring(first + 1, last);
            // A NUL can't be in any issued value (PostgreSQL text can't hold one) and would fail the query.
            if (!sortKey.equals(expectedSortKey) || value.indexOf('\u0000') >= 0) {
                throw INVALID;
            }
            return new Cursor(sortKey, value, Long.parseLong(raw.substring(last + 1)));
        } catch (IllegalArgumentException e) {
            throw INVALID;
        }
    }

    /** The cursor value as epoch seconds, for timestamp sorts; a position no stored row can have is invalid. */
    public long epochSeconds() {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw INVALID;
        }
        if (seconds < MIN_EPOCH_SECOND || seconds > MAX_EPOCH_SECOND) {
            throw INVALID;
        }
        return seconds;
    }
}
