package dev.awal.contacts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The feed's page reads the outbox in its index's order and stops at its limit: a page whose ORDER BY no index
 * satisfies reads and sorts every event after the cursor, a cost that grows with the workspace's events.
 */
@QuarkusTest
class FeedIndexOrderTest {

    @Test
    void theFeedPageReadsAPositionIndexInOrder() throws SQLException {
        String plan = OutboxPlans.plan(EventFeed.PAGE, Map.of(1, "'alpha'", 2, "'0'", 3, "0", 4, "NULL", 5, "101", 6, "NULL"));
        // Which of the two (txid, id)-ordered indexes the planner takes depends on the workspace's share of the test
        // database's events (in CI most are alpha's, and it read events_position filtering by workspace); either reads
        // in order and stops at the limit. What must not appear below the Limit is a Sort (the one above it orders the
        // page's rows behind the clock row of the outer join: at most limit + 1 of them).
        assertThat(plan).contains("Limit");
        assertThat(plan.substring(plan.indexOf("Limit"))).containsPattern("Index (Only )?Scan using events_(workspace_)?position")
                .doesNotContain("Sort");
    }
}
