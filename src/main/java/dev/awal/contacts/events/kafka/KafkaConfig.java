package dev.awal.contacts.events.kafka;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Kafka publication settings (contacts.kafka.*). Publication itself is switched on by
 * {@code kafka.bootstrap.servers} alone (KafkaChannelSwitch); the other {@code kafka.*} properties reach the
 * Messaging channel's producer as they are, except what ProducerGuarantees sets.
 */
@ConfigMapping(prefix = "contacts.kafka")
public interface KafkaConfig {

    /** The topic events are published to (also the name of the publication's cursor row). */
    @WithDefault("contacts.events")
    String topic();

    /** Events read from the outbox and sent per round; the cursor advances once all of them are acknowledged. */
    @WithDefault("256")
    int batchSize();

    /**
     * Within this a record is acknowledged or failed (the producer's delivery.timeout.ms, which also bounds the
     * connector's own resends); a failed batch is sent again in the next round. Keep it well below the lease.
     */
    @WithDefault("30S")
    Duration sendTimeout();

    /** A publisher that has not renewed its claim for this long (a replica that died) is replaced by another. */
    @WithDefault("60S")
    Duration lease();

    /** How often each replica tries to publish (the scheduler's `every`; `off` stops the schedule). */
    @WithDefault("1s")
    String pollInterval();
}
