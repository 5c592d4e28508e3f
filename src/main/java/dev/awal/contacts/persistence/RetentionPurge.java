package dev.awal.contacts.persistence;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a retention purge as a series of bounded deletes. One unbounded DELETE of everything past the retention
 * grows with the backlog (a lowered retention, a service down for a while, a few large imports): once it needs more
 * than the statement timeout it is cancelled every time and retention is never enforced again, and while it runs
 * its transaction holds back pg_snapshot_xmin, which the feed, the webhook queueing and the Kafka publisher stop
 * at. Here each chunk deletes at most contacts.purge.chunk-size rows in a transaction of its own, so what was
 * deleted stays deleted and no transaction lasts long.
 * <p>
 * Every replica schedules the purges; each chunk first takes a transaction-scoped advisory lock named after its
 * purge without waiting (the lock ends with the chunk, so no pooled connection is left holding it). A replica that
 * finds it taken stops: another one is purging the same table, and two would only fight over the same rows.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('contacts-purge:' || $1)) AS held";

    private final Pool pool;
    private final PurgeConfig config;

    RetentionPurge(Pool pool, PurgeConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public int chunkSize() {
        return Math.max(1, config.chunkSize());
    }

    /**
     * Runs {@code chunk} (a statement deleting at most $1 rows; {@code params} are $2...) until a run deletes fewer
     * than the chunk size, or another replica holds the purge named {@code name}; answers how many rows went.
     */
    public Uni<Long> inChunks(String name, String chunk, Object... params) {
        int size = chunkSize();
        Tuple tuple = Tuple.tuple().addInteger(size);
        for (Object param : params) {
            tuple.addValue(param);
        }
        return Multi.createBy().repeating().uni(() -> once(name, chunk, tuple)).whilst(deleted -> deleted == size)
                .collect().with(Collectors.summingLong(Integer::longValue));
    }

    private Uni<Integer> once(String name, String chunk, Tuple params) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(name)).flatMap(lock -> lock.iterator().next().getBoolean("held")
                ? tx.preparedQuery(chunk).execute(params).map(rows -> rows.rowCount())
                : Uni.createFrom().item(0)));
    }
}
