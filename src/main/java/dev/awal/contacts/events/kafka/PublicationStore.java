package dev.awal.contacts.events.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The publication's state in PostgreSQL (V15): which replica publishes (a lease on the topic's cursor row,
 * claimed with FOR UPDATE SKIP LOCKED) and up to where the broker has acknowledged. Every statement is a
 * short transaction of its own: no transaction stays open while records are on their way to the broker.
 */
@ApplicationScoped
class PublicationStore {

    /** A position in the feed's order (V10): the (txid, id) of the last acknowledged event. */
    record Position(long txid, long id) {
    }

    /** An event to publish, in the envelope the feed shows. */
    record OutboxEvent(Position position, long id, String type, String workspace, Instant createdAt, String data,
            String aggregateId) {
    }

    private static final String CREATE = "INSERT INTO kafka_publication (topic) VALUES ($1) ON CONFLICT DO NOTHING";
    /** Takes (or renews) the lease unless another owner holds a live one; answers the position. */
    private static final String CLAIM = """
            UPDATE kafka_publication SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond'
            WHERE topic = (SELECT topic FROM kafka_publication WHERE topic = $1
                           AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < now())
                           FOR UPDATE SKIP LOCKED)
            RETURNING txid::text::int8 AS txid, event_id
            """;
    /**
     * The feed's visibility rule (EventFeed, V10) over every workspace: only events of transactions older than
     * every transaction still running, so a position once passed never gains an event before it. In the order of
     * the table's columns, as EventFeed's page: ordered by the output column txid (the int8 cast) each batch read
     * and sorted the whole backlog after the position (5.1 s for a batch of 500 with 400,000 events behind it).
     */
    static final String READ = """
            SELECT id, type, workspace, created_at, data::text AS data, txid::text::int8 AS txid,
                   coalesce(data -> split_part(type, '.', 1) ->> 'id', data ->> 'id') AS aggregate_id
            FROM events
            WHERE (txid, id) > ($1::text::xid8, $2) AND txid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY events.txid, events.id
            LIMIT $3
            """;
    private static final String ADVANCE = """
            UPDATE kafka_publication SET txid = $3::text::xid8, event_id = $4, updated_at = now(),
                   lease_until = now() + $5 * interval '1 millisecond'
            WHERE topic = $1 AND lease_owner = $2
            """;
    private static final String RELEASE = """
            UPDATE kafka_publication SET lease_owner = NULL, lease_until = NULL WHERE topic = $1 AND lease_owner = $2
            """;

    private final Pool pool;
    /** Set once the topic's row is known to exist, so rounds skip the insert. */
    private volatile boolean created;

    PublicationStore(Pool pool) {
        this.pool = pool;
    }

    /** The acknowledged position if {@code owner} now holds the topic's lease for {@code leaseMillis}; else null. */
    Uni<Position> claim(String topic, String owner, long leaseMillis) {
        Uni<Void> ensured = created ? Uni.createFrom().voidItem()
                : pool.preparedQuery(CREATE).execute(Tuple.of(topic)).invoke(() -> created = true).replaceWithVoid();
        return ensured.flatMap(exists -> pool.preparedQuery(CLAIM).execute(Tuple.of(topic, owner, leaseMillis)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Position(row.getLong("txid"), row.getLong("event_id"));
                });
    }

    /** Up to {@code limit} events after {@code after}, in feed order. */
    Uni<List<OutboxEvent>> read(Position after, int limit) {
        return pool.preparedQuery(READ).execute(Tuple.of(Long.toString(after.txid()), after.id(), limit))
                .map(rows -> {
                    List<OutboxEvent> events = new ArrayList<>(rows.rowCount());
                    for (Row row : rows) {
                        events.add(new OutboxEvent(new Position(row.getLong("txid"), row.getLong("id")), row.getLong("id"),
                                row.getString("type"), row.getString("workspace"),
                                row.getOffsetDateTime("created_at").toInstant(), row.getString("data"),
                                row.getString("aggregate_id")));
                    }
                    return events;
                });
    }

    /** Records {@code to} as acknowledged and renews the lease; false when {@code owner} no longer holds it. */
    Uni<Boolean> advance(String topic, String owner, Position to, long leaseMillis) {
        return pool.preparedQuery(ADVANCE)
                .execute(Tuple.of(topic, owner, Long.toString(to.txid()), to.id(), leaseMillis))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Hands the lease back, so another replica takes over at once rather than after the lease. */
    Uni<Void> release(String topic, String owner) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(topic, owner)).replaceWithVoid();
    }
}
