package dev.awal.contacts.events.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Without kafka.bootstrap.servers (the default), nothing Kafka-related starts: the Messaging channel is disabled,
 * so no Kafka producer exists, no emitter is looked up, no job is scheduled, and the service is ready.
 */
@QuarkusTest
class KafkaOffTest {

    @Inject
    KafkaPublisher publisher;
    @Inject
    Scheduler scheduler;
    @Inject
    KafkaClientService kafkaClients;
    @Inject
    ChannelRegistry channels;

    @Test
    void withoutBootstrapServersNoProducerStartsAndReadinessIsUp() {
        var config = ConfigProvider.getConfig();
        assertThat(config.getOptionalValue("kafka.bootstrap.servers", String.class)).isEmpty();
        assertThat(config.getValue(KafkaChannelSwitch.ENABLED, Boolean.class)).isFalse();
        assertThat(publisher.enabled()).isFalse();
        assertThat(publisher.producing()).isFalse();
        assertThat(channels.getOutgoingNames()).doesNotContain(KafkaPublisher.CHANNEL);
        assertThat(kafkaClients.getProducerChannels()).isEmpty();
        assertThat(kafkaClients.<String, String> getProducer(KafkaPublisher.CHANNEL)).isNull();
        assertThat(scheduler.getScheduledJob(KafkaPublisher.JOB)).isNull();
        assertThat(publisher.publish("replica-a").await().indefinitely()).isZero();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
