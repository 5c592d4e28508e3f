package dev.awal.contacts.observability;

import static dev.awal.contacts.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.OwnDatabase;
import dev.awal.contacts.support.StandalonePostgres;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Readiness follows the database: DOWN while it is unreachable, UP again once it is back, no restart. */
@QuarkusTest
@TestProfile(OwnDatabase.class)
class ReadinessTest {

    @Test
    void readinessGoesDownWithTheDatabaseAndComesBackWithIt() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));

        StandalonePostgres.stopDatabase();
        try {
            Response down = awaitReadiness(r -> r.statusCode() == 503);
            down.then().body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("DOWN"));
            // Liveness does not depend on the database: a restart would not bring it back.
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            json("{\"name\":\"Outage\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                    .post("/api/developer/contacts?phone_number_id=1")
                    .then().statusCode(503).header("Retry-After", "5")
                    .body("error", equalTo("service_unavailable"));
        } finally {
            StandalonePostgres.startDatabase();
        }

        awaitReadiness(r -> r.statusCode() == 200).then().body("status", equalTo("UP"))
                .body("checks.status", org.hamcrest.Matchers.everyItem(equalTo("UP")));
        json("{\"name\":\"Recovered\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
    }

    /** Polls readiness until it satisfies {@code expected}; the deadline only bounds a hung test. */
    private static Response awaitReadiness(Predicate<Response> expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Response last;
        do {
            last = given().get("/q/health/ready");
            if (expected.test(last)) {
                return last;
            }
            sleep();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("readiness never reached the expected state; last: " + last.asString());
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
