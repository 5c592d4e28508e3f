package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The trigram indexes' pending-list limit belongs to the session (V25): the API's connections merge every 64 kB,
 * an import batch collects its entries under a larger limit and merges them before it commits, so an import leaves
 * nothing pending for the next API write to merge or for a search to scan, and loses no entry on the way.
 */
@QuarkusTest
class ImportPendingListTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PENDING = """
            SELECT gin_clean_pending_list('contacts_search_trgm'::regclass) AS search,
                   gin_clean_pending_list('contacts_phone_trgm'::regclass) AS phone""";

    @Inject
    ImportWorker worker;

    @Inject
    Pool pool;

    private static String letters(long value) {
        StringBuilder letters = new StringBuilder();
        for (long rest = Math.abs(value); rest > 0; rest /= 26) {
            letters.append((char) ('a' + rest % 26));
        }
        return letters.toString();
    }

    /** Merges what is pending in both trigram indexes: the number of pending-list pages each had. */
    private long[] mergePending() {
        Row row = pool.query(PENDING).execute().await().atMost(TIMEOUT).iterator().next();
        return new long[] { row.getLong("search"), row.getLong("phone") };
    }

    @Test
    void theApiConnectionsMergeEverySixtyFourKilobytesAndTheIndexesNoLongerFixTheLimit() {
        String limit = pool.query("SHOW gin_pending_list_limit").execute().await().atMost(TIMEOUT).iterator().next().getString(0);
        assertThat(limit).isEqualTo("64kB");
        List<String> options = new ArrayList<>();
        pool.query("""
                SELECT coalesce(array_to_string(reloptions, ','), '') AS options FROM pg_class
                WHERE relname IN ('contacts_search_trgm', 'contacts_phone_trgm')""").execute().await().atMost(TIMEOUT)
                .forEach(row -> options.add(row.getString("options")));
        assertThat(options).hasSize(2).allSatisfy(option -> assertThat(option).doesNotContain("gin_pending_list_limit")
                .doesNotContain("fastupdate=off"));
    }

    @Test
    void anImportLeavesNothingPendingAndEveryRowIsFound() {
        worker.drain();
        mergePending();
        // Letters only: a search term's digits also match phones.
        String marker = "Pendlst" + letters(System.nanoTime());
        List<String> phones = new ArrayList<>();
        StringBuilder csv = new StringBuilder("name,full_name,phone\n");
        int rows = 260;
        for (int i = 0; i < rows; i++) {
            String phone = TestData.uniquePhone();
            phones.add(phone);
            csv.append(i % 2 == 0 ? "ريم " : "Reem ").append(marker).append(',').append(marker).append(" Alfa")
                    .append(letters(i + 1)).append(",+").append(phone).append('\n');
        }
        // 260 rows, batches of 100 in tests: three transactions, each filling the lists well beyond 64 kB.
        int id = accepted(WORKSPACE, "", csv.toString());
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(rows));

        assertThat(mergePending()).as("pending-list pages left by the import (search, phone)").containsExactly(0L, 0L);
        String exported = signed().get("/api/developer/contacts/export?format=ndjson&search=" + marker).then().statusCode(200)
                .extract().asString();
        assertThat(exported.split("\n")).hasSize(rows);
        assertThat(signed().get("/api/developer/contacts?search=" + marker + " Alfa" + letters(rows)).then().statusCode(200)
                .extract().<List<String>>path("data.phone")).containsExactly(phones.get(rows - 1));
    }
}
