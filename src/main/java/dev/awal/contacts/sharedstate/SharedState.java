package dev.awal.contacts.sharedstate;

import java.time.Duration;
import java.time.Instant;

import io.smallrye.mutiny.Uni;

/**
 * What replicas must agree on (README "Rate limits and running several replicas"): rate-limit counters and the replay cache. Every
 * operation is atomic, so concurrent callers never lose a hit or both win a key.
 * <p>
 * Results are delivered on the caller's Vert.x context, so a route handler can carry on with the
 * request straight from them.
 */
public interface SharedState {

    /**
     * Counts one hit in the fixed window of {@code key}. The window opens with its first hit and
     * closes {@code period} later; the next hit after that opens a new one.
     */
    Uni<WindowCount> hit(String key, Duration period);

    /**
     * The same count as {@link #hit}, returned at once when this state can count without I/O (in
     * process), or null when it cannot (Redis): then the caller uses {@link #hit}. The rate limiter runs
     * on every request, and a Uni subscribed per request costs its operators and the propagated
     * context's capture and restore for a count that is already known.
     */
    default WindowCount hitNow(String key, Duration period) {
        return null;
    }

    /** Remembers {@code key} for {@code ttl}; true for the one caller that stored it, false while it is remembered. */
    Uni<Boolean> rememberOnce(String key, Duration ttl);

    /** The hits counted so far in the current window, this one included, and when the window closes. */
    record WindowCount(long hits, Instant closesAt) {
    }
}
