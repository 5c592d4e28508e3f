package dev.awal.contacts.webhooks;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Retries an hour and more apart and a poll an hour apart: neither a poll nor a scheduled retry can deliver while
 * a test runs, so what delivers is what the test drives — the injectable clock and explicit rounds
 * ({@link WebhookRetryScheduleTest}) or a write's wake-up ({@link WebhookWakeTest}). One profile for both, so the
 * suite starts Quarkus (and its database) once for them instead of twice.
 */
public class HourlyDispatch implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("contacts.webhooks.retry-schedule", "1h,2h,3h", "contacts.webhooks.poll-interval", "1h");
    }
}
