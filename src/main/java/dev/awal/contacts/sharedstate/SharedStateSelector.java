package dev.awal.contacts.sharedstate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.redis.client.Redis;

/**
 * Chooses the shared state at start-up: Redis when {@code quarkus.redis.hosts} is set, in-process
 * otherwise. Without hosts the Redis extension leaves its client inactive, and nothing here touches
 * it, so no connection is ever attempted.
 */
@ApplicationScoped
class SharedStateSelector {

    private static final Logger LOG = Logger.getLogger(SharedStateSelector.class);

    @Produces
    @ApplicationScoped
    @Startup // Decided and logged at start-up, not on the first request.
    SharedState sharedState(InjectableInstance<Redis> redis, InProcessState inProcess, SharedStateConfig config) {
        if (redis.isResolvable() && redis.getHandle().getBean().isActive()) {
            LOG.info("Rate limits and the replay cache are shared through Redis");
            return new RedisState(redis.get(), inProcess, config.redisKeyPrefix(), config.redisTimeout(),
                    config.redisRetryInterval());
        }
        LOG.info("Rate limits and the replay cache are in-process (set quarkus.redis.hosts to share them across replicas)");
        return inProcess;
    }
}
