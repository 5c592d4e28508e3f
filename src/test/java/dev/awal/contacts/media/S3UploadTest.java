package dev.awal.contacts.media;

import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.S3ProxyResource;
import dev.awal.contacts.support.S3Storage;
import dev.awal.contacts.support.StoredObjects;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The upload contract on S3 (S3Proxy), plus what happens while the store is down. */
@QuarkusTest
@TestProfile(S3Storage.class)
class S3UploadTest extends UploadContract {

    /**
     * A store that answers but has no such bucket (deleted, misnamed, an ephemeral store restarted) refuses each write
     * with 404 NoSuchBucket: that is the store's trouble, 503 like an outage, not a 500.
     */
    @Test
    void aMissingBucketIs503() {
        long id = createContact();
        S3ProxyResource.dropBucket();
        try {
            putAvatar(id, "image/png", TestMedia.png(20, 20)).then().statusCode(503)
                    .header("Retry-After", notNullValue()).body("error", equalTo("service_unavailable"));
        } finally {
            S3ProxyResource.recreateBucket();
        }
        putAvatar(id, "image/jpeg", TestMedia.jpeg(24, 24)).then().statusCode(200);
    }

    @Test
    void storeOutageIs503AndNoRowPointsAtAMissingObject() {
        long id = createContact();
        String avatar = putAvatar(id, "image/jpeg", TestMedia.jpeg(20, 20)).then().statusCode(200)
                .extract().path("data.avatar");
        String phone = TestData.uniquePhone();
        Set<Path> scratch = scratchFiles();

        S3ProxyResource.stopProxy();
        try {
            createWithFile(phone, "me.jpg", "image/jpeg", TestMedia.jpeg(20, 20)).then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(false))
                    .body("error", equalTo("service_unavailable"));
            putAvatar(id, "image/png", TestMedia.png(20, 20)).then().statusCode(503)
                    .body("error", equalTo("service_unavailable"));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'object-storage' }.status", equalTo("DOWN"));
        } finally {
            S3ProxyResource.restart();
        }

        signed().get(CONTACTS + "?search=" + phone).then().statusCode(200).body("meta.total", equalTo(0));
        signed().get(CONTACTS + "/" + id).then().statusCode(200).body("data.avatar", equalTo(avatar));
        assertTrue(StoredObjects.exists(StoredObjects.keyOf(avatar)));
        given().get("/q/health/ready").then().statusCode(200);
        assertNoScratchFilesLeft(scratch);
    }
}
