package dev.awal.contacts.events.kafka;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with Kafka configured (a broker in this JVM); other test classes run without Kafka. */
public class KafkaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Tests publish themselves (KafkaPublisher.publish), so that no scheduled round races them. Two kafka.*
        // properties show what reaches the channel's producer: one passed on (the kind security settings are),
        // one overridden by what the guarantees need (ProducerGuarantees).
        return Map.of("contacts.kafka.poll-interval", "off",
                "kafka.security.protocol", "PLAINTEXT",
                "kafka.acks", "1");
    }
}
