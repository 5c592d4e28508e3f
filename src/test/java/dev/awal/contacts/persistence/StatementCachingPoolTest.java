package dev.awal.contacts.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The pool keeps exactly the registered statements prepared, and keeps none with contacts.db.kept-statements=false
 * (a pooler in transaction mode). Which plans PostgreSQL then uses is KeptStatementsTest's part.
 */
class StatementCachingPoolTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private PgConnectOptions created(boolean keep) {
        PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setDatabase("unused");
        Pool pool = new StatementCachingPool(keep).create(new PgPoolCreator.Input() {
            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public PoolOptions poolOptions() {
                return new PoolOptions().setMaxSize(1);
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return List.of(options);
            }
        });
        pool.close();
        return options;
    }

    @Test
    void onlyRegisteredStatementsAreKept() {
        String registered = PlanStableStatements.register("SELECT 1 FROM contacts WHERE workspace = $1 AND id = $2 -- test");
        PgConnectOptions options = created(true);
        assertThat(options.getCachePreparedStatements()).isTrue();
        assertThat(options.getPreparedStatementCacheSqlFilter().test(registered)).isTrue();
        assertThat(options.getPreparedStatementCacheSqlFilter().test("SELECT count(*) FROM contacts WHERE name ILIKE $1")).isFalse();
    }

    @Test
    void noStatementIsKeptWhenSwitchedOff() {
        assertThat(created(false).getCachePreparedStatements()).isFalse();
    }
}
