package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.upload;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.S3ProxyResource;
import dev.awal.contacts.support.S3Storage;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Import files on S3 (S3Proxy), plus an upload while the store is down. */
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
}
