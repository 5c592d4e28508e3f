package dev.awal.contacts.api;

import org.hibernate.JDBCException;

import io.vertx.pgclient.PgException;

/** Reads PostgreSQL's verdict out of a persistence failure, so constraints (not pre-checks) decide races. */
public final class DatabaseErrors {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

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

    private static String sqlState(JDBCException e) {
        if (e.getSQLState() != null) {
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
