package dev.awal.contacts.api;

import java.util.function.Supplier;

import org.hibernate.JDBCException;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Reads PostgreSQL's verdict out of a persistence failure, so constraints (not pre-checks) decide races. */
public final class DatabaseErrors {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final java.util.regex.Pattern QUOTED_STATE = java.util.regex.Pattern.compile("\\(([0-9A-Z]{5})\\)");
    /** Attempts of a transaction that PostgreSQL chose as a deadlock victim. */
    private static final int DEADLOCK_ATTEMPTS = 3;

    private DatabaseErrors() {
    }

    /** Whether the failure is a unique violation of the named constraint or index. */
    public static boolean violates(Throwable failure, String constraint) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return constraint.equals(pg.getConstraint());
            }
            // Hibernate Reactive reports it as a JDBCException whose message quotes the constraint.
            if (t instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(sqlState(jdbc))) {
                return constraint.equals(jdbc instanceof org.hibernate.exception.ConstraintViolationException cve
                        ? cve.getConstraintName() : null)
                        || String.valueOf(jdbc.getMessage()).contains("\"" + constraint + "\"");
            }
        }
        return false;
    }

    /** Whether a referenced row vanished (a group or branch deleted while a contact was linked to it). */
    public static boolean isForeignKeyViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())
                    || t instanceof JDBCException jdbc && FOREIGN_KEY_VIOLATION.equals(sqlState(jdbc))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a transaction again when PostgreSQL aborted it to break a deadlock (or a serialization
     * failure): the victim changed nothing, and its next attempt normally finds the way clear.
     * Writers lock rows in one order (group, branch, contact), so this is the rare exception.
     */
    public static <T> Uni<T> retryingDeadlocks(Supplier<Uni<? extends T>> transaction) {
        return Uni.createFrom().<T>deferred(transaction)
                .onFailure(DatabaseErrors::isDeadlock).retry().atMost(DEADLOCK_ATTEMPTS - 1);
    }

    static boolean isDeadlock(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            String state = state(t);
            if (DEADLOCK_DETECTED.equals(state) || SERIALIZATION_FAILURE.equals(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether PostgreSQL refused or dropped the work for reasons of its own state rather than the
     * request's: connection failures (class 08, a connection closed under a transaction), shutdown,
     * crash recovery and start-up ("the database system is starting up", 57P01-57P03), too many
     * connections or other lack of resources (53), and the safety-net timeouts (statement, lock, idle
     * in transaction). Retrying later can succeed. Every cause is looked at, including the several
     * that Mutiny gathers when a rollback fails too (the rollback of a dead connection always does).
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t : causes(failure)) {
            String state = state(t);
            if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                    || state.equals("57014") || state.equals("55P03") || state.equals("25P03"))) {
                return true;
            }
            if (lostConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /** A socket error (refused, reset, broken pipe) reaches here raw when the database went away mid-exchange. */
    private static boolean lostConnection(Throwable t) {
        return t instanceof io.vertx.sqlclient.ClosedConnectionException || t instanceof java.net.SocketException
                || t instanceof java.nio.channels.ClosedChannelException
                || String.valueOf(t.getMessage()).startsWith("Connection is not active now");
    }

    /**
     * Whether the transaction may have committed although the write failed: the connection was lost (class 08, a
     * closed connection or socket) or the server shut down (57P01-57P03) while the work was under way, perhaps
     * during its COMMIT. Refusals (constraints, timeouts, lack of resources) are certain rollbacks.
     */
    public static boolean mayHaveCommitted(Throwable failure) {
        for (Throwable t : causes(failure)) {
            String state = state(t);
            if (state != null && (state.startsWith("08") || state.startsWith("57P")) || lostConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /** The failure, its causes, suppressed and composite parts (bounded, each once). */
    private static java.util.List<Throwable> causes(Throwable failure) {
        java.util.List<Throwable> seen = new java.util.ArrayList<>();
        java.util.Deque<Throwable> pending = new java.util.ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty() && seen.size() < 64) {
            Throwable t = pending.poll();
            if (seen.stream().anyMatch(known -> known == t)) {
                continue;
            }
            seen.add(t);
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(java.util.List.of(t.getSuppressed()));
            if (t instanceof io.smallrye.mutiny.CompositeException composite) {
                pending.addAll(composite.getCauses());
            }
        }
        return seen;
    }

    /** The SQLSTATE a failure carries, from PostgreSQL's own error or Hibernate's wrapping of it. */
    private static String state(Throwable t) {
        if (t instanceof PgException pg) {
            return pg.getSqlState();
        }
        String state = t instanceof JDBCException jdbc ? (jdbc.getSQLException() == null ? null : jdbc.getSQLState())
                : t instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
        if (state == null && (t instanceof JDBCException || t instanceof java.sql.SQLException)) {
            // Hibernate Reactive may leave the state out and quote it at the end of the message: "... (40P01)".
            var quoted = QUOTED_STATE.matcher(String.valueOf(t.getMessage()));
            while (quoted.find()) {
                state = quoted.group(1);
            }
        }
        return state;
    }

    private static String sqlState(JDBCException e) {
        if (e.getSQLException() != null && e.getSQLState() != null) {
            return e.getSQLState();
        }
        String message = String.valueOf(e.getMessage());
        return message.contains("(" + UNIQUE_VIOLATION + ")") ? UNIQUE_VIOLATION
                : message.contains("(" + FOREIGN_KEY_VIOLATION + ")") ? FOREIGN_KEY_VIOLATION : null;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
