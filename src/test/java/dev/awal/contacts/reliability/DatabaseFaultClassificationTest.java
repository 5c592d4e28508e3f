package dev.awal.contacts.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.api.DatabaseErrors;
import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;

/**
 * PostgreSQL states the outage test cannot hold open long enough to hit every time (a start-up that
 * is over in milliseconds here) are classified from PostgreSQL's own errors: all of them are 503s.
 */
class DatabaseFaultClassificationTest {

    @Test
    void everyStateOfADatabaseThatIsDownStartingOrOverloadedIsUnavailable() {
        for (String state : List.of("57P03", "57P01", "57P02", "08006", "08001", "53300", "57014", "55P03", "25P03")) {
            PgException failure = new PgException("the database system is starting up", "FATAL", state, null);
            assertThat(DatabaseErrors.isUnavailable(failure)).as(state).isTrue();
            assertThat(DatabaseErrors.isUnavailable(new RuntimeException("wrapped", failure))).as(state).isTrue();
        }
    }

    @Test
    void aConnectionClosedInsideATransactionIsUnavailableEvenWhenTheRollbackFailsToo() {
        // What Hibernate Reactive reports when the server ends the session under a transaction: the
        // statement's failure and the failed rollback, gathered by Mutiny.
        CompositeException both = new CompositeException(
                new IllegalStateException("Connection is not active now, current status: CLOSED"),
                new IllegalStateException("Connection is not active now, current status: CLOSED"));
        assertThat(DatabaseErrors.isUnavailable(both)).isTrue();
        RuntimeException suppressed = new RuntimeException("statement failed");
        suppressed.addSuppressed(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null));
        assertThat(DatabaseErrors.isUnavailable(suppressed)).isTrue();
        // Seen under an immediate stop: the rollback's socket read fails raw.
        assertThat(DatabaseErrors.isUnavailable(new java.net.SocketException("Connection reset"))).isTrue();
    }

    @Test
    void theRequestsOwnFaultsAreNot() {
        assertThat(DatabaseErrors.isUnavailable(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
        assertThat(DatabaseErrors.isUnavailable(new ConstraintViolationException("fk", null, "fk"))).isFalse();
        assertThat(DatabaseErrors.isUnavailable(new IllegalStateException("a bug"))).isFalse();
    }
}
