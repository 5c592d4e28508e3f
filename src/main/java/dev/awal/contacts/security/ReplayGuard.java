package dev.awal.contacts.security;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import io.quarkus.scheduler.Scheduled;

/**
 * Remembers accepted write signatures for as long as their timestamp stays inside the window,
 * so the same signed write cannot be played twice. In-process; bounded in size.
 */
@ApplicationScoped
public class ReplayGuard {

    private final ConcurrentHashMap<String, Long> seenUntil = new ConcurrentHashMap<>();
    private final AuthConfig config;

    ReplayGuard(AuthConfig config) {
        this.config = config;
    }

    /**
     * Records the signature and answers whether this is its first use.
     *
     * @param key the client id and signature
     * @param timestamp the request's signed timestamp (epoch seconds)
     */
    public boolean firstUse(String key, long timestamp) {
        if (seenUntil.size() >= config.replayCacheMaxEntries()) {
            evictExpired();
            if (seenUntil.size() >= config.replayCacheMaxEntries()) {
                throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Too many recent write requests; retry shortly");
            }
        }
        // A signature stays replayable until its timestamp leaves the window.
        long expiresAt = timestamp + config.timestampWindow().toSeconds() + 1;
        return seenUntil.putIfAbsent(key, expiresAt) == null;
    }

    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictExpired() {
        long now = Instant.now().getEpochSecond();
        seenUntil.values().removeIf(expiresAt -> expiresAt < now);
    }
}
