package dev.awal.contacts.storage;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What is known about the store between readiness probes: a successful probe is trusted for
 * {@code contacts.storage.readiness-cache}, so probes do not hammer the store, and any failed storage
 * operation (an upload, a read, a probe) ends that trust at once, so readiness never reports UP from a
 * cache while uploads fail.
 */
@ApplicationScoped
class StorageHealth {

    private final long trustNanos;
    private volatile long upUntilNanos;
    private volatile boolean trusted;

    StorageHealth(StorageConfig config) {
        this.trustNanos = config.readinessCache().toNanos();
    }

    boolean recentlyUp() {
        return trusted && System.nanoTime() - upUntilNanos < 0;
    }

    void up() {
        upUntilNanos = System.nanoTime() + trustNanos;
        trusted = true;
    }

    void failed() {
        trusted = false;
    }
}
