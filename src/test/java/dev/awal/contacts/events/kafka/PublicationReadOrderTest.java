package dev.awal.contacts.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.events.OutboxPlans;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The publisher's batch reads the outbox in the position index's order and stops at its limit: a batch whose
 * ORDER BY no index satisfies reads and sorts the whole backlog after the position, every batch.
 */
@QuarkusTest
class PublicationReadOrderTest {

    @Test
    void aBatchReadsThePositionIndexInOrder() throws SQLException {
        String plan = OutboxPlans.plan(PublicationStore.READ, Map.of(1, "'0'", 2, "0", 3, "500"));
        assertThat(plan).contains("events_position").doesNotContain("Sort");
    }
}
