package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With the scheduler on, as in production, an uploaded job is claimed and completed without anyone calling the worker. */
@QuarkusTest
@TestProfile(PollingSmallLimits.class)
class ImportSchedulerTest {

    @Test
    void theSchedulerRunsQueuedJobs() throws InterruptedException {
        String phone = TestData.uniquePhone();
        int id = accepted(WORKSPACE, "", "name,phone\nPolled," + phone + "\n");
        String status = "queued";
        // Waits for the outcome (up to a minute on a loaded machine); no assertion on how long it took.
        for (int i = 0; i < 600 && !status.equals("completed"); i++) {
            Thread.sleep(100);
            status = signed().get(ImportSupport.IMPORTS + "/" + id).then().statusCode(200).extract().path("data.status");
        }
        assertThat(status).isEqualTo("completed");
        assertThat(signed().get("/api/developer/contacts/by-phone/" + phone).then().statusCode(200).extract()
                .<String>path("data.name")).isEqualTo("Polled");
    }
}
