package dev.awal.contacts.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Every 429 of the rate limiter is counted, tagged with the operation class that ran out. */
@QuarkusTest
@TestProfile(RateLimitMetricsTest.OneListPerMinute.class)
class RateLimitMetricsTest {

    public static class OneListPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "%test.contacts.rate-limits.list-contacts", "1/1m",
                    "contacts.auth.clients.\"metrics-client\".secrets", "metrics-secret",
                    "contacts.auth.clients.\"metrics-client\".workspaces", "metrics");
        }
    }

    @Test
    void rejectionsAreCountedByOperationClass() {
        String label = "operation=\"list-contacts\"";
        PrometheusScrape before = PrometheusScrape.now();
        int refused = 0;
        for (int i = 0; i < 4; i++) {
            int status = Api.as("metrics-client", "metrics-secret", "metrics").get("/api/developer/contacts")
                    .then().extract().statusCode();
            refused += status == 429 ? 1 : 0;
        }
        PrometheusScrape after = PrometheusScrape.now();

        assertTrue(refused >= 2, "with one list a minute, most of four lists are refused: " + refused);
        assertEquals(before.value("contacts_rate_limit_rejections_total", label) + refused,
                after.value("contacts_rate_limit_rejections_total", label));
    }
}
