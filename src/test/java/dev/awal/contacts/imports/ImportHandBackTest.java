package dev.awal.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A replica that hands a job back at shutdown has not failed at it: the claim's count of attempts without progress
 * (contacts.imports.max-attempts) is taken back, so rolling restarts cannot use up a job's attempts.
 */
@QuarkusTest
class ImportHandBackTest {

    private static final String IMPORTS = "/api/developer/contacts/imports";

    @Inject
    ImportWorker worker;

    @Inject
    ImportJobs jobs;

    @Test
    void aJobHandedBackIsClaimedAgainWithoutAnAttemptUsedUp() {
        worker.drain();
        String csv = "name,phone\nA," + TestData.uniquePhone() + "\nB," + TestData.uniquePhone() + "\n";
        int id = Api.signed().contentType("text/csv").body(csv).post(IMPORTS + "?phone_number_id=1")
                .then().statusCode(202).extract().path("data.id");
        for (int stop = 0; stop < 7; stop++) {
            ImportJob claimed = worker.claim("stopping-replica-" + stop);
            assertThat(claimed.id()).isEqualTo(id);
            assertThat(claimed.attempts()).isEqualTo(1);
            jobs.handBack(id, claimed.leaseOwner()).await().atMost(Duration.ofSeconds(10));
        }
        worker.drain();
        Api.signed().get(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("data.counts.created", equalTo(2));
    }
}
