package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A write wakes this replica's dispatcher: with a poll interval of an hour (so the poll cannot be what delivers),
 * events of API writes still arrive within seconds, each exactly once and logged once.
 */
@QuarkusTest
@TestProfile(HourlyDispatch.class)
class WebhookWakeTest {

    private static final String HOOKS = WebhookManagementTest.HOOKS;

    @Inject
    WebhookDispatcher dispatcher;

    private Receiver receiver;
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver((path, call) -> 204);
    }

    @AfterEach
    void stop() throws Exception {
        for (long id : created) {
            signed().delete(HOOKS + "/" + id);
        }
        receiver.close();
    }

    @Test
    void writesAreDeliveredWithoutWaitingForThePollEachOnce() {
        long hook = json("{\"url\":\"" + receiver.url("/woken") + "\",\"events\":[\"contact.*\"]}").post(HOOKS)
                .then().statusCode(201).body("data.status", equalTo("active")).extract().jsonPath().getLong("data.id");
        created.add(hook);

        long first = newContact("Woken");
        long began = System.nanoTime();
        receiver.await(r -> contactIds().contains(first));
        long waited = (System.nanoTime() - began) / 1_000_000;
        assertThat(contactIds()).as("delivered although the next poll is an hour away").contains(first);
        // An upper bound far below the poll interval, not a race: the hint looks after 20 ms.
        assertThat(waited).as("ms until delivery").isLessThan(10_000);

        // More writes, some at once: single creates, a batch, an update; every event arrives.
        List<Long> contacts = new ArrayList<>(List.of(first));
        for (int i = 0; i < 10; i++) {
            contacts.add(newContact("Woken " + i));
        }
        String items = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> "{\"name\":\"Batch " + i + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        json("{\"contacts\":" + items + "}").post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200);
        json("{\"name\":\"Renamed\"}").patch("/api/developer/contacts/" + first).then().statusCode(200);
        int expected = 10 + 1 + 20 + 1;
        receiver.await(r -> receiver.on("/woken").size() >= expected);
        assertThat(contactIds()).containsAll(contacts);

        // Nothing is sent twice, even with more rounds run (as other replicas would), and the log says the same.
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
        Map<String, Long> received = receiver.on("/woken").stream()
                .collect(Collectors.groupingBy(r -> r.headers().get("webhook-id"), Collectors.counting()));
        assertThat(received).hasSize(expected);
        assertThat(received.values()).containsOnly(1L);
        Map<String, Long> logged = new HashMap<>();
        for (Map<String, Object> attempt : signed().get(HOOKS + "/" + hook + "/deliveries?limit=100").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("data")) {
            if (attempt.get("event_id") != null && ((Number) attempt.get("status_code")).intValue() == 204) {
                logged.merge("evt_" + attempt.get("event_id"), 1L, Long::sum);
            }
        }
        assertThat(logged).isEqualTo(received);
    }

    private List<Long> contactIds() {
        return receiver.on("/woken").stream().map(r -> r.json().getJsonObject("data").getJsonObject("contact"))
                .filter(java.util.Objects::nonNull).map(c -> c.getLong("id")).toList();
    }

    private static long newContact(String name) {
        return json("{\"name\":\"" + name + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue();
    }
}
