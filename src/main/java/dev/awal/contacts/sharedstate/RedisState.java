package dev.awal.contacts.sharedstate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Counters and remembered keys in Redis, shared by every replica. Each operation is one atomic
 * server-side step — a Lua script for a counter, {@code SET NX PX} for a remembered key — so
 * replicas never race on a read-modify-write.
 * <p>
 * When Redis cannot be reached the replica keeps serving from its {@link InProcessState} rather
 * than failing every request: for the length of the outage limits and replay protection hold per
 * replica instead of across them. It warns at most once a minute while Redis fails, retries Redis
 * every {@code retryInterval}, and says so when Redis is back.
 */
public class RedisState implements SharedState {

    private static final Logger LOG = Logger.getLogger(RedisState.class);
    private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    /** INCR, and give the key its expiry on the first hit (or if it somehow has none), in one atomic step. */
    private static final String COUNT_IN_WINDOW = """
            local hits = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {hits, ttl}
            """;

    private final Redis redis;
    private final InProcessState fallback;
    private final String keyPrefix;
    private final Duration timeout;
    private final long retryIntervalMillis;
    /** 0 while Redis answers; otherwise when it may next be tried. */
    private final AtomicLong unreachableUntil = new AtomicLong();
    private volatile long lastWarning = -WARN_EVERY_MILLIS;
    private volatile boolean outageReported;

    public RedisState(Redis redis, InProcessState fallback, String keyPrefix, Duration timeout, Duration retryInterval) {
        this.redis = redis;
        this.fallback = fallback;
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
        this.retryIntervalMillis = retryInterval.toMillis();
    }

    @Override
    public Uni<WindowCount> hit(String key, Duration period) {
        return preferRedis(() -> redis.send(Request.cmd(Command.EVAL).arg(COUNT_IN_WINDOW).arg(1)
                .arg(keyPrefix + key).arg(period.toMillis()))
                .map(RedisState::windowCount),
                () -> fallback.hit(key, period));
    }

    @Override
    public Uni<Boolean> rememberOnce(String key, Duration ttl) {
        return preferRedis(() -> redis.send(Request.cmd(Command.SET).arg(keyPrefix + key).arg("1").arg("NX")
                .arg("PX").arg(Math.max(1, ttl.toMillis())))
                // SET NX answers OK when it stored the key and nil when the key already existed. A key this replica
                // remembered in memory while Redis was unreachable is still remembered: Redis never saw it.
                .map(reply -> reply != null && !fallback.remembers(key)),
                () -> fallback.rememberOnce(key, ttl));
    }

    private static WindowCount windowCount(Response reply) {
        long hits = reply.get(0).toLong();
        long ttlMillis = reply.get(1).toLong();
        return new WindowCount(hits, Instant.now().plusMillis(ttlMillis));
    }

    private <T> Uni<T> preferRedis(Supplier<Uni<T>> remote, Supplier<Uni<T>> local) {
        if (!shouldTryRedis()) {
            return local.get();
        }
        Context caller = Vertx.currentContext();
        Uni<T> result = remote.get()
                .ifNoItem().after(timeout).fail()
                .invoke(this::reachable)
                .onFailure().recoverWithUni(failure -> {
                    unreachable(failure);
                    return local.get();
                });
        // A reply or a timeout may arrive on another thread; the caller continues on its own context.
        return caller == null ? result : result.emitOn(task -> caller.runOnContext(v -> task.run()));
    }

    private boolean shouldTryRedis() {
        long until = unreachableUntil.get();
        if (until == 0) {
            return true;
        }
        long now = System.currentTimeMillis();
        // One request per retry interval probes Redis; the others keep to in-process state meanwhile.
        return now >= until && unreachableUntil.compareAndSet(until, now + retryIntervalMillis);
    }

    private void reachable() {
        if (unreachableUntil.getAndSet(0) != 0 && outageReported) {
            outageReported = false;
            LOG.info("Redis is reachable again: rate limits and the replay cache are shared across replicas again");
        }
    }

    private void unreachable(Throwable failure) {
        long now = System.currentTimeMillis();
        unreachableUntil.set(now + retryIntervalMillis);
        // At most one warning a minute, however often Redis fails or flaps.
        if (now - lastWarning >= WARN_EVERY_MILLIS) {
            lastWarning = now;
            outageReported = true;
            LOG.warnf("Redis is unreachable (%s): rate limits and the replay cache fall back to this replica's "
                    + "memory, so they hold per replica, not across replicas, until Redis is back; retrying every %d ms",
                    failure, retryIntervalMillis);
        }
    }
}
