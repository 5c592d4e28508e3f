package dev.awal.contacts.sharedstate;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where counters and the replay cache live. They are in-process unless {@code quarkus.redis.hosts}
 * names a Redis, which every replica then shares.
 */
@ConfigMapping(prefix = "contacts.shared-state")
public interface SharedStateConfig {

    /** Prefix of every Redis key this service writes, so one Redis can serve several deployments. */
    @WithDefault("contacts:")
    String redisKeyPrefix();

    /** How long one Redis call may take before the request is served from in-process state instead. */
    @WithDefault("1s")
    Duration redisTimeout();

    /** After Redis failed, how long a replica keeps to in-process state before it tries Redis again. */
    @WithDefault("5s")
    Duration redisRetryInterval();
}
