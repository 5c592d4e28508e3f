package dev.awal.contacts.imports;

import static dev.awal.contacts.support.Api.inWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Phones repeated across batches are remembered in the worker's memory (SeenPhones), not in the database: a job that
 * is resumed after a crash rebuilds them from its committed rows and reports every repeat exactly as the same file
 * imported without a stop does — the same rows, naming the same earlier rows, with the same counts.
 */
@QuarkusTest
class ImportResumeDuplicatesTest {

    private static final String IMPORTS = "/api/developer/contacts/imports";

    @Inject
    ImportWorker worker;

    @Inject
    Pool pool;

    /**
     * 600 rows (batches of 100 per partition in tests): ten phones appear twice among the first 60 rows (merged within
     * the first batch of their partition) and once more after row 450 (an earlier batch's phone); one row is invalid.
     */
    private static String file() {
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            repeated.add(TestData.uniquePhone());
        }
        StringBuilder csv = new StringBuilder("name,phone\n");
        for (int row = 2; row <= 601; row++) {
            String phone;
            if (row <= 21) {
                phone = repeated.get((row - 2) % 10);
            } else if (row >= 452 && row < 462) {
                phone = repeated.get(row - 452);
            } else if (row == 300) {
                phone = "12";
            } else {
                phone = TestData.uniquePhone();
            }
            csv.append("Row ").append(row).append(',').append(phone).append('\n');
        }
        return csv.toString();
    }

    private int upload(String workspace, String onDuplicate, String csv) {
        // The same body to the same path twice: the second is signed a second ahead, or within one second it would be
        // a replay of the first (401; the signature does not cover the workspace header, as in AwalChat's scheme).
        long offset = workspace.equals(Api.WORKSPACE) ? 0 : 1;
        return Api.signedAt(Api.CLIENT, Api.SECRET, workspace, offset).contentType("text/csv").body(csv)
                .post(IMPORTS + "?phone_number_id=1&on_duplicate=" + onDuplicate).then().statusCode(202).extract().path("data.id");
    }

    /**
     * Runs job {@code id} as a replica that dies after one batch (its lease then runs out) and another that resumes it;
     * answers the resuming claim.
     */
    private ImportJob runWithOneStop(int id) {
        ImportJob first = worker.claim("dead-worker");
        assertThat(first.id()).isEqualTo(id);
        worker.run(first, 1);
        pool.preparedQuery("UPDATE import_jobs SET lease_until = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of((long) id)).await().atMost(Duration.ofSeconds(10));
        ImportJob second = worker.claim("live-worker");
        assertThat(second.id()).isEqualTo(id);
        worker.run(second, Integer.MAX_VALUE);
        return second;
    }

    private Map<String, Object> counts(String workspace, int id) {
        return inWorkspace(workspace).get(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .extract().path("data.counts");
    }

    private String report(String workspace, int id) {
        return inWorkspace(workspace).get(IMPORTS + "/" + id + "/errors").then().statusCode(200).extract().asString();
    }

    @Test
    void aResumedJobReportsRepeatedPhonesAsAnUninterruptedOneDoes() {
        for (String onDuplicate : List.of("update", "skip")) {
            worker.drain();
            String csv = file();
            // The same file in two workspaces: once straight through, once stopped after one batch and resumed.
            int straight = upload(Api.WORKSPACE, onDuplicate, csv);
            worker.drain();

            int resumed = upload(Api.OTHER_WORKSPACE, onDuplicate, csv);
            assertThat(runWithOneStop(resumed).committedRows()).as("one batch committed before the stop").isEqualTo(100);

            Map<String, Object> expected = counts(Api.WORKSPACE, straight);
            assertThat(expected.get("duplicates_in_file")).as(onDuplicate).isEqualTo(20);
            assertThat(counts(Api.OTHER_WORKSPACE, resumed)).as(onDuplicate).isEqualTo(expected);
            String report = report(Api.WORKSPACE, straight);
            assertThat(report).as(onDuplicate).contains(onDuplicate.equals("update")
                    ? "this later row updates that contact" : "which is kept");
            assertThat(report(Api.OTHER_WORKSPACE, resumed)).as(onDuplicate).isEqualTo(report);
        }
    }

    /**
     * 600 rows: ten phones written again after row 450 with another name (updated), ten written again exactly as before
     * (unchanged), each first row in an early batch and the repeat in a later batch of its partition.
     */
    private static String repeatsAcrossBatches() {
        List<String> changed = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            changed.add(TestData.uniquePhone());
            same.add(TestData.uniquePhone());
        }
        StringBuilder csv = new StringBuilder("name,phone,email\n");
        for (int row = 2; row <= 601; row++) {
            if (row <= 11) {
                csv.append("First ").append(row).append(',').append(changed.get(row - 2)).append(",\n");
            } else if (row <= 21) {
                csv.append("Same ").append(row - 10).append(',').append(same.get(row - 12)).append(",same@example.com\n");
            } else if (row >= 452 && row < 462) {
                csv.append("Later ").append(row).append(',').append(changed.get(row - 452)).append(",\n");
            } else if (row >= 462 && row < 472) {
                csv.append("Same ").append(row - 460).append(',').append(same.get(row - 462)).append(",same@example.com\n");
            } else {
                csv.append("Row ").append(row).append(',').append(TestData.uniquePhone()).append(",\n");
            }
        }
        return csv.toString();
    }

    /**
     * A dry run rolls each batch back, so it used to count a phone repeated in a later batch as created: its counts
     * must be those of the real import of the same file, straight through and when the dry run is resumed.
     */
    @Test
    void aDryRunCountsPhonesRepeatedAcrossBatchesAsTheImportDoes() {
        worker.drain();
        String csv = repeatsAcrossBatches();
        int dry = Api.signed().contentType("text/csv").body(csv).post(IMPORTS + "?phone_number_id=1&dry_run=true")
                .then().statusCode(202).extract().path("data.id");
        worker.drain();
        Map<String, Object> dryCounts = counts(Api.WORKSPACE, dry);

        int resumedDry = Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, 1).contentType("text/csv").body(csv)
                .post(IMPORTS + "?phone_number_id=1&dry_run=true").then().statusCode(202).extract().path("data.id");
        runWithOneStop(resumedDry);

        int real = upload(Api.WORKSPACE, "update", csv);
        worker.drain();
        Map<String, Object> realCounts = counts(Api.WORKSPACE, real);
        assertThat(realCounts).containsEntry("created", 580).containsEntry("updated", 10).containsEntry("unchanged", 10)
                .containsEntry("duplicates_in_file", 20);
        assertThat(dryCounts).isEqualTo(realCounts);
        assertThat(counts(Api.WORKSPACE, resumedDry)).isEqualTo(realCounts);
    }
}
