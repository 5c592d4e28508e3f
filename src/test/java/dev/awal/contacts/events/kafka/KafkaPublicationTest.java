package dev.awal.contacts.events.kafka;

import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.awal.contacts.events.kafka.PublicationStore.OutboxEvent;
import dev.awal.contacts.events.kafka.PublicationStore.Position;
import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Publication of the outbox to a real Kafka broker (KafkaBrokerResource): envelopes, keys and per-key order,
 * a replica that dies between sending and recording, and an event that commits late.
 */
@QuarkusTest
@TestProfile(KafkaProfile.class)
class KafkaPublicationTest {

    private static final String TOPIC = KafkaBrokerResource.TOPIC;
    private static final String CONTACTS = "/api/developer/contacts";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KafkaPublisher publisher;
    @Inject
    PublicationStore store;
    @Inject
    KafkaClientService kafkaClients;

    private static long create(String workspace, String name) {
        return inWorkspace(workspace).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue();
    }

    /** Publishes as {@code owner} until the events with these ids are published (other writers may delay them). */
    private int publishUntilPublished(String owner, Set<Long> ids) {
        int sent = 0;
        for (int round = 0; round < 100; round++) {
            sent += publisher.publish(owner).await().atMost(WAIT);
            if (publishedThrough(ids)) {
                return sent;
            }
            pause(100);
        }
        throw new AssertionError("events " + ids + " were not published");
    }

    private static boolean publishedThrough(Set<Long> ids) {
        List<String> position = DatabaseSessions.query("SELECT event_id FROM kafka_publication WHERE topic = ?", TOPIC);
        if (position.isEmpty()) {
            return false;
        }
        // Position is in (txid, id) order; every id listed must be at or before it.
        return DatabaseSessions.query("SELECT count(*) FROM events e, kafka_publication p WHERE p.topic = ?"
                + " AND e.id = ANY (?::bigint[]) AND (e.txid, e.id) <= (p.txid, p.event_id)", TOPIC,
                "{" + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + "}")
                .get(0).equals(Integer.toString(ids.size()));
    }

    private static Predicate<List<TopicReader.Record>> containing(Set<String> eventIds, int times) {
        return records -> eventIds.stream().allMatch(id -> records.stream().filter(r -> id.equals(r.eventId())).count() >= times);
    }

    @Test
    void theChannelsProducerTakesTheKafkaPropertiesAndTheGuarantees() {
        assertThat(publisher.enabled()).isTrue();
        assertThat(publisher.producing()).isTrue();
        assertThat(kafkaClients.getProducerChannels()).containsExactly(KafkaPublisher.CHANNEL);
        Map<String, ?> producer = kafkaClients.<String, String> getProducer(KafkaPublisher.CHANNEL).configuration();
        // kafka.* reaches the producer (KafkaProfile sets security.protocol as a deployment sets SASL or TLS)...
        assertThat(producer.get("bootstrap.servers")).isEqualTo(KafkaBrokerResource.bootstrapServers());
        assertThat(producer.get("security.protocol")).isEqualTo("PLAINTEXT");
        // ...except what the guarantees need: KafkaProfile's kafka.acks=1 does not weaken acknowledgement.
        assertThat(producer.get("acks")).isEqualTo("all");
        assertThat(producer.get("enable.idempotence")).isEqualTo("true");
        assertThat(producer.get("delivery.timeout.ms")).isEqualTo("30000");
    }

    @Test
    void eventsArriveInOrderPerKeyAsTheFeedShowsThem() throws Exception {
        String alphaStart = FeedPages.after("alpha", null).cursor();
        String betaStart = FeedPages.after("beta", null).cursor();
        long contact = create("alpha", "Kafka");
        json("{\"email\":\"kafka@example.com\"}").patch(CONTACTS + "/" + contact).then().statusCode(200);
        json("{\"name\":\"Kafka Two\"}").patch(CONTACTS + "/" + contact).then().statusCode(200);
        signed().delete(CONTACTS + "/" + contact).then().statusCode(200);
        long group = json("{\"name\":\"Kafka group " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
        long other = create("beta", "Kafka elsewhere");

        List<JsonNode> alpha = FeedPages.after("alpha", alphaStart).events();
        List<JsonNode> beta = FeedPages.after("beta", betaStart).events();
        List<JsonNode> mine = new ArrayList<>();
        alpha.stream().filter(e -> about(e, contact) || e.path("data").path("contact_group").path("id").asLong() == group).forEach(mine::add);
        beta.stream().filter(e -> about(e, other)).forEach(mine::add);
        assertThat(mine).hasSize(6);
        Set<Long> ids = mine.stream().map(e -> e.get("id").asLong()).collect(Collectors.toSet());

        publishUntilPublished("replica-a", ids);
        Set<String> eventIds = ids.stream().map(String::valueOf).collect(Collectors.toSet());
        List<TopicReader.Record> records = TopicReader.readUntil(TOPIC, containing(eventIds, 1));

        List<TopicReader.Record> ofContact = TopicReader.ofKey(records, "alpha:" + contact);
        assertThat(ofContact).extracting(TopicReader.Record::eventType)
                .containsExactly("contact.created", "contact.updated", "contact.updated", "contact.deleted");
        assertThat(TopicReader.ofKey(records, "alpha:contact_group:" + group)).extracting(TopicReader.Record::eventType)
                .containsExactly("contact_group.created");
        assertThat(TopicReader.ofKey(records, "beta:" + other)).extracting(TopicReader.Record::eventType)
                .containsExactly("contact.created");
        // The value is the event exactly as the feed lists it; the headers name it.
        for (JsonNode event : mine) {
            TopicReader.Record record = records.stream().filter(r -> r.eventId().equals(event.get("id").asText()))
                    .findFirst().orElseThrow();
            assertThat(FeedPages.JSON.readTree(record.value())).isEqualTo(event);
            assertThat(record.eventType()).isEqualTo(event.get("type").asText());
        }
        // A contact's events are in one partition, in the order they were written.
        assertThat(ofContact).extracting(TopicReader.Record::partition).containsOnly(ofContact.get(0).partition());
        assertThat(ofContact).extracting(r -> Long.parseLong(r.eventId())).isSorted();
    }

    @Test
    void aReplicaThatDiesBeforeRecordingIsReplacedAfterItsLeaseAndNothingIsLost() {
        publishUntilPublished("replica-a", eventsOf("alpha", create("alpha", "Before crash")));
        long contact = create("alpha", "Crash");
        json("{\"email\":\"crash@example.com\"}").patch(CONTACTS + "/" + contact).then().statusCode(200);
        json("{\"name\":\"Crash Two\"}").patch(CONTACTS + "/" + contact).then().statusCode(200);
        Set<Long> ids = eventsOf("alpha", contact);
        assertThat(ids).hasSize(3);

        // Replica A claims, sends a batch the broker acknowledges, and dies before recording it.
        Position before = null;
        List<OutboxEvent> sentByA = List.of();
        for (int round = 0; round < 100 && !sentByA.stream().map(OutboxEvent::id).collect(Collectors.toSet()).containsAll(ids); round++) {
            releaseLease();
            before = store.claim(TOPIC, "replica-a", 60_000).await().atMost(WAIT);
            assertThat(before).isNotNull();
            sentByA = store.read(before, KafkaPublisher.MAX_BATCH).await().atMost(WAIT);
            pause(100);
        }
        publisher.send(sentByA).await().atMost(WAIT);
        assertThat(position()).isEqualTo(before);

        // While A's lease lasts, replica B publishes nothing: one replica at a time.
        assertThat(publisher.publish("replica-b").await().atMost(WAIT)).isZero();
        assertThat(position()).isEqualTo(before);

        // The lease runs out (A stopped renewing it); B takes over from the last acknowledged position.
        DatabaseSessions.query("UPDATE kafka_publication SET lease_until = now() - interval '1 second' WHERE topic = ?"
                + " RETURNING topic", TOPIC);
        assertThat(publisher.publish("replica-b").await().atMost(WAIT)).isGreaterThanOrEqualTo(sentByA.size());
        assertThat(position()).isNotEqualTo(before);
        // A, back from the dead, cannot move the position.
        assertThat(store.advance(TOPIC, "replica-a", sentByA.get(sentByA.size() - 1).position(), 60_000)
                .await().atMost(WAIT)).isFalse();

        // Every event A sent arrives twice (A's send, B's resend), in the same order each time, none lost.
        Set<String> eventIds = ids.stream().map(String::valueOf).collect(Collectors.toSet());
        List<TopicReader.Record> records = TopicReader.readUntil(TOPIC, containing(eventIds, 2));
        List<String> ofContact = TopicReader.ofKey(records, "alpha:" + contact).stream().map(TopicReader.Record::eventId).toList();
        List<String> once = ids.stream().sorted().map(String::valueOf).toList();
        List<String> twice = new ArrayList<>(once);
        twice.addAll(once);
        assertThat(ofContact).isEqualTo(twice);
        releaseLease();
    }

    /**
     * After the shutdown handed the lease back, a round still running or the job firing once more claimed it again,
     * and the other replicas waited out its whole length (60 s) on every rolling deploy of the lease holder.
     */
    @Test
    void afterShutdownNoRoundClaimsTheLeaseAgain() {
        releaseLease();
        create("alpha", "Stopping");
        try {
            publisher.onStop(new io.quarkus.runtime.ShutdownEvent());
            assertThat(publisher.publish("replica-stopping").await().atMost(WAIT)).isZero();
            assertThat(DatabaseSessions.query("SELECT count(*) FROM kafka_publication WHERE topic = ? AND lease_owner IS NOT NULL",
                    TOPIC)).containsExactly("0");
        } finally {
            publisher.resumeAfterStop();
            releaseLease();
        }
    }

    @Test
    void replicasClaimingAtOnceGetOneLease() throws Exception {
        releaseLease();
        int replicas = 8;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Position>> claims = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                String owner = "racer-" + i;
                claims.add(pool.submit(() -> {
                    start.await();
                    return store.claim(TOPIC, owner, 60_000).await().atMost(WAIT);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Position> claim : claims) {
                won += claim.get(60, TimeUnit.SECONDS) == null ? 0 : 1;
            }
            assertThat(won).isEqualTo(1);
            assertThat(DatabaseSessions.query("SELECT lease_owner FROM kafka_publication WHERE topic = ?", TOPIC).get(0))
                    .startsWith("racer-");
        } finally {
            pool.shutdownNow();
            releaseLease();
        }
    }

    @Test
    void anEventThatCommitsLateIsPublishedBeforeTheEventsAfterIt() throws Exception {
        publishUntilPublished("replica-a", eventsOf("alpha", create("alpha", "Before")));
        var config = ConfigProvider.getConfig();
        try (Connection late = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""))) {
            late.setAutoCommit(false);
            long lateId;
            try (Statement statement = late.createStatement()) {
                var rows = statement.executeQuery("INSERT INTO events (workspace, type, data) VALUES ('kafka-late',"
                        + " 'contact.updated', '{\"changed\": [], \"contact\": {\"id\": 1}}') RETURNING id");
                rows.next();
                lateId = rows.getLong(1);
            }
            long after = create("alpha", "After");
            // The later event committed, but the open transaction started first: nothing passes it.
            assertThat(publisher.publish("replica-a").await().atMost(WAIT)).isZero();
            late.commit();

            long afterEvent = eventsOf("alpha", after).iterator().next();
            publishUntilPublished("replica-a", Set.of(lateId, afterEvent));
            List<TopicReader.Record> records = TopicReader.readUntil(TOPIC,
                    containing(Set.of(Long.toString(lateId), Long.toString(afterEvent)), 1));
            assertThat(TopicReader.ofKey(records, "kafka-late:1")).extracting(TopicReader.Record::eventId)
                    .containsExactly(Long.toString(lateId));
            assertThat(TopicReader.ofKey(records, "alpha:" + after)).extracting(TopicReader.Record::eventId)
                    .containsExactly(Long.toString(afterEvent));
        } finally {
            releaseLease();
        }
    }

    /** The ids of the events about this contact. */
    private static Set<Long> eventsOf(String workspace, long contact) {
        return DatabaseSessions.query("SELECT id FROM events WHERE workspace = ?"
                + " AND coalesce(data -> 'contact' ->> 'id', data ->> 'id') = ?", workspace, Long.toString(contact))
                .stream().map(Long::valueOf).collect(Collectors.toSet());
    }

    private static boolean about(JsonNode event, long contact) {
        JsonNode data = event.path("data");
        return event.get("type").asText().startsWith("contact.")
                && (data.path("contact").path("id").asLong() == contact || data.path("id").asLong() == contact);
    }

    private Position position() {
        List<String> row = DatabaseSessions.query("SELECT txid::text || ',' || event_id FROM kafka_publication WHERE topic = ?", TOPIC);
        String[] parts = row.get(0).split(",");
        return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    private static void releaseLease() {
        DatabaseSessions.query("UPDATE kafka_publication SET lease_owner = NULL, lease_until = NULL WHERE topic = ? RETURNING topic", TOPIC);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
