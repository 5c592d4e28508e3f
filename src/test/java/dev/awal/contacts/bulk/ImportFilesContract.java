package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.storage.ObjectKeys;
import dev.awal.contacts.storage.ObjectStorage;
import dev.awal.contacts.storage.OrphanSweeper;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.StoredObjects;
import dev.awal.contacts.support.TestData;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The uploaded file lives in object storage, looked at through the store itself: there while the job waits
 * (whatever the sweeper does), read back by the worker, and gone once the job ends. Run on each store.
 */
abstract class ImportFilesContract {

    @Inject
    ImportWorker worker;

    @Inject
    Pool pool;

    @Inject
    OrphanSweeper sweeper;

    @Inject
    ObjectStorage storage;

    @Inject
    Vertx vertx;

    /** The job's object key, or null once its file is deleted. */
    static String fileKey(Pool pool, long id) {
        return pool.preparedQuery("SELECT file_key FROM import_jobs WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString("file_key");
    }

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder("name,phone\n");
        for (int i = 0; i < rows; i++) {
            csv.append("Row ").append(i).append(',').append(TestData.uniquePhone()).append('\n');
        }
        return csv.toString();
    }

    @Test
    void theFileIsStoredWhileTheJobIsQueuedSurvivesTheSweeperAndIsDeletedWhenTheJobCompletes() {
        worker.drain();
        // More than one read buffer of the store, so the worker reads it back in several pieces.
        String csv = csv(3000);
        int id = accepted(WORKSPACE, "", csv);

        String key = fileKey(pool, id);
        assertThat(key).matches("imports/[0-9a-f]{32}\\.csv");
        job(WORKSPACE, id).body("data.status", equalTo("queued"));
        assertThat(StoredObjects.read(key)).isEqualTo(csv.getBytes(StandardCharsets.UTF_8));
        // The service's public media route serves avatars and branch files, never an uploaded contact list.
        io.restassured.RestAssured.given().get("/media/" + key).then().statusCode(404);

        // A cutoff in the future makes every object old enough: the sweeper deletes all it considers orphans.
        OnVertx.await(vertx, () -> sweeper.sweep(Instant.now().plusSeconds(5)));
        assertThat(StoredObjects.exists(key)).as("a queued job's file is not swept").isTrue();

        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed"))
                .body("data.counts.rows_read", equalTo(3000)).body("data.counts.created", equalTo(3000));
        assertThat(StoredObjects.exists(key)).as("file deleted when the job ended").isFalse();
        assertThat(fileKey(pool, id)).isNull();
    }

    @Test
    void aStoredFileNoJobNamesIsSweptWhileAQueuedJobsFileStays() throws IOException {
        worker.drain();
        int id = accepted(WORKSPACE, "", csv(3));
        String kept = fileKey(pool, id);
        // What a crash between an upload's put and its job's insert leaves: an object no job names.
        Path leftover = Files.createTempFile("import-leftover", ".csv");
        Files.writeString(leftover, "name,phone\n");
        String orphan = ObjectKeys.newKey(ObjectKeys.IMPORTS, "csv");
        try {
            storage.put(orphan, leftover, "text/csv").await().atMost(Duration.ofSeconds(10));
        } finally {
            Files.delete(leftover);
        }
        assertThat(StoredObjects.exists(orphan)).isTrue();

        assertThat(worker.sweepFiles(Instant.now().plusSeconds(5))).isGreaterThanOrEqualTo(1);
        assertThat(StoredObjects.exists(orphan)).isFalse();
        assertThat(StoredObjects.exists(kept)).as("the queued job's file stays").isTrue();

        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(3));
        assertThat(StoredObjects.exists(kept)).isFalse();
    }

    @Test
    void aJobWhoseFileIsGoneFailsWithAReasonInsteadOfRunningForever() {
        worker.drain();
        int id = accepted(WORKSPACE, "", csv(3));
        String key = fileKey(pool, id);
        storage.delete(key).await().atMost(Duration.ofSeconds(10));

        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("failed"))
                .body("data.failure", equalTo("The uploaded file is no longer in object storage; upload it again"))
                .body("data.counts.created", equalTo(0));
        assertThat(fileKey(pool, id)).isNull();
    }
}
