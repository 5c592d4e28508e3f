package dev.awal.contacts.api;

import io.vertx.pgclient.PgException;

/** Reads PostgreSQL's verdict out of a persistence failure, so constraints (not pre-checks) decide races. */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** Whether the failure is a unique violation of the named constraint or index. */
    public static boolean violates(Throwable failure, String constraint) {
        PgException pg = find(failure);
        return pg != null && "23505".equals(pg.getSqlState()) && constraint.equals(pg.getConstraint());
    }

    /** Whether a referenced row vanished (a group or branch deleted while a contact was linked to it). */
    public static boolean isForeignKeyViolation(Throwable failure) {
        PgException pg = find(failure);
        return pg != null && "23503".equals(pg.getSqlState());
    }

    private static PgException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return pg;
            }
        }
        return null;
    }
}
