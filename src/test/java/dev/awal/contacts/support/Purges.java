package dev.awal.contacts.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Drives a retention purge against rows a test seeded, and watches it from the test's own connection. */
public final class Purges {

    private Purges() {
    }

    /** contacts.purge.chunk-size of the test profile: seeding more rows than this makes a purge take several chunks. */
    public static int chunkSize() {
        return ConfigProvider.getConfig().getValue("contacts.purge.chunk-size", Integer.class);
    }

    /** The one-column count {@code sql} answers. */
    public static long count(String sql, Object... params) {
        return Long.parseLong(DatabaseSessions.query(sql, params).get(0));
    }

    /**
     * Runs {@code purge} until {@code remaining} counts nothing (at most five runs: a scheduled purge of the service
     * may hold the purge's turn for a moment, and then this run deletes nothing).
     */
    public static void untilGone(Vertx vertx, Supplier<Uni<?>> purge, String remaining, Object... params) {
        for (int run = 0; run < 5 && count(remaining, params) > 0; run++) {
            OnVertx.await(vertx, purge::get);
            if (count(remaining, params) > 0) {
                DatabaseSessions.pause(200);
            }
        }
    }

    /**
     * Starts {@code purge} while this test's own transaction holds the row lock of {@code lock} (a SELECT ... FOR
     * UPDATE), waits until a statement like {@code waiting} waits for it, and answers what {@code remaining} counts at
     * that moment, as other sessions see it; then lets the purge go on and waits for it to end. A purge that commits
     * chunk by chunk has deleted everything ordered before the locked row's chunk by then; one statement, nothing.
     */
    public static long remainingWhileBlocked(Vertx vertx, Supplier<Uni<?>> purge, String lock, Object lockParam, String waiting,
            String remaining, Object... params) throws Exception {
        try (Connection holder = DatabaseSessions.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement statement = holder.prepareStatement(lock)) {
                statement.setObject(1, lockParam);
                statement.executeQuery().close();
            }
            CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> OnVertx.await(vertx, purge::get));
            long left;
            try {
                DatabaseSessions.awaitLockWait(waiting);
                left = count(remaining, params);
            } finally {
                holder.rollback();
            }
            run.get(60, TimeUnit.SECONDS);
            return left;
        }
    }

    /** Holds the session-level advisory lock every chunk of the purge named {@code name} tries for, as another replica's purge would. */
    public static Connection holdTurn(String name) throws SQLException {
        Connection holder = DatabaseSessions.connect();
        try (PreparedStatement statement = holder.prepareStatement("SELECT pg_advisory_lock(hashtext('contacts-purge:' || ?))")) {
            statement.setString(1, name);
            statement.executeQuery().close();
        }
        return holder;
    }
}
