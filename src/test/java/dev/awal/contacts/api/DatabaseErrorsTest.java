package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.hibernate.JDBCException;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** How PostgreSQL's failures are classified, as the reactive client and Hibernate Reactive report them. */
class DatabaseErrorsTest {

    @Test
    void aUniqueViolationNamesItsConstraint() {
        PgException duplicate = pg("23505", "contacts_workspace_phone_key");
        assertTrue(DatabaseErrors.violates(duplicate, "contacts_workspace_phone_key"));
        assertTrue(DatabaseErrors.violates(new RuntimeException("wrapped", duplicate), "contacts_workspace_phone_key"));
        assertFalse(DatabaseErrors.violates(duplicate, "contact_groups_workspace_name_key"));
        assertFalse(DatabaseErrors.violates(pg("23503", "contacts_workspace_phone_key"), "contacts_workspace_phone_key"));
    }

    @Test
    void hibernateReactiveQuotesTheConstraintInItsMessage() {
        JDBCException wrapped = new JDBCException("duplicate key value violates unique constraint "
                + "\"contacts_workspace_phone_key\" (23505)", null);
        assertTrue(DatabaseErrors.violates(wrapped, "contacts_workspace_phone_key"));
        assertFalse(DatabaseErrors.violates(wrapped, "other_key"));
    }

    @Test
    void aForeignKeyViolationIsRecognizedInEitherForm() {
        assertTrue(DatabaseErrors.isForeignKeyViolation(pg("23503", "contacts_group_id_fkey")));
        assertTrue(DatabaseErrors.isForeignKeyViolation(new JDBCException("insert violates foreign key (23503)", null)));
        assertFalse(DatabaseErrors.isForeignKeyViolation(pg("23505", "x")));
    }

    /** A lost connection may have lost the answer to a COMMIT; a refusal or a timeout is a certain rollback. */
    @Test
    void onlyALostConnectionLeavesTheCommitInDoubt() {
        assertTrue(DatabaseErrors.mayHaveCommitted(io.vertx.sqlclient.ClosedConnectionException.INSTANCE));
        assertTrue(DatabaseErrors.mayHaveCommitted(new RuntimeException("wrapped", new java.net.SocketException("reset"))));
        assertTrue(DatabaseErrors.mayHaveCommitted(pg("08006", null)));
        assertTrue(DatabaseErrors.mayHaveCommitted(pg("57P01", null)));
        assertFalse(DatabaseErrors.mayHaveCommitted(pg("57014", null)), "statement timeout");
        assertFalse(DatabaseErrors.mayHaveCommitted(pg("55P03", null)), "lock timeout");
        assertFalse(DatabaseErrors.mayHaveCommitted(pg("23505", "contacts_workspace_phone_key")));
        assertFalse(DatabaseErrors.mayHaveCommitted(pg("53300", null)), "too many connections: refused before any work");
        assertFalse(DatabaseErrors.mayHaveCommitted(new ApiException(ErrorCode.VALIDATION_FAILED, "invalid")));
    }

    @Test
    void deadlocksAndSerializationFailuresAreRetried() {
        assertTrue(DatabaseErrors.isDeadlock(pg("40P01", null)));
        assertTrue(DatabaseErrors.isDeadlock(pg("40001", null)));
        assertTrue(DatabaseErrors.isDeadlock(new JDBCException("could not serialize access (40001)", null)));
        assertFalse(DatabaseErrors.isDeadlock(pg("23505", null)));
    }

    @Test
    void aDeadlockVictimRunsAgainAtMostThreeTimesInAll() {
        AtomicInteger attempts = new AtomicInteger();
        String result = DatabaseErrors.retryingDeadlocks(() -> attempts.incrementAndGet() < 3
                ? Uni.createFrom().failure(pg("40P01", null)) : Uni.createFrom().item("done")).await().indefinitely();
        assertEquals("done", result);
        assertEquals(3, attempts.get());

        AtomicInteger always = new AtomicInteger();
        PgException deadlock = pg("40P01", null);
        PgException thrown = assertThrows(PgException.class, () -> DatabaseErrors.retryingDeadlocks(() -> {
            always.incrementAndGet();
            return Uni.createFrom().failure(deadlock);
        }).await().indefinitely());
        assertSame(deadlock, thrown);
        assertEquals(3, always.get());

        AtomicInteger other = new AtomicInteger();
        assertThrows(PgException.class, () -> DatabaseErrors.retryingDeadlocks(() -> {
            other.incrementAndGet();
            return Uni.createFrom().failure(pg("23505", "k"));
        }).await().indefinitely());
        assertEquals(1, other.get());
    }

    @Test
    void theDatabaseBeingAwayIsUnavailableNotABug() {
        for (String state : List.of("08006", "08001", "53300", "57P01", "57P03", "57014", "55P03", "25P03")) {
            assertTrue(DatabaseErrors.isUnavailable(pg(state, null)), state);
        }
        assertTrue(DatabaseErrors.isUnavailable(new java.net.SocketException("Connection reset")));
        assertTrue(DatabaseErrors.isUnavailable(new RuntimeException("Connection is not active now")));
        assertFalse(DatabaseErrors.isUnavailable(pg("23505", "k")));
        assertFalse(DatabaseErrors.isUnavailable(new IllegalStateException("bug")));
    }

    @Test
    void everyCauseCountsIncludingTheFailedRollbackNextToTheFailure() {
        RuntimeException failure = new RuntimeException("statement failed");
        CompositeException both = new CompositeException(failure, pg("08003", null));
        assertTrue(DatabaseErrors.isUnavailable(both));
        RuntimeException suppressing = new RuntimeException("outer");
        suppressing.addSuppressed(pg("57P01", null));
        assertTrue(DatabaseErrors.isUnavailable(suppressing));
    }

    private static PgException pg(String state, String constraint) {
        return new PgException("message", "ERROR", state, null, null, null, null, null, null, null, null, null, null,
                null, null, null, constraint);
    }
}
