package dev.awal.contacts.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service on a PostgreSQL of its own ({@link StandalonePostgres}) that a test may stop and start again.
 * Shared by the outage tests (ReadinessTest, DatabaseOutageTest): each leaves the database running, so one start
 * of Quarkus and of that database serves them all.
 */
public class OwnDatabase implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandalonePostgres.class));
    }
}
