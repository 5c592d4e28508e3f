package dev.awal.contacts.reliability;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.OwnDatabase;
import dev.awal.contacts.support.StandalonePostgres;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

/**
 * PostgreSQL stopped (pg_ctl fast and immediate modes) and started again under concurrent writers:
 * every answer during the outage is the 503 envelope with Retry-After, writes succeed again once the
 * database is back (no restart of the service), and every write acknowledged with a 2xx is in the
 * database afterwards with the acknowledged content.
 */
@QuarkusTest
@TestProfile(OwnDatabase.class)
class DatabaseOutageTest {

    private static final int WRITERS = 6;
    private static final String CONTACTS = "/api/developer/contacts";
    /** Bounds a request that never answers (itself a failure), not a timing expectation. */
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 10_000));

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private volatile Instant lastAcknowledgedAt = Instant.EPOCH;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Contact id to its phone, for every acknowledged create. */
    private final Map<Long, String> created = new ConcurrentHashMap<>();
    /** Contact id to the names written to it, in order, and the index of the last acknowledged one. */
    private final Map<Long, List<String>> attempted = new ConcurrentHashMap<>();
    private final Map<Long, Integer> lastAcknowledged = new ConcurrentHashMap<>();

    @Test
    void writesDuringFastAndImmediateStopsAreAnsweredAndEveryAcknowledgedOneIsKept() throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> write(writer), "outage-writer-" + w);
            thread.start();
            writers.add(thread);
        }
        try {
            awaitCondition("writes before the first outage", () -> acknowledged.get() >= 30);
            for (String mode : List.of("fast", "immediate", "fast", "immediate")) {
                int before = unavailable.get();
                StandalonePostgres.stopDatabase(mode);
                awaitCondition("503 answers while stopped (" + mode + ")", () -> unavailable.get() >= before + 10);
                StandalonePostgres.startDatabase();
                Instant accepting = Instant.now();
                awaitCondition("a write acknowledged after the restart (" + mode + ")", () -> lastAcknowledgedAt.isAfter(accepting));
                System.out.printf("Outage (%s): first acknowledged write %d ms after the database accepted connections%n",
                        mode, Duration.between(accepting, lastAcknowledgedAt).toMillis());
                int after = acknowledged.get();
                awaitCondition("writes after the restart", () -> acknowledged.get() >= after + 20);
            }
        } finally {
            running.set(false);
            for (Thread thread : writers) {
                thread.join(120_000);
            }
        }

        assertThat(violations).as("answers other than 2xx or the 503 envelope").isEmpty();
        System.out.printf("Outage test: %d writes acknowledged, %d answered 503, %d contacts checked%n",
                acknowledged.get(), unavailable.get(), attempted.size() + created.size());
        created.forEach((id, phone) -> {
            Response found = signed().get(CONTACTS + "/" + id);
            assertThat(found.statusCode()).as("acknowledged create of contact %d", id).isEqualTo(200);
            assertThat(found.<String>path("data.phone")).isEqualTo(phone);
        });
        lastAcknowledged.forEach((id, index) -> {
            String name = signed().get(CONTACTS + "/" + id).then().statusCode(200).extract().path("data.name");
            // A write whose answer was lost (503 after its commit) may be there too, but never one from before the last acknowledged.
            assertThat(attempted.get(id).indexOf(name)).as("contact %d named %s", id, name).isGreaterThanOrEqualTo(index);
        });
        assertThat(DatabaseSessions.idleInTransaction()).isEmpty();
    }

    private void write(int writer) {
        Long own = null;
        for (int n = 0; running.get(); n++) {
            try {
                if (own == null || n % 5 == 0) {
                    String phone = TestData.uniquePhone();
                    Response response = json("{\"name\":\"W" + writer + "-C" + n + "\",\"phone\":\"+" + phone + "\"}")
                            .config(BOUNDED).post(CONTACTS + "?phone_number_id=1");
                    if (answered(response, 201, "POST")) {
                        long id = response.<Number>path("data.id").longValue();
                        created.put(id, phone);
                        if (own == null) {
                            own = id;
                            attempted.put(id, new CopyOnWriteArrayList<>(List.of("W" + writer + "-C" + n)));
                        }
                    }
                } else {
                    String name = "W" + writer + "-P" + n;
                    attempted.get(own).add(name);
                    Response response = json("{\"name\":\"" + name + "\"}").config(BOUNDED).patch(CONTACTS + "/" + own);
                    if (answered(response, 200, "PATCH")) {
                        lastAcknowledged.put(own, attempted.get(own).size() - 1);
                    }
                }
            } catch (RuntimeException e) {
                violations.add("writer " + writer + ": no answer: " + e);
            }
        }
    }

    /** Records the answer; true when it acknowledged the write. */
    private boolean answered(Response response, int success, String what) {
        if (response.statusCode() == success) {
            acknowledged.incrementAndGet();
            lastAcknowledgedAt = Instant.now();
            return true;
        }
        boolean envelope = response.statusCode() == 503 && "service_unavailable".equals(response.path("error"))
                && response.header("Retry-After") != null && response.header("X-Request-ID") != null;
        if (envelope) {
            unavailable.incrementAndGet();
        } else {
            violations.add(what + " -> " + response.statusCode() + " " + response.asString());
        }
        pause(20);
        return false;
    }

    private void awaitCondition(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("never saw " + what + "; violations: " + violations);
            }
            pause(50);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
