package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static dev.awal.contacts.support.Api.signedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** PATCH with re-verification and If-Match, the races on one endpoint, tenancy of the new operations. */
@QuarkusTest
class WebhookManagementTest {

    static final String HOOKS = "/api/developer/webhooks";

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

    private JsonPath register(String path) {
        JsonPath answer = json("{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"contact.*\"]}").post(HOOKS)
                .then().statusCode(201).extract().jsonPath();
        created.add(answer.getLong("data.id"));
        return answer;
    }

    private static Response patch(long id, String body, String ifMatch) {
        var request = json(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch(HOOKS + "/" + id);
    }

    @Test
    void patchChangesOnlyWhatIsSentAndANewUrlIsVerifiedAgain() {
        long id = register("/a").getLong("data.id");
        String etag = signed().get(HOOKS + "/" + id).then().statusCode(200).extract().header("ETag");

        // Description and events only: still active, no handshake.
        int handshakes = receiver.received.size();
        patch(id, "{\"description\":\"CRM\",\"events\":[\"contact.created\",\"branch.*\"]}", etag).then().statusCode(200)
                .body("data.description", equalTo("CRM")).body("data.events[1]", equalTo("branch.*"))
                .body("data.status", equalTo("active")).body("data.url", equalTo(receiver.url("/a")));
        assertThat(receiver.received).hasSize(handshakes);
        // The ETag read before that change is stale now: 412, nothing changes.
        patch(id, "{\"description\":\"stale\"}", etag).then().statusCode(412).body("error", equalTo("precondition_failed"));
        signed().get(HOOKS + "/" + id).then().body("data.description", equalTo("CRM"));
        // events: null is "not sent" (a generated client sends null for a list it was not given): the filters stay.
        patch(id, "{\"description\":\"CRM 2\",\"events\":null}", null).then().statusCode(200)
                .body("data.description", equalTo("CRM 2")).body("data.events[1]", equalTo("branch.*"));

        // A URL that does not echo the challenge: pending until one that does.
        patch(id, "{\"url\":\"" + receiver.url("/wrong") + "\"}", null).then().statusCode(200)
                .body("data.status", equalTo("pending_verification"));
        assertThat(receiver.received.get(receiver.received.size() - 1).path()).isEqualTo("/wrong");
        // Other edits of a pending endpoint leave it pending and run no handshake.
        int pending = receiver.received.size();
        patch(id, "{\"description\":\"while pending\"}", null).then().statusCode(200)
                .body("data.status", equalTo("pending_verification")).body("data.description", equalTo("while pending"));
        assertThat(receiver.received).hasSize(pending);
        patch(id, "{\"url\":\"" + receiver.url("/b") + "\"}", null).then().statusCode(200).body("data.status", equalTo("active"));

        // Disabled by the user; description cleared with null; re-enabling verifies again.
        patch(id, "{\"status\":\"disabled\",\"description\":null}", null).then().statusCode(200)
                .body("data.status", equalTo("disabled")).body("data.disabled_reason", equalTo("Disabled by the user"))
                .body("data.description", nullValue());
        int before = receiver.received.size();
        String enabled = patch(id, "{\"status\":\"active\"}", null).then().statusCode(200).body("data.status", equalTo("active"))
                .body("data.disabled_reason", nullValue()).extract().header("ETag");
        assertThat(receiver.received.subList(before, receiver.received.size())).extracting(Receiver.Received::type)
                .containsExactly("verification");
        signed().get(HOOKS + "/" + id).then().header("ETag", equalTo(enabled));

        // Log: the handshakes are there, newest first.
        List<String> types = signed().get(HOOKS + "/" + id + "/deliveries").then().statusCode(200).extract().jsonPath().getList("data.type");
        assertThat(types).hasSizeGreaterThanOrEqualTo(4).containsOnly("verification");
    }

    @Test
    void badEditsAre422NamingTheField() {
        long id = register("/a").getLong("data.id");
        patch(id, "{\"status\":\"paused\"}", null).then().statusCode(422).body("details.status", equalTo("must be active (verifies the endpoint again) or disabled"));
        patch(id, "{\"url\":\"ftp://x.example/\"}", null).then().statusCode(422).body("details.url", equalTo("must be an http or https URL"));
        patch(id, "{\"url\":null}", null).then().statusCode(422).body("details.url", equalTo("must be an https URL of at most 2048 characters"));
        patch(id, "{\"events\":[]}", null).then().statusCode(422).body("details.events", equalTo("must be a list of 1 to 20 event type filters such as contact.*"));
        patch(id, "{}", null).then().statusCode(422).body("details.body", equalTo("must set at least one of url, events, description, status"));
        patch(id, "[]", null).then().statusCode(400).body("details.body", equalTo("must be a JSON object"));
        patch(999_999_999L, "{\"description\":\"x\"}", null).then().statusCode(404).body("error", equalTo("resource_not_found"));
        signed().header("If-Match", "\"1\"").delete(HOOKS + "/" + id).then().statusCode(412);
        signed().get(HOOKS + "/" + id).then().statusCode(200);
    }

    @Test
    void anotherWorkspaceCanNeitherSeeNorChangeTheEndpoint() {
        long id = register("/a").getLong("data.id");
        inWorkspace("beta").contentType("application/json").body("{\"status\":\"disabled\"}").patch(HOOKS + "/" + id).then().statusCode(404);
        inWorkspace("beta").post(HOOKS + "/" + id + "/rotate-secret").then().statusCode(404);
        inWorkspace("beta").post(HOOKS + "/" + id + "/test").then().statusCode(404);
        inWorkspace("beta").get(HOOKS + "/" + id + "/deliveries").then().statusCode(404);
        inWorkspace("beta").post(HOOKS + "/" + id + "/deliveries/1/retry").then().statusCode(404);
        signed().get(HOOKS + "/" + id).then().statusCode(200).body("data.status", equalTo("active"))
                .body("data.previous_secret_expires_at", nullValue());
        assertThat(receiver.on("/a")).as("no ping reached the endpoint").isEmpty();
    }

    /** Eight edits with the same If-Match: exactly one wins, the others are 412 and changed nothing. */
    @Test
    void racingConditionalEditsLetExactlyOneWin() throws Exception {
        long id = register("/a").getLong("data.id");
        String etag = signed().get(HOOKS + "/" + id).then().extract().header("ETag");
        List<Integer> statuses = race(8, i -> signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, i).header("If-Match", etag)
                .contentType("application/json").body("{\"description\":\"racer " + i + "\"}").patch(HOOKS + "/" + id).statusCode());
        assertThat(statuses).containsOnly(200, 412);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        String description = signed().get(HOOKS + "/" + id).then().extract().path("data.description");
        assertThat(description).startsWith("racer ");
    }

    /** Edits, rotations and a deletion at once: each ends in 200 or 404 (deleted first), and the endpoint is gone. */
    @Test
    void racingEditsRotationsAndDeleteEndIn200Or404() throws Exception {
        long id = register("/a").getLong("data.id");
        List<Integer> statuses = race(9, i -> {
            var request = signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, i);
            return switch (i % 3) {
                case 0 -> request.contentType("application/json").body("{\"description\":\"r" + i + "\"}").patch(HOOKS + "/" + id).statusCode();
                case 1 -> request.post(HOOKS + "/" + id + "/rotate-secret").statusCode();
                default -> request.delete(HOOKS + "/" + id).statusCode();
            };
        });
        assertThat(statuses).containsOnly(200, 404);
        // Exactly one of the three deletions (racers 2, 5, 8) removed it.
        assertThat(List.of(statuses.get(2), statuses.get(5), statuses.get(8))).containsOnlyOnce(200);
        signed().get(HOOKS + "/" + id).then().statusCode(404);
        signed().get(HOOKS + "/" + id + "/deliveries").then().statusCode(404);
    }

    interface Racer {
        int run(int index);
    }

    static List<Integer> race(int racers, Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return racer.run(index);
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
