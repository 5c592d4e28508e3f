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
            String[] parts = raw.split("\n", -1);
            if (parts.length != 3 || !parts[0].equals(expectedSortKey)) {
                throw INVALID;
            }
            return new Cursor(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw INVALID;
        }
    }

    /** The cursor value as epoch seconds, for timestamp sorts. */
    public long epochSeconds() {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw INVALID;
        }
    }
}
