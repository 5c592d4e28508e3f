package dev.awal.contacts.events.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

/** Without kafka.bootstrap.servers (the default), nothing Kafka-related starts and the service is ready. */
@QuarkusTest
class KafkaOffTest {

    @Inject
    KafkaPublisher publisher;
    @Inject
    Scheduler scheduler;

    @Test
    void withoutBootstrapServersNoProducerStartsAndReadinessIsUp() {
        assertThat(ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)).isEmpty();
        assertThat(publisher.enabled()).isFalse();
        assertThat(publisher.producing()).isFalse();
        assertThat(scheduler.getScheduledJob(KafkaPublisher.JOB)).isNull();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
