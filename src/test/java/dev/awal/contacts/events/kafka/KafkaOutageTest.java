package dev.awal.contacts.events.kafka;

import static dev.awal.contacts.support.Api.inWorkspace;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Kafka configured but its broker unreachable: publication fails and keeps its position (the batch is sent again
 * later), while the service stays ready and live — an outage only delays publication.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.BrokerDown.class)
class KafkaOutageTest {

    private static final String TOPIC = "contacts.outage";

    public static class BrokerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A port nothing listens on; short timeouts and batches so that a round fails quickly.
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + closedPort(),
                    "contacts.kafka.topic", TOPIC,
                    "contacts.kafka.poll-interval", "off",
                    "contacts.kafka.batch-size", "2",
                    "contacts.kafka.send-timeout", "2S");
        }
    }

    @Inject
    KafkaPublisher publisher;

    @Test
    void anUnreachableBrokerFailsTheRoundKeepsThePositionAndLeavesTheServiceReadyAndLive() {
        inWorkspace("alpha").contentType("application/json")
                .body("{\"name\":\"Outage\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        assertThat(publisher.producing()).isTrue();

        assertThatThrownBy(() -> publisher.publish("replica-a").await().atMost(Duration.ofSeconds(120)))
                .hasMessageContaining("records were not acknowledged");
        List<String> position = DatabaseSessions.query("SELECT txid::text || ',' || event_id FROM kafka_publication"
                + " WHERE topic = ?", TOPIC);
        assertThat(position).containsExactly("0,0");

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
