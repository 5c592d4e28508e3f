package dev.awal.contacts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.Purges;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** The events' retention purge: in chunks of contacts.purge.chunk-size, each committed, one replica at a time. */
@QuarkusTest
class EventPurgeTest {

    private static final String WORKSPACE = "purge-events";
    private static final String EXPIRED = "select count(*) from events where workspace = '" + WORKSPACE
            + "' and created_at < now() - interval '30 days 2 hours'";
    private static final String KEPT = "select count(*) from events where workspace = '" + WORKSPACE
            + "' and created_at >= now() - interval '30 days 2 hours'";

    @Inject
    EventFeed feed;
    @Inject
    Vertx vertx;

    @BeforeEach
    void clear() {
        DatabaseSessions.query("with d as (delete from events where workspace = ? returning 1) select count(*) from d", WORKSPACE);
    }

    /** {@code count} events of the workspace dated {@code age} ago. */
    private static void seed(int count, String age) {
        DatabaseSessions.query("with i as (insert into events (workspace, type, data, created_at) select ?, 'contact.deleted',"
                + " '{\"id\":1,\"phone\":\"1\",\"version\":0}', now() - ?::interval from generate_series(1, ?) returning 1)"
                + " select count(*) from i", WORKSPACE, age, count);
    }

    @Test
    void everyEventPastTheRetentionGoesOverSeveralChunksAndNoneWithin() {
        int expired = Purges.chunkSize() * 3 + 2;
        seed(expired, "40 days");
        seed(5, "29 days");
        assertThat(Purges.count(EXPIRED)).isEqualTo(expired);
        Purges.untilGone(vertx, feed::purge, EXPIRED);
        assertThat(Purges.count(EXPIRED)).isZero();
        assertThat(Purges.count(KEPT)).isEqualTo(5);
    }

    /**
     * The purge was one DELETE: cancelled by the statement timeout once the backlog outgrew it, it deleted nothing,
     * every hour. Here a row it cannot take yet (locked by this test) stops it, and what came before is already gone.
     */
    @Test
    void eachChunkIsCommittedOnItsOwn() throws Exception {
        int expired = Purges.chunkSize() * 3;
        seed(expired, "40 days");
        seed(1, "35 days");
        long left = Purges.remainingWhileBlocked(vertx, feed::purge,
                "select id from events where workspace = '" + WORKSPACE + "' and created_at < now() - ?::interval"
                        + " and created_at > now() - interval '36 days' for update", "30 days",
                "%DELETE FROM events%", EXPIRED);
        assertThat(left).as("events past the retention left while the purge waits").isLessThanOrEqualTo(Purges.chunkSize());
        Purges.untilGone(vertx, feed::purge, EXPIRED);
        assertThat(Purges.count(EXPIRED)).isZero();
    }

    /** Every replica runs the purge: while one purges (here: holds its turn), another deletes nothing. */
    @Test
    void onlyOneReplicaPurgesAtATime() throws Exception {
        seed(Purges.chunkSize() + 1, "40 days");
        try (Connection other = Purges.holdTurn("events")) {
            assertThat(OnVertx.await(vertx, feed::purge)).isZero();
            assertThat(Purges.count(EXPIRED)).isEqualTo(Purges.chunkSize() + 1);
        }
        Purges.untilGone(vertx, feed::purge, EXPIRED);
        assertThat(Purges.count(EXPIRED)).isZero();
    }
}
