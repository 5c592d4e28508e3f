package dev.awal.contacts.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.HmacSigner;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * The replay cache remembers only writes within their client's rate limit. It used to record every correctly
 * signed write before the limit was counted: a client re-signing refused writes in a loop filled the cache (shared
 * by every client, and bounded only by its size) and every other client's writes were then refused with 503.
 */
@QuarkusTest
@TestProfile(ReplayBudgetTest.SmallCache.class)
class ReplayBudgetTest {

    private static final String TARGET = "/api/developer/contacts";
    private static final String QUERY = "phone_number_id=1";

    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "%test.contacts.rate-limits.contact-writes", "3/1m",
                    "contacts.auth.replay-cache-max-entries", "6",
                    "contacts.auth.clients.\"flooder\".secrets", "flooder-secret",
                    "contacts.auth.clients.\"flooder\".workspaces", "flood",
                    "contacts.auth.clients.\"bystander\".secrets", "bystander-secret",
                    "contacts.auth.clients.\"bystander\".workspaces", "calm");
        }
    }

    private static ValidatableResponse create(String client, String secret, String workspace, String body, long timestamp) {
        String signature = HmacSigner.sign(secret, "POST", TARGET, QUERY, String.valueOf(timestamp),
                body.getBytes(StandardCharsets.UTF_8));
        return given().urlEncodingEnabled(false)
                .header("X-Awal-Signature-256", "sha256=" + signature).header("X-Timestamp", String.valueOf(timestamp))
                .header("X-Domain", workspace).header("X-Client-ID", client)
                .contentType("application/json").body(body).post(TARGET + "?" + QUERY).then();
    }

    private static String contact() {
        return "{\"name\":\"Budget\",\"phone\":\"+" + TestData.uniquePhone() + "\"}";
    }

    @Test
    void writesRefusedByTheRateLimitAreNotRememberedSoTheyCannotCrowdOutOtherClients() {
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 3; i++) {
            create("flooder", "flooder-secret", "flood", contact(), now).statusCode(201);
        }
        // Freshly signed writes over the budget: refused by the limit (before: each one remembered first, the cache
        // of 6 was full after three of them and the rest, and everyone else's writes, were 503).
        for (int i = 0; i < 12; i++) {
            create("flooder", "flooder-secret", "flood", contact(), now).statusCode(429);
        }
        String body = contact();
        create("bystander", "bystander-secret", "calm", body, now).statusCode(201);
        // A replay is still refused, now after being counted.
        create("bystander", "bystander-secret", "calm", body, now).statusCode(401)
                .body("message", containsString("Replayed"));
        create("bystander", "bystander-secret", "calm", contact(), now).statusCode(201);
    }
}
