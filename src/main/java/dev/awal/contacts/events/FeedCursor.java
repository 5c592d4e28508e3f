package dev.awal.contacts.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;

/**
 * A position in a workspace's feed: the (txid, id) of the last event served (see V10 for why the feed is
 * ordered by transaction, then id), and {@code stamp}, the epoch second up to which the feed after this
 * position is known complete: events newer than it may be purged only once it falls out of the retention.
 * Opaque to clients: base64url of {@code ev \n txid \n id \n stamp}, parsed strictly (garbage is a 400).
 */
record FeedCursor(long txid, long id, long stamp) {

    static final FeedCursor START = new FeedCursor(0, 0, Long.MAX_VALUE);

    private static final ApiException INVALID = new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter after",
            Map.of("after", "is not a cursor issued by this feed; start again without it"));

    String encode() {
        String raw = "ev\n" + txid + '\n' + id + '\n' + stamp;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static FeedCursor decode(String encoded) {
        if (encoded == null) {
            return START;
        }
        if (encoded.length() > 256) {
            throw INVALID;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 4 || !parts[0].equals("ev")) {
                throw INVALID;
            }
            FeedCursor cursor = new FeedCursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            if (cursor.txid < 0 || cursor.id < 0) {
                throw INVALID;
            }
            return cursor;
        } catch (IllegalArgumentException e) {
            throw INVALID;
        }
    }
}
