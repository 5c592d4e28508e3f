package dev.awal.contacts.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Looks at the service's database from outside, over a JDBC connection of its own (never one of
 * the service's pool), to check what the service left behind.
 */
public final class DatabaseSessions {

    private DatabaseSessions() {
    }

    /**
     * The sessions (other than this one) that sit inside a transaction doing nothing, polled for a
     * moment so that a rollback already on its way is not counted; empty when all is well.
     */
    public static List<String> idleInTransaction() {
        List<String> found = List.of();
        for (int attempt = 0; attempt < 20; attempt++) {
            found = query("select pid || ' ' || coalesce(query, '') from pg_stat_activity"
                    + " where state like 'idle in transaction%' and pid <> pg_backend_pid()");
            if (found.isEmpty()) {
                return found;
            }
            pause(100);
        }
        return found;
    }

    /**
     * Waits (at most 20 s) until another session running a statement like {@code pattern} (SQL LIKE, case-insensitive)
     * waits for a lock: a race test holds a lock from its own connection and lets the service's statement run into it.
     */
    public static void awaitLockWait(String pattern) {
        for (int i = 0; i < 400; i++) {
            if (!query("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE ? AND pid <> pg_backend_pid()",
                    pattern).isEmpty()) {
                return;
            }
            pause(50);
        }
        throw new AssertionError("no statement like " + pattern + " came to wait for a lock");
    }

    /** Rows of a one-column query, as text. */
    public static List<String> query(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection of the test's own, e.g. to hold locks in a transaction while the service works. */
    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
