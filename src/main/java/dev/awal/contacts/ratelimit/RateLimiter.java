package dev.awal.contacts.ratelimit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.sharedstate.SharedState;
import io.smallrye.mutiny.Uni;

/**
 * Fixed-window rate limits per client, workspace and operation class: a window opens with the
 * first request and lasts the limit's period; every request in it is counted, and those beyond
 * the limit are refused until it closes. Counts live in {@link SharedState}, so all replicas
 * sharing a Redis draw on one budget.
 */
@ApplicationScoped
public class RateLimiter {

    private final RateLimitConfig config;
    private final SharedState state;

    public RateLimiter(RateLimitConfig config, SharedState state) {
        this.config = config;
        this.state = state;
    }

    /** Counts one request and says whether it is within its limit. */
    public Uni<Decision> hit(String clientId, String workspace, OperationClass operation) {
        Limit limit = config.of(operation);
        return state.hit(counterKey(clientId, workspace, operation), limit.period())
                .map(window -> new Decision(operation, limit, window.hits(), window.closesAt()));
    }

    /**
     * Counts one request at once when the shared state can (in process), or returns null: then
     * {@link #hit} counts it. Either counts the request exactly once.
     */
    public Decision hitNow(String clientId, String workspace, OperationClass operation) {
        Limit limit = config.of(operation);
        SharedState.WindowCount window = state.hitNow(counterKey(clientId, workspace, operation), limit.period());
        return window == null ? null : new Decision(operation, limit, window.hits(), window.closesAt());
    }

    static String counterKey(String clientId, String workspace, OperationClass operation) {
        return KEYS.computeIfAbsent(new KeyParts(clientId, workspace, operation), RateLimiter::encode);
    }

    /**
     * Counter keys, built once per client, workspace and class: only verified callers reach the limiter,
     * and clients and their workspaces come from configuration, so the map is bounded.
     */
    private static final Map<KeyParts, String> KEYS = new ConcurrentHashMap<>();

    private record KeyParts(String clientId, String workspace, OperationClass operation) {
    }

    private static String encode(KeyParts parts) {
        // Encoded so a ':' inside an id cannot make two different pairs share a key.
        return "rate:" + parts.operation().key() + ':' + URLEncoder.encode(parts.clientId(), StandardCharsets.UTF_8)
                + ':' + URLEncoder.encode(parts.workspace(), StandardCharsets.UTF_8);
    }

    /** The outcome for one request, with what the X-RateLimit headers report. */
    public record Decision(OperationClass operation, Limit limit, long hits, Instant resetsAt) {

        public boolean allowed() {
            return hits <= limit.requests();
        }

        public long remaining() {
            return Math.max(0, limit.requests() - hits);
        }

        /** Unix seconds at which the window closes, rounded up so a client waiting until then is never early. */
        public long resetEpochSecond() {
            return (resetsAt.toEpochMilli() + 999) / 1000;
        }

        /** Whole seconds until the window closes, rounded up, at least 1. */
        public long retryAfterSeconds(Instant now) {
            return Math.max(1, (resetsAt.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
        }
    }
}
