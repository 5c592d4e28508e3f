package dev.awal.contacts.bulk;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Imports with the scheduler on, as in production (ImportSchedulerTest), and small file limits, so the refusals take
 * small files (ImportLimitsTest). One profile for both, so the suite starts Quarkus once for them: the scheduler's
 * one-row file is far inside the limits, and a refusal happens at upload, before any job exists to schedule.
 */
public class PollingSmallLimits implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("contacts.imports.poll-interval", "200ms", "contacts.imports.poll-delay", "0s",
                "contacts.imports.max-bytes", "4096", "contacts.imports.max-rows", "5");
    }
}
