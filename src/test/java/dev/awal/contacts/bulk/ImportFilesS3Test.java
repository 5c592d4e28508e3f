package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.bulk.ImportSupport.upload;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportJob;
import dev.awal.contacts.support.S3ProxyResource;
import dev.awal.contacts.support.S3Storage;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Tuple;

/** Import files on S3 (S3Proxy), plus uploads and jobs while the store is down. */
@QuarkusTest
@TestProfile(S3Storage.class)
class ImportFilesS3Test extends ImportFilesContract {

    private long jobs() {
        return pool.query("SELECT count(*) AS n FROM import_jobs").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    @Test
    void anUploadWhileTheStoreIsDownIs503AndQueuesNoJob() {
        long before = jobs();
        S3ProxyResource.stopProxy();
        try {
            upload(WORKSPACE, "", "name,phone\nDown," + TestData.uniquePhone() + "\n").then().statusCode(503)
                    .body("status", equalTo(false)).body("error", equalTo("service_unavailable"));
        } finally {
            S3ProxyResource.restart();
        }
        assertThat(jobs()).as("no job without its file").isEqualTo(before);
    }

    @Test
    void aJobWhoseStoreIsDownStaysRunningAndIsResumedOnceTheStoreIsBack() {
        worker.drain();
        int id = accepted(WORKSPACE, "", csv(3));
        ImportJob claimed = worker.claim("replica-a");
        assertThat(claimed.id()).isEqualTo(id);
        S3ProxyResource.stopProxy();
        try {
            worker.run(claimed, Integer.MAX_VALUE);
        } finally {
            S3ProxyResource.restart();
        }
        job(WORKSPACE, id).body("data.status", equalTo("running")).body("data.counts.rows_read", equalTo(0));

        pool.preparedQuery("UPDATE import_jobs SET lease_until = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of((long) id)).await().atMost(Duration.ofSeconds(10));
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(3));
    }
}
