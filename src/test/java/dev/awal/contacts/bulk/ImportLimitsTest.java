package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.upload;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A file over contacts.imports.max-bytes or max-rows is refused with 413 (small limits here, the same code paths). */
@QuarkusTest
@TestProfile(PollingSmallLimits.class)
class ImportLimitsTest {

    private static String rows(int count) {
        StringBuilder csv = new StringBuilder("name,phone\n");
        for (int i = 0; i < count; i++) {
            csv.append("R").append(i).append(',').append(TestData.uniquePhone()).append('\n');
        }
        return csv.toString();
    }

    @Test
    void aFileOverTheByteLimitIs413() {
        upload(WORKSPACE, "", rows(5) + "x".repeat(5000)).then().statusCode(413)
                .body("error", equalTo("payload_too_large")).body("message", equalTo("The file is larger than 4096 bytes"));
    }

    @Test
    void aFileWithMoreRowsThanTheLimitIs413AndOneAtTheLimitIsAccepted() {
        upload(WORKSPACE, "", rows(6)).then().statusCode(413).body("message", equalTo("The file has more than 5 rows"));
        upload(WORKSPACE, "", rows(5)).then().statusCode(202).body("data.counts.total_rows", equalTo(5));
    }
}
