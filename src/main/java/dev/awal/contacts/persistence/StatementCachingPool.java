package dev.awal.contacts.persistence;

import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * The reactive pool as Quarkus configures it, with one difference: the statements of {@link PlanStableStatements}
 * are prepared once per connection and kept (a named prepared statement), every other statement is prepared
 * unnamed for each execution as before.
 *
 * <p>Why: PostgreSQL plans an unnamed statement for its values on every execution, and without the client's
 * statement cache every execution is also two round trips (Parse/Describe, then Bind/Execute). For the create
 * statement, planning was the largest single part of PostgreSQL's work (with the connections'
 * {@code plan_cache_mode=auto}, the create's PostgreSQL CPU fell by about 29 %, its outbox event's by half;
 * bench/results/events-schema-auto.md). A kept statement gets custom plans for its first five executions, then
 * the generic plan, which for these statements is the same plan. Quarkus can only switch the statement cache on
 * for every statement ({@code quarkus.datasource.reactive.cache-prepared-statements}), which would hand the
 * searches generic plans too; the Vert.x client's cache filter selects statements by their text, and
 * {@link PgPoolCreator} is Quarkus' way to set it.
 *
 * <p>{@code contacts.db.kept-statements=false} turns it off (every statement unnamed, as before): for a
 * connection pooler in transaction mode that does not track named prepared statements (PgBouncer before 1.21, or
 * without {@code max_prepared_statements}).
 */
// Unremovable: only Quarkus' pool recorder looks it up.
@io.quarkus.arc.Unremovable
@Singleton
public class StatementCachingPool implements PgPoolCreator {

    private final boolean keep;

    StatementCachingPool(@ConfigProperty(name = "contacts.db.kept-statements", defaultValue = "true") boolean keep) {
        this.keep = keep;
    }

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> options = input.pgConnectOptionsList();
        if (keep) {
            for (PgConnectOptions option : options) {
                option.setCachePreparedStatements(true);
                option.setPreparedStatementCacheSqlFilter(PlanStableStatements::contains);
            }
        }
        // As Quarkus builds the pool without a creator (PgPoolRecorder), from the options it configured.
        return PgDriver.INSTANCE.createPool(input.vertx(), options, input.poolOptions());
    }
}
