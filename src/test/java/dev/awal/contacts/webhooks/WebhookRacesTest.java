package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.inWorkspace;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Races the database decides: creations against the per-workspace cap, a delete against a dispatcher round that
 * locks the same rows the other way round, and a ping whose log row meets the endpoint's deletion. The last two are
 * made to happen every time by holding the locks from a connection of the test's own.
 */
@QuarkusTest
@TestProfile(SmallWebhookCap.class)
class WebhookRacesTest {

    static final String HOOKS = "/api/developer/webhooks";
    static final String WS = SmallWebhookCap.WORKSPACE;

    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver((path, call) -> 200);
    }

    @AfterEach
    void stop() throws Exception {
        for (String id : DatabaseSessions.query("SELECT id FROM webhooks WHERE workspace = ?", WS)) {
            inWorkspace(WS).delete(HOOKS + "/" + id).then().statusCode(200);
        }
        receiver.close();
    }

    private Response create(String path) {
        return inWorkspace(WS).contentType("application/json")
                .body("{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"contact.*\"]}").post(HOOKS);
    }

    @Test
    void racingCreationsStayUnderTheCap() throws Exception {
        create("/first").then().statusCode(201);
        List<Integer> statuses = WebhookManagementTest.race(8, i -> create("/racer-" + i).statusCode());
        // Three per workspace: two more, whoever comes first; every other racer is told why.
        assertThat(statuses).as("%s", statuses).containsOnly(201, 422);
        assertThat(statuses.stream().filter(s -> s == 201).count()).as("%s", statuses).isEqualTo(2);
        assertThat(DatabaseSessions.query("SELECT count(*) FROM webhooks WHERE workspace = ?", WS)).containsExactly("3");
        create("/late").then().statusCode(422).body("details.url", org.hamcrest.Matchers.containsString("at most 3"));
        assertThat(DatabaseSessions.idleInTransaction()).isEmpty();
    }

    @Test
    void aCreationWaitsForOneInFlightOnAnotherReplica() throws Exception {
        create("/one").then().statusCode(201);
        create("/two").then().statusCode(201);
        try (Connection replica = DatabaseSessions.connect()) {
            replica.setAutoCommit(false);
            try (Statement sql = replica.createStatement()) {
                // Another replica's creation of the third, not yet committed: a count alone would not see it.
                sql.execute("SELECT pg_advisory_xact_lock(hashtext('contacts-webhooks:' || '" + WS + "'))");
                sql.execute("INSERT INTO webhooks (workspace, url, events, secret, status, feed_txid) VALUES ('" + WS
                        + "', 'http://127.0.0.1:9/x', '{contact.*}', 'whsec_x', 'disabled', pg_snapshot_xmin(pg_current_snapshot()))");
                CompletableFuture<Response> fourth = CompletableFuture.supplyAsync(() -> create("/four"));
                for (int i = 0; i < 400 && !fourth.isDone() && DatabaseSessions.query("SELECT pid FROM pg_stat_activity"
                        + " WHERE wait_event = 'advisory' AND query LIKE 'SELECT pg_advisory_xact_lock%'").isEmpty(); i++) {
                    Thread.sleep(50);
                }
                replica.commit();
                Response answer = fourth.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(422);
            }
        }
        assertThat(DatabaseSessions.query("SELECT count(*) FROM webhooks WHERE workspace = ?", WS)).containsExactly("3");
    }

    @Test
    void aDeleteThatADispatcherRoundDeadlocksIsRunAgain() throws Exception {
        long id = create("/deadlock").then().statusCode(201).extract().jsonPath().getLong("data.id");
        DatabaseSessions.query("INSERT INTO webhook_deliveries (webhook_id, event_id, state) VALUES (?, -1, 'delivered') RETURNING id", id);
        try (Connection round = DatabaseSessions.connect()) {
            round.setAutoCommit(false);
            try (Statement sql = round.createStatement()) {
                // This session waits long before looking for deadlocks: the delete, which waits first, is the victim.
                sql.execute("SET LOCAL deadlock_timeout = '60s'");
                // A round's order: the endpoint's deliveries first (recording successes), then its row (its health).
                sql.execute("UPDATE webhook_deliveries SET last_status = 200 WHERE webhook_id = " + id);
                CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                        () -> inWorkspace(WS).delete(HOOKS + "/" + id).statusCode());
                DatabaseSessions.awaitLockWait("DELETE FROM webhooks%");
                sql.execute("UPDATE webhooks SET consecutive_failures = 0 WHERE id = " + id);
                round.commit();
                assertThat(delete.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        }
        inWorkspace(WS).get(HOOKS + "/" + id).then().statusCode(404);
        assertThat(DatabaseSessions.query("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?", id)).containsExactly("0");
    }

    @Test
    void aPingWhoseEndpointIsDeletedMeanwhileIsNotFound() throws Exception {
        long id = create("/ping").then().statusCode(201).extract().jsonPath().getLong("data.id");
        try (Connection deleter = DatabaseSessions.connect()) {
            deleter.setAutoCommit(false);
            try (Statement sql = deleter.createStatement()) {
                // The delete holds the endpoint's row: the ping reads the endpoint, is sent, and its log row waits.
                sql.execute("DELETE FROM webhooks WHERE id = " + id);
                CompletableFuture<Response> ping = CompletableFuture.supplyAsync(
                        () -> inWorkspace(WS).post(HOOKS + "/" + id + "/test"));
                DatabaseSessions.awaitLockWait("INSERT INTO webhook_attempts%");
                deleter.commit();
                Response answer = ping.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(404);
                assertThat(answer.jsonPath().getString("error")).isEqualTo("resource_not_found");
            }
        }
        assertThat(receiver.on("/ping")).hasSize(1);
        assertThat(DatabaseSessions.query("SELECT count(*) FROM webhook_attempts WHERE webhook_id = ?", id)).containsExactly("0");
    }

    /**
     * A manual retry of a delivery that a sender is finishing: the retry waits for the sender's outcome on the
     * delivery's row and then resends it (202). It used to look at the lease, find it taken, look again with a second
     * statement after the outcome had committed, and answer 404 "Delivery not found" for a delivery that exists.
     */
    @Test
    void aRetryMeetingASendersOutcomeResendsTheDelivery() throws Exception {
        long id = create("/retry").then().statusCode(201).extract().jsonPath().getLong("data.id");
        inWorkspace(WS).contentType("application/json").body("{\"name\":\"Resent\",\"phone\":\"+"
                + dev.awal.contacts.support.TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201);
        assertThat(receiver.await(r -> receiver.on("/retry").size() == 1)).isNotEmpty();
        assertThat(receiver.on("/retry")).hasSize(1);
        String delivery = awaitOne("SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND state = 'delivered'", id);
        // A sender holds the delivery (its lease runs), and is recording its outcome.
        DatabaseSessions.query("UPDATE webhook_deliveries SET state = 'pending', lease_until = now() + interval '1 minute'"
                + " WHERE id = ? RETURNING id", Long.parseLong(delivery));
        try (Connection sender = DatabaseSessions.connect()) {
            sender.setAutoCommit(false);
            try (Statement sql = sender.createStatement()) {
                sql.execute("UPDATE webhook_deliveries SET state = 'failed', lease_until = NULL WHERE id = " + delivery);
                CompletableFuture<Response> retry = CompletableFuture.supplyAsync(
                        () -> inWorkspace(WS).post(HOOKS + "/" + id + "/deliveries/" + delivery + "/retry"));
                DatabaseSessions.awaitLockWait("WITH d AS (SELECT d.id, w.status%");
                sender.commit();
                Response answer = retry.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(202);
            }
        }
        assertThat(receiver.await(r -> receiver.on("/retry").size() == 2)).isNotEmpty();
        assertThat(receiver.on("/retry")).hasSize(2);
    }

    private static String awaitOne(String sql, Object parameter) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            List<String> rows = DatabaseSessions.query(sql, parameter);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing came of " + sql);
    }
}
