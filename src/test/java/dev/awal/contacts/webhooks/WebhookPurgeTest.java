package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.Purges;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The webhook log's retention purge (attempts and deliveries, pending ones included, in chunks), and deliveries
 * whose event was purged before they could be sent. Dispatch only when the test runs it (HourlyDispatch).
 */
@QuarkusTest
@TestProfile(HourlyDispatch.class)
class WebhookPurgeTest {

    private static final String HOOKS = WebhookManagementTest.HOOKS;

    @Inject
    WebhookAttempts attempts;
    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    WebhooksConfig config;
    @Inject
    Vertx vertx;

    private Receiver receiver;
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver((path, call) -> 200);
    }

    @AfterEach
    void stop() throws Exception {
        for (long id : created) {
            signed().delete(HOOKS + "/" + id);
        }
        receiver.close();
    }

    /** An endpoint as stored, without a handshake: the purge does not care about its state. */
    private long endpoint(String status) {
        long id = Long.parseLong(DatabaseSessions.query("insert into webhooks (workspace, url, events, secret, status, feed_txid)"
                + " values ('purge-webhooks', 'http://127.0.0.1:9/', '{*}', 'whsec_x', ?, '0') returning id", status).get(0));
        created.add(id);
        return id;
    }

    /** {@code count} deliveries of the endpoint created {@code age} ago, of events from {@code firstEvent} on, in turn pending, delivered, failed. */
    private static void deliveries(long webhook, int count, long firstEvent, String age) {
        DatabaseSessions.query("with i as (insert into webhook_deliveries (webhook_id, event_id, state, created_at, next_attempt_at)"
                + " select ?, ? + g, (array['pending', 'delivered', 'failed'])[g % 3 + 1], now() - ?::interval, now() - ?::interval"
                + " from generate_series(1, ?) g returning 1) select count(*) from i", webhook, firstEvent, age, age, count);
    }

    private static void attemptsOf(long webhook, int count, String age) {
        DatabaseSessions.query("with i as (insert into webhook_attempts (webhook_id, type, attempt, attempted_at, duration_ms)"
                + " select ?, 'contact.created', 1, now() - ?::interval, 1 from generate_series(1, ?) returning 1)"
                + " select count(*) from i", webhook, age, count);
    }

    private static long deliveriesOlderThan(long webhook, String age) {
        return Purges.count("select count(*) from webhook_deliveries where webhook_id = ? and created_at < now() - ?::interval",
                webhook, age);
    }

    @Test
    void attemptsAndDeliveriesPastTheRetentionGoOverSeveralChunksPendingOnesToo() {
        long webhook = endpoint("disabled");
        int expired = Purges.chunkSize() * 3 + 2;
        deliveries(webhook, expired, 0, "40 days");
        deliveries(webhook, 6, 1000, "1 day");
        attemptsOf(webhook, expired, "40 days");
        attemptsOf(webhook, 4, "1 day");
        String expiredRows = "select (select count(*) from webhook_deliveries where webhook_id = ? and created_at < now() - interval '30 days')"
                + " + (select count(*) from webhook_attempts where webhook_id = ? and attempted_at < now() - interval '30 days')";
        Purges.untilGone(vertx, attempts::purge, expiredRows, webhook, webhook);
        assertThat(Purges.count(expiredRows, webhook, webhook)).isZero();
        assertThat(Purges.count("select count(*) from webhook_deliveries where webhook_id = ?", webhook)).isEqualTo(6);
        assertThat(Purges.count("select count(*) from webhook_deliveries where webhook_id = ? and state = 'pending'", webhook))
                .isEqualTo(2);
        assertThat(Purges.count("select count(*) from webhook_attempts where webhook_id = ?", webhook)).isEqualTo(4);
    }

    /** The purge was one statement: a row it could not take yet held back (and, cancelled, undid) all of it. */
    @Test
    void eachChunkIsCommittedOnItsOwn() throws Exception {
        long webhook = endpoint("disabled");
        deliveries(webhook, Purges.chunkSize() * 3, 0, "40 days");
        deliveries(webhook, 1, 1000, "35 days");
        long left = Purges.remainingWhileBlocked(vertx, attempts::purge,
                "select id from webhook_deliveries where webhook_id = ? and event_id > 1000 for update", webhook,
                "%DELETE FROM webhook_deliveries%", "select count(*) from webhook_deliveries where webhook_id = ?", webhook);
        assertThat(left).as("deliveries left while the purge waits").isLessThanOrEqualTo(Purges.chunkSize());
        Purges.untilGone(vertx, attempts::purge, "select count(*) from webhook_deliveries where webhook_id = ?", webhook);
        assertThat(deliveriesOlderThan(webhook, "30 days")).isZero();
    }

    /**
     * Deliveries queued before their endpoint was disabled, whose events were purged while it was: re-enabled, it
     * had them counted as its failures (its circuit opened after five, and days of them disabled it again) without
     * ever being called. Now they end as failed, logged, and the endpoint's health is untouched.
     */
    @Test
    void aDeliveryWhoseEventIsGoneEndsWithoutCountingAgainstItsEndpoint() {
        long id = json("{\"url\":\"" + receiver.url("/back") + "\",\"events\":[\"contact.created\"]}").post(HOOKS)
                .then().statusCode(201).body("data.status", equalTo("active")).extract().jsonPath().getLong("data.id");
        created.add(id);
        int gone = config.circuitThreshold() + 1;
        // Event ids no event has (identities start at 1).
        DatabaseSessions.query("with i as (insert into webhook_deliveries (webhook_id, event_id, next_attempt_at)"
                + " select ?, -g, now() - interval '1 minute' from generate_series(1, ?) g returning 1) select count(*) from i", id, gone);
        for (int round = 0; round < 3; round++) {
            dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        }
        assertThat(DatabaseSessions.query("select status || ' ' || consecutive_failures || ' ' || (failing_since is null)"
                + " || ' ' || (circuit_until is null) from webhooks where id = ?", id)).containsExactly("active 0 true true");
        assertThat(Purges.count("select count(*) from webhook_deliveries where webhook_id = ? and event_id < 0 and state = 'failed'"
                + " and lease_until is null", id)).isEqualTo(gone);
        assertThat(Purges.count("select count(*) from webhook_attempts where webhook_id = ? and event_id < 0 and error = ?", id,
                DeliveryOutcomes.EVENT_GONE)).isEqualTo(gone);
        assertThat(receiver.on("/back")).isEmpty();

        // And the endpoint is still served at full speed.
        json("{\"name\":\"After the purge\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201);
        for (int i = 0; i < 20 && receiver.on("/back").isEmpty(); i++) {
            dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
            receiver.await(r -> !receiver.on("/back").isEmpty());
        }
        assertThat(receiver.on("/back")).hasSize(1);
    }
}
