package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Delivery semantics driven by the injectable clock instead of sleeps: the retry schedule (here 1h,2h,3h, so
 * that only the clock makes a retry due) and Retry-After, the disable after 5 days of failures, the log and its paging, a resend, a ping,
 * and a redelivery once a sender's lease ran out (as when its replica died mid-delivery).
 */
@QuarkusTest
@TestProfile(HourlyDispatch.class)
class WebhookRetryScheduleTest {

    private static final String HOOKS = WebhookManagementTest.HOOKS;

    @Inject
    WebhookClock clock;
    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    WebhooksConfig config;

    private Receiver receiver;
    private Duration offset = Duration.ZERO;
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver((path, call) -> switch (path) {
            case "/down" -> 503;
            case "/busy" -> call == 1 ? 429 : 200;
            case "/flaky" -> call == 1 ? 500 : 204;
            case "/hang" -> call == 1 ? null : 200;
            case "/hold" -> null;
            default -> 200;
        });
    }

    @AfterEach
    void stop() throws Exception {
        clock.use(Clock.systemUTC());
        for (long id : created) {
            signed().delete(HOOKS + "/" + id);
        }
        receiver.close();
    }

    private long register(String path) {
        long id = json("{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"contact.created\"]}").post(HOOKS)
                .then().statusCode(201).body("data.status", equalTo("active")).extract().jsonPath().getLong("data.id");
        created.add(id);
        return id;
    }

    private void advance(Duration by) {
        offset = offset.plus(by);
        clock.use(Clock.offset(Clock.systemUTC(), offset));
    }

    private static void newContact() {
        json("{\"name\":\"Scheduled\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201);
    }

    private JsonPath log(long id) {
        return signed().get(HOOKS + "/" + id + "/deliveries").then().statusCode(200).extract().jsonPath();
    }

    /** Runs the dispatcher until {@code path} has received {@code count} requests (the scheduled one may run too). */
    private void deliverUntil(String path, int count) {
        for (int i = 0; i < 40 && receiver.on(path).size() < count; i++) {
            dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
            receiver.await(r -> receiver.on(path).size() >= count);
        }
        assertThat(receiver.on(path)).hasSize(count);
    }

    /**
     * Runs the dispatcher until {@code path} has received {@code count} requests and the webhook's log holds their
     * outcomes. The receiver has a request before the dispatcher records its answer (and computes the next attempt
     * from the clock at that moment), so a test that moves the clock next must wait for the record, or the retry is
     * scheduled from the moved clock (seen on a loaded CI machine: the retry then never became due).
     */
    private void deliverAndRecord(long id, String path, int count) {
        deliverUntil(path, count);
        JsonPath log = log(id);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                log.getList("data.findAll { it.type == 'contact.created' }").size() < count && System.nanoTime() < deadline; ) {
            pause();
            log = log(id);
        }
        assertThat(log.getList("data.findAll { it.type == 'contact.created' }")).hasSize(count);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void failuresFollowTheScheduleThenFailAndFiveDaysOfFailuresDisable() {
        long id = register("/down");
        newContact();
        deliverAndRecord(id, "/down", 1);
        // Each retry is due its wait (plus up to 10% jitter) after the previous failure, not before.
        List<Duration> waits = List.of(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3));
        for (int attempt = 2; attempt <= 4; attempt++) {
            Duration wait = waits.get(attempt - 2);
            advance(wait.multipliedBy(9).dividedBy(10));
            dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
            assertThat(receiver.on("/down")).as("before the wait is over").hasSize(attempt - 1);
            advance(wait.dividedBy(5));
            deliverAndRecord(id, "/down", attempt);
        }
        // The schedule has three waits: after the 4th attempt the delivery has failed for good.
        advance(Duration.ofHours(10));
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        assertThat(receiver.on("/down")).hasSize(4);
        assertThat(receiver.on("/down")).extracting(r -> r.headers().get("webhook-id")).containsOnly(receiver.on("/down").get(0).headers().get("webhook-id"));
        JsonPath log = log(id);
        assertThat(log.getList("data.findAll { it.type == 'contact.created' }.attempt")).containsExactly(4, 3, 2, 1);
        assertThat(log.getList("data.findAll { it.type == 'contact.created' }.status_code")).containsOnly(503);
        assertThat(log.getList("data.findAll { it.type == 'contact.created' }.error")).containsOnly("answered 503");
        signed().get(HOOKS + "/" + id).then().body("data.status", equalTo("active"));

        // Five days after the first failure, with no success since, the next failure disables the endpoint.
        advance(Duration.ofDays(5));
        newContact();
        deliverUntil("/down", 5);
        signed().get(HOOKS + "/" + id).then().statusCode(200).body("data.status", equalTo("disabled"))
                .body("data.disabled_reason", equalTo("Every delivery failed for 5 days in a row"));
    }

    @Test
    void retryAfterIsHonoured() {
        long id = register("/busy");
        newContact();
        deliverAndRecord(id, "/busy", 1);
        // 429 with Retry-After: 7200 — longer than the schedule's first wait (1 h), so that is not enough.
        advance(Duration.ofMinutes(70));
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        assertThat(receiver.on("/busy")).hasSize(1);
        // Due 7200 s plus up to 10% jitter after the 429 (at most 132 min): 70 + 65 min is past that whatever the
        // jitter, so the retry is due now rather than once the real clock has caught up with the jitter.
        advance(Duration.ofMinutes(65));
        deliverUntil("/busy", 2);
        assertThat(log(id).getList("data.status_code")).startsWith(200, 429);
    }

    @Test
    void theLogPagesAndAFinishedDeliveryCanBeResentAndPinged() {
        long id = register("/flaky");
        newContact();
        deliverAndRecord(id, "/flaky", 1);
        advance(Duration.ofMinutes(67));
        deliverUntil("/flaky", 2);
        JsonPath first = signed().queryParam("limit", 1).get(HOOKS + "/" + id + "/deliveries").then().statusCode(200)
                .body("meta.limit", equalTo(1)).extract().jsonPath();
        assertThat(first.getString("data[0].type")).isEqualTo("contact.created");
        assertThat(first.getInt("data[0].status_code")).isEqualTo(204);
        assertThat(first.getInt("data[0].attempt")).isEqualTo(2);
        long deliveryId = first.getLong("data[0].delivery_id");
        long eventId = first.getLong("data[0].event_id");
        JsonPath second = signed().queryParam("limit", 1).queryParam("after", first.getString("meta.next_cursor"))
                .get(HOOKS + "/" + id + "/deliveries").then().statusCode(200).extract().jsonPath();
        assertThat(second.getInt("data[0].status_code")).isEqualTo(500);
        assertThat(second.getLong("data[0].event_id")).isEqualTo(eventId);
        assertThat(second.getLong("data[0].id")).isLessThan(first.getLong("data[0].id"));

        // Resend the delivered one: the same event id again.
        signed().post(HOOKS + "/" + id + "/deliveries/" + deliveryId + "/retry").then().statusCode(202);
        deliverUntil("/flaky", 3);
        assertThat(receiver.on("/flaky").get(2).headers().get("webhook-id")).isEqualTo("evt_" + eventId);
        assertThat(log(id).getInt("data[0].attempt")).isEqualTo(3);
        signed().post(HOOKS + "/" + id + "/deliveries/999999999/retry").then().statusCode(404);

        // A ping reaches this endpoint only and is answered with the attempt.
        signed().post(HOOKS + "/" + id + "/test").then().statusCode(200).body("data.type", equalTo("ping"))
                .body("data.status_code", equalTo(204)).body("data.error", equalTo(null));
        assertThat(receiver.on("/flaky").get(3).type()).isEqualTo("ping");
        assertThat(receiver.on("/flaky").get(3).headers().get("webhook-id")).startsWith("ping_");

        signed().queryParam("limit", 0).get(HOOKS + "/" + id + "/deliveries").then().statusCode(400).body("details.limit", equalTo("must be an integer from 1 to 100"));
        signed().queryParam("after", "bm90LWEtY3Vyc29y").get(HOOKS + "/" + id + "/deliveries").then().statusCode(400)
                .body("details.after", equalTo("is not a cursor issued by this log; start again without it"));
        signed().contentType("application/json").body("{\"status\":\"disabled\"}").patch(HOOKS + "/" + id).then().statusCode(200);
        // The same POST as the resend above: signed a second ahead, or within one second it would be a replay (401).
        Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, 1).post(HOOKS + "/" + id + "/deliveries/" + deliveryId + "/retry")
                .then().statusCode(422)
                .body("details.status", equalTo("the webhook is disabled; deliveries go to active endpoints only"));
    }

    /**
     * A sender that claimed a delivery and never finished it (its replica died; here its request hangs) holds it only
     * for its lease: after that another dispatcher claims and sends it again, with the same event id, and the stale
     * sender's late outcome cannot overwrite the newer attempt's.
     */
    @Test
    void aDeliveryWhoseSenderDiedIsSentAgainAfterTheLease() {
        long id = register("/hang");
        newContact();
        receiver.await(r -> receiver.on("/hang").size() == 1);
        assertThat(receiver.on("/hang")).hasSize(1);
        // Within the lease nobody else sends it.
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        assertThat(receiver.on("/hang")).hasSize(1);
        advance(WebhookDispatcher.LEASE.plusSeconds(1));
        deliverUntil("/hang", 2);
        assertThat(receiver.on("/hang").get(1).headers().get("webhook-id")).isEqualTo(receiver.on("/hang").get(0).headers().get("webhook-id"));
        // The first sender gives up after the timeout (10 s); the delivery stays delivered. The log is read until
        // that outcome is in it (a short poll, so the test waits for the timeout, not for a fixed sleep after it);
        // the deadline only bounds a hung test.
        JsonPath log = log(id);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                log.getList("data.findAll { it.type == 'contact.created' }").size() < 2 && System.nanoTime() < deadline; ) {
            pause();
            log = log(id);
        }
        assertThat(log.getList("data.findAll { it.type == 'contact.created' }.attempt")).containsExactlyInAnyOrder(2, 1);
        advance(Duration.ofMinutes(5));
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        assertThat(receiver.on("/hang")).hasSize(2);
    }

    /**
     * An endpoint that never answers holds at most contacts.webhooks.concurrency-per-endpoint deliveries (the configured
     * value, 16 by default), on every dispatcher together, and the other endpoints get theirs meanwhile.
     */
    @Test
    void aDeadEndpointHoldsAtMostItsConcurrencyAndDelaysNoOther() {
        int limit = config.concurrencyPerEndpoint();
        // More events than the limit, so that the limit is what stops the sending.
        int events = limit + 4;
        long held = register("/hold");
        register("/ok");
        for (int i = 0; i < events; i++) {
            newContact();
        }
        for (int i = 0; i < 40 && (receiver.on("/ok").size() < events || receiver.on("/hold").size() < limit); i++) {
            dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
            receiver.await(r -> receiver.on("/ok").size() >= events && receiver.on("/hold").size() >= limit);
        }
        assertThat(receiver.on("/ok")).hasSize(events);
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        // A held request ends only at the delivery timeout (10 s), which frees its slot for another event; on a slow
        // machine that can happen before this point. So the invariant is checked, not a count at a moment: sent
        // minus finished (read after it, so it can only be larger) is what is in flight.
        int sent = receiver.on("/hold").size();
        int finished = log(held).getList("data.findAll { it.type == 'contact.created' }").size();
        assertThat(sent).isGreaterThanOrEqualTo(limit);
        assertThat(sent - finished).isLessThanOrEqualTo(limit);
    }
}
