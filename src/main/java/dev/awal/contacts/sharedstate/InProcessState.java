package dev.awal.contacts.sharedstate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Counters and remembered keys in this process's memory: the whole truth for a single replica,
 * and the fallback of {@link RedisState} while Redis is unreachable. Expired entries are swept
 * periodically; the remembered keys are bounded.
 */
@ApplicationScoped
@Typed(InProcessState.class) // Not a SharedState candidate itself: SharedStateSelector decides which one serves.
public class InProcessState implements SharedState {

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> rememberedUntil = new ConcurrentHashMap<>();
    private final int maxEntries;
    /** When a full cache last swept its expired keys (a sweep reads every key: at most one per second). */
    private volatile long lastFullSweep;

    /**
     * @param maxEntries how many keys may be remembered at once (they are write signatures, so the
     *        bound is the auth setting's, read by name: this leaf knows no security type)
     */
    @Inject
    public InProcessState(@ConfigProperty(name = "contacts.auth.replay-cache-max-entries") int maxEntries) {
        this.maxEntries = maxEntries;
    }

    @Override
    public Uni<WindowCount> hit(String key, Duration period) {
        return Uni.createFrom().item(hitNow(key, period));
    }

    @Override
    public WindowCount hitNow(String key, Duration period) {
        long now = System.currentTimeMillis();
        // compute() runs atomically per key: concurrent hits never read the same count.
        Window window = windows.compute(key, (k, open) -> open == null || open.closesAt() <= now
                ? new Window(1, now + period.toMillis())
                : new Window(open.hits() + 1, open.closesAt()));
        return new WindowCount(window.hits(), Instant.ofEpochMilli(window.closesAt()));
    }

    @Override
    public Uni<Boolean> rememberOnce(String key, Duration ttl) {
        if (rememberedUntil.size() >= maxEntries) {
            long now = System.currentTimeMillis();
            if (now - lastFullSweep >= 1000) {
                // One sweep per second at most: each reads every key (~35 ms per 500,000), and a full cache
                // swept on every write held the event loop that long per write.
                lastFullSweep = now;
                evictExpired();
            }
            if (rememberedUntil.size() >= maxEntries) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Too many recent write requests; retry shortly"));
            }
        }
        long now = System.currentTimeMillis();
        boolean[] stored = { false };
        rememberedUntil.compute(key, (k, until) -> {
            if (until != null && until > now) {
                return until;
            }
            stored[0] = true;
            return now + ttl.toMillis();
        });
        return Uni.createFrom().item(stored[0]);
    }

    /** Whether {@code key} is remembered and not expired, without remembering it. */
    public boolean remembers(String key) {
        Long until = rememberedUntil.get(key);
        return until != null && until > System.currentTimeMillis();
    }

    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictExpired() {
        long now = System.currentTimeMillis();
        windows.values().removeIf(window -> window.closesAt() <= now);
        rememberedUntil.values().removeIf(until -> until <= now);
    }

    private record Window(long hits, long closesAt) {
    }
}
