package dev.awal.contacts.events.kafka;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * What the publication's guarantees rely on (README: at least once, a row's events in order), set on the producer
 * of the {@value KafkaPublisher#CHANNEL} channel over whatever the kafka.* configuration says: acknowledged means
 * written to every in-sync replica, idempotence keeps a partition's order across the producer's retries, and a
 * record is acknowledged or failed within contacts.kafka.send-timeout. Every other kafka.* property (security,
 * SASL, TLS) reaches the producer untouched.
 */
@ApplicationScoped
class ProducerGuarantees implements ClientCustomizer<Map<String, Object>> {

    private final KafkaConfig config;

    ProducerGuarantees(KafkaConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> producer) {
        if (!KafkaPublisher.CHANNEL.equals(channel)) {
            return producer;
        }
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Strings: the connector reads delivery.timeout.ms back as one to bound its own resends.
        int timeout = (int) config.sendTimeout().toMillis();
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(timeout / 2, 10_000)));
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(Math.min(timeout, 10_000)));
        return producer;
    }
}
