package dev.awal.contacts.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.sharedstate.SharedState;
import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The limits of contract §6 with small numbers: 3 list requests and 3 contact writes a minute,
 * 2 branch writes an hour, 50 of anything else a minute. Each test works in its own workspace,
 * so the counters of one never reach another.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    private static final String CONTACTS = "/api/developer/contacts";
    private static final String CLIENT = "limits-client";
    private static final String SECRET = "limits-secret";

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // %test-qualified, to win over the generous %test limits in application.properties.
            return Map.of(
                    "%test.contacts.rate-limits.list-contacts", "3/1m",
                    "%test.contacts.rate-limits.contact-writes", "3/1m",
                    "%test.contacts.rate-limits.branch-writes", "2/1h",
                    "%test.contacts.rate-limits.other", "50/1m",
                    "contacts.auth.clients.\"limits-client\".secrets", "limits-secret",
                    "contacts.auth.clients.\"limits-client\".workspaces", "list-a,list-b,writes,branches,unauth",
                    "contacts.auth.clients.\"second-client\".secrets", "second-secret",
                    "contacts.auth.clients.\"second-client\".workspaces", "list-a");
        }
    }

    @Inject
    SharedState state;

    @Inject
    RateLimiter limiter;

    /**
     * Without Redis the counters are counted at once (no Uni per request), through the injected bean as
     * the handler uses it, and both ways of counting draw on one window.
     */
    @Test
    void inProcessCountersAreCountedAtOnceAndShareTheirWindowWithTheAsynchronousPath() {
        SharedState.WindowCount first = state.hitNow("rate:test:at-once", Duration.ofMinutes(1));
        assertThat(first).isNotNull();
        assertThat(first.hits()).isEqualTo(1);
        assertThat(state.hit("rate:test:at-once", Duration.ofMinutes(1)).await().indefinitely().hits()).isEqualTo(2);
        assertThat(state.hitNow("rate:test:at-once", Duration.ofMinutes(1)).hits()).isEqualTo(3);

        RateLimiter.Decision decision = limiter.hitNow(CLIENT, "at-once", OperationClass.LIST_CONTACTS);
        assertThat(decision).isNotNull();
        assertThat(decision.remaining()).isEqualTo(2);
        assertThat(limiter.hit(CLIENT, "at-once", OperationClass.LIST_CONTACTS).await().indefinitely().remaining())
                .isEqualTo(1);
    }

    private static RequestSpecification in(String workspace) {
        return Api.as(CLIENT, SECRET, workspace);
    }

    private static long header(Response response, String name) {
        assertThat(response.header(name)).as(name).isNotNull();
        return Long.parseLong(response.header(name));
    }

    private static void assertCounted(Response response, int limit, int remaining) {
        assertThat(header(response, "X-RateLimit-Limit")).isEqualTo(limit);
        assertThat(header(response, "X-RateLimit-Remaining")).isEqualTo(remaining);
    }

    @Test
    void listingContactsIsLimitedPerClientAndWorkspace() {
        long windowOpened = Instant.now().getEpochSecond();
        for (int remaining = 2; remaining >= 0; remaining--) {
            Response ok = in("list-a").get(CONTACTS).then().statusCode(200).extract().response();
            assertCounted(ok, 3, remaining);
            assertThat(header(ok, "X-RateLimit-Reset")).isBetween(windowOpened + 1, Instant.now().getEpochSecond() + 61);
            assertThat(ok.header("Retry-After")).isNull();
        }

        Response refused = in("list-a").get(CONTACTS + "?per_page=5").then().statusCode(429)
                .contentType("application/json")
                .body("status", equalTo(false))
                .body("error", equalTo("rate_limit_exceeded"))
                .body("message", containsString("listing contacts is limited to 3 requests per minute"))
                .body("details", nullValue())
                .body("request_id", notNullValue())
                .header("X-Request-ID", notNullValue())
                .extract().response();
        assertCounted(refused, 3, 0);
        long reset = header(refused, "X-RateLimit-Reset");
        long retryAfter = header(refused, "Retry-After");
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(reset).isBetween(windowOpened + 1, windowOpened + 61);
        assertThat(Instant.now().getEpochSecond() + retryAfter).isCloseTo(reset, within(1L));

        // The same client elsewhere, and another client here, have budgets of their own.
        assertCounted(in("list-b").get(CONTACTS).then().statusCode(200).extract().response(), 3, 2);
        assertCounted(Api.as("second-client", "second-secret", "list-a").get(CONTACTS).then().statusCode(200)
                .extract().response(), 3, 2);

        // Other operation classes are untouched by the spent list budget; an error answer is counted and says so.
        assertCounted(in("list-a").get(CONTACTS + "/999999999").then().statusCode(404)
                .body("error", equalTo("resource_not_found")).extract().response(), 50, 49);
        assertCounted(in("list-a").get("/api/developer/contact-groups").then().statusCode(200).extract().response(),
                50, 48);
        assertCounted(in("list-a").contentType("application/json")
                .body("{\"name\":\"Limits\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=1").then().statusCode(201).extract().response(), 3, 2);
    }

    @Test
    void creatingAndUpdatingContactsShareOneBudget() {
        int id = in("writes").contentType("application/json")
                .body("{\"name\":\"Budget\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=1").then().statusCode(201)
                .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "2")
                .extract().path("data.id");
        String contact = CONTACTS + "/" + id;
        in("writes").contentType("application/json").body("{\"email\":\"not-an-email\"}")
                .patch(contact).then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "1");
        in("writes").contentType("application/json").body("{\"full_name\":\"Budget Spent\"}")
                .patch(contact).then().statusCode(200)
                .header("X-RateLimit-Remaining", "0");
        in("writes").contentType("application/json").body("{\"full_name\":\"One Too Many\"}")
                .patch(contact).then().statusCode(429)
                .body("error", equalTo("rate_limit_exceeded"))
                .body("message", containsString("creating and updating contacts"))
                .header("Retry-After", notNullValue());

        // Nothing changed by the refused update; reads and deletes draw on the other budget.
        in("writes").get(contact).then().statusCode(200)
                .body("data.full_name", equalTo("Budget Spent"))
                .header("X-RateLimit-Limit", "50");
        in("writes").delete(contact).then().statusCode(200).header("X-RateLimit-Limit", "50");
        in("writes").get(CONTACTS).then().statusCode(200).header("X-RateLimit-Limit", "3")
                .header("X-RateLimit-Remaining", "2");
    }

    @Test
    void branchWritesHaveAnHourlyBudget() {
        int id = in("branches").contentType("application/json").body("{\"name\":\"Hourly\"}")
                .post("/api/developer/branches?phone_number_id=1").then().statusCode(201)
                .header("X-RateLimit-Limit", "2").header("X-RateLimit-Remaining", "1")
                .extract().path("data.id");
        in("branches").contentType("application/json").body("{\"description\":\"patched\"}")
                .patch("/api/developer/branches/" + id).then().statusCode(200)
                .header("X-RateLimit-Remaining", "0");
        Response refused = in("branches").contentType("application/json").body("{\"name\":\"Too many\"}")
                .post("/api/developer/branches?phone_number_id=1").then().statusCode(429)
                .body("error", equalTo("rate_limit_exceeded"))
                .body("message", containsString("2 requests per hour"))
                .extract().response();
        // The window is an hour long, so the wait is far beyond a minute.
        assertThat(header(refused, "Retry-After")).isBetween(3000L, 3600L);

        in("branches").get("/api/developer/branches/" + id).then().statusCode(200).header("X-RateLimit-Limit", "50");
        // Even a route that does not exist answers with the budget it drew on.
        in("branches").get("/api/developer/no-such-route").then().statusCode(404)
                .body("error", equalTo("resource_not_found"))
                .header("X-RateLimit-Limit", "50").header("X-RateLimit-Remaining", "48");
    }

    @Test
    void requestsThatFailAuthenticationAreNotCounted() {
        for (int i = 0; i < 5; i++) {
            Api.as(CLIENT, "wrong-secret", "unauth").get(CONTACTS).then().statusCode(401)
                    .header("X-RateLimit-Limit", nullValue());
        }
        given().header("X-Client-ID", CLIENT).get(CONTACTS).then().statusCode(401)
                .body("error", equalTo("missing_headers"))
                .header("X-RateLimit-Limit", nullValue());
        Api.as(CLIENT, SECRET, "gamma").get(CONTACTS).then().statusCode(403)
                .header("X-RateLimit-Limit", nullValue());

        in("unauth").get(CONTACTS).then().statusCode(200).header("X-RateLimit-Remaining", "2");
    }

    @Test
    void theOpenApiDocumentDescribesTheHeaders() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/developer/contacts'.get.responses.'200'.headers.'X-RateLimit-Limit'", notNullValue())
                .body("paths.'/api/developer/contacts'.get.responses.'200'.headers.'X-RateLimit-Reset'.schema.type",
                        equalTo("integer"))
                .body("paths.'/api/developer/contacts'.get.responses.'429'.headers.'Retry-After'", notNullValue())
                .body("paths.'/api/developer/contacts'.get.responses.'401'.headers.'X-RateLimit-Limit'", nullValue());
    }
}
