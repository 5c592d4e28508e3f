package dev.awal.contacts.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Only the plan-stable statements (persistence/PlanStableStatements) are kept prepared on a connection, and there
 * PostgreSQL runs the create with its generic plan; a search stays unnamed, so it is planned for its values on every
 * execution (a generic plan for it is the 100 ms trigram-and-workspace scan at a million contacts).
 */
@QuarkusTest
class KeptStatementsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SEARCH = "SELECT count(*) FROM contacts WHERE workspace = $1 AND name ILIKE $2";
    private static final String KEPT = "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements";

    @Inject
    Pool pool;

    @Test
    void theCreateRunsWithAGenericPlanAndTheSearchIsPlannedForItsValues() throws ClassNotFoundException {
        // ContactInsert registers its statement when its class initializes, as it does before its first insert;
        // the constant used here alone would not initialize it.
        Class.forName(ContactInsert.class.getName());
        String workspace = "kept-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<Row> kept = pool.withConnection(connection -> {
            Uni<?> chain = connection.query("SHOW plan_cache_mode").execute()
                    .invoke(rows -> assertThat(rows.iterator().next().getString(0)).isEqualTo("auto"));
            for (int i = 0; i < 8; i++) {
                chain = chain.chain(() -> create(connection, workspace))
                        .chain(() -> connection.preparedQuery(SEARCH).execute(Tuple.of(workspace, "%bench%")));
            }
            return chain.chain(() -> connection.preparedQuery(KEPT).execute()).map(rows -> {
                List<Row> list = new ArrayList<>();
                rows.forEach(list::add);
                return list;
            });
        }).await().atMost(TIMEOUT);

        assertThat(kept).extracting(row -> row.getString("statement")).contains(ContactInsert.SQL)
                .noneMatch(statement -> statement.contains("ILIKE") || statement.contains("pg_prepared_statements"));
        Row create = kept.stream().filter(row -> row.getString("statement").equals(ContactInsert.SQL)).findFirst().orElseThrow();
        assertThat(create.getLong("generic_plans")).as("executions with the generic plan").isPositive();
        assertThat(pool.query("SELECT count(*) FROM contacts WHERE workspace = '" + workspace + "'").execute()
                .await().atMost(TIMEOUT).iterator().next().getLong(0)).isEqualTo(8);
    }

    private static Uni<?> create(SqlConnection connection, String workspace) {
        long phone = 966500000000L + ThreadLocalRandom.current().nextLong(100_000_000L);
        return connection.preparedQuery(ContactInsert.SQL).execute(Tuple.from(Arrays.asList(workspace, "Kept " + phone,
                null, "+" + phone, null, null, null, null, null, false, null, "109876543210", "{}",
                OffsetDateTime.now(ZoneOffset.UTC))));
    }
}
