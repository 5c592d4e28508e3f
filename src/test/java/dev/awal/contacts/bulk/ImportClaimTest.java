package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportJob;
import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.StoredObjects;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Claims in the database: one winner per job, a dead worker's job resumed by another, a limit per workspace. */
@QuarkusTest
class ImportClaimTest {

    @Inject
    ImportWorker worker;

    @Inject
    Pool pool;

    private static List<String> phones(int count) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            phones.add(TestData.uniquePhone());
        }
        return phones;
    }

    private static String csv(List<String> phones) {
        StringBuilder csv = new StringBuilder("name,phone\n");
        for (int i = 0; i < phones.size(); i++) {
            csv.append("Row ").append(i).append(',').append(phones.get(i)).append('\n');
        }
        return csv.toString();
    }

    private long contactsWith(List<String> phones) {
        return pool.preparedQuery("SELECT count(*) AS n FROM contacts WHERE workspace = $1 AND phone = ANY($2)")
                .execute(Tuple.of(WORKSPACE, phones.toArray(String[]::new))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    @Test
    void aJobWhoseWorkerDiedIsResumedByAnotherClaimFromItsLastCommittedBatch() {
        worker.drain();
        List<String> phones = phones(350);
        int id = accepted(WORKSPACE, "", csv(phones));
        String fileKey = ImportFilesContract.fileKey(pool, id);
        ImportJob first = worker.claim("dead-worker");
        assertThat(first.id()).isEqualTo(id);
        // The first worker commits two batches (of its partitions, 100 rows each but for a partition's last) and then
        // stops renewing its lease, as a killed replica would.
        worker.run(first, 2);
        int committed = job(WORKSPACE, id).body("data.status", equalTo("running")).extract().path("data.counts.rows_read");
        assertThat(committed).isBetween(101, 200);
        assertThat(worker.claim("live-worker")).as("a live lease is not taken over").isNull();

        pool.preparedQuery("UPDATE import_jobs SET lease_until = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of((long) id)).await().atMost(Duration.ofSeconds(10));
        ImportJob second = worker.claim("live-worker");
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.committedRows()).isEqualTo(committed);
        assertThat(second.partitionRows()).as("each partition's position, kept from the first claim").hasSize(2);
        worker.run(second, Integer.MAX_VALUE);
        // The dead worker wakes up: its claim is gone, so it writes nothing.
        worker.run(first, Integer.MAX_VALUE);

        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.rows_read", equalTo(350))
                .body("data.counts.created", equalTo(350)).body("data.counts.updated", equalTo(0))
                .body("data.counts.unchanged", equalTo(0));
        assertThat(contactsWith(phones)).isEqualTo(350);
        assertThat(StoredObjects.exists(fileKey)).as("file deleted").isFalse();
        assertThat(ImportFilesContract.fileKey(pool, id)).isNull();
        assertThat(count("SELECT count(*) AS n FROM import_job_phones WHERE job_id = $1", id)).isZero();
    }

    private long count(String sql, long id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    @Test
    void twoWorkersClaimingAtOnceOneWins() throws Exception {
        worker.drain();
        List<String> phones = phones(5);
        int id = accepted(WORKSPACE, "", csv(phones));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ImportJob>> claims = new ArrayList<>();
            for (String owner : List.of("replica-a", "replica-b")) {
                claims.add(threads.submit(() -> {
                    start.await();
                    return worker.claim(owner);
                }));
            }
            start.countDown();
            List<ImportJob> won = new ArrayList<>();
            for (Future<ImportJob> claim : claims) {
                ImportJob job = claim.get(30, TimeUnit.SECONDS);
                if (job != null) {
                    won.add(job);
                }
            }
            assertThat(won).hasSize(1);
            assertThat(won.get(0).id()).isEqualTo(id);
            worker.run(won.get(0), Integer.MAX_VALUE);
        } finally {
            threads.shutdownNow();
        }
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(5));
        assertThat(contactsWith(phones)).isEqualTo(5);
    }

    /**
     * A job whose lease expired while its workspace runs another job at the limit must wait without holding up
     * the queue: it was the first candidate every time (lowest id), the claim then found the workspace full and
     * answered "nothing to do", and no job of any workspace started until the other job ended.
     */
    @Test
    void anExpiredJobOfAFullWorkspaceDoesNotHoldUpOtherWorkspaces() {
        worker.drain();
        int running = accepted(WORKSPACE, "", csv(phones(2)));
        ImportJob live = worker.claim("live-owner");
        assertThat(live.id()).isEqualTo(running);
        int stalled = accepted(WORKSPACE, "", csv(phones(2)));
        pool.preparedQuery("UPDATE import_jobs SET status = 'running', lease_owner = 'gone', lease_until = now() - interval '1 second'"
                + " WHERE id = $1").execute(Tuple.of((long) stalled)).await().atMost(Duration.ofSeconds(10));
        int elsewhere = accepted(dev.awal.contacts.support.Api.OTHER_WORKSPACE, "", csv(phones(2)));

        ImportJob next = worker.claim("another-replica");
        assertThat(next).as("the other workspace's queued job is claimed").isNotNull();
        assertThat(next.id()).isEqualTo(elsewhere);
        worker.run(next, Integer.MAX_VALUE);
        worker.run(live, Integer.MAX_VALUE);
        // With the workspace free again, the stalled job is resumed.
        ImportJob resumed = worker.claim("another-replica");
        assertThat(resumed.id()).isEqualTo(stalled);
        worker.run(resumed, Integer.MAX_VALUE);
        job(WORKSPACE, stalled).body("data.status", equalTo("completed"));
        job(dev.awal.contacts.support.Api.OTHER_WORKSPACE, elsewhere).body("data.status", equalTo("completed"));
    }

    @Test
    void aWorkspaceRunsOneJobAtATimeWhileOthersQueue() throws Exception {
        worker.drain();
        int first = accepted(WORKSPACE, "", csv(phones(3)));
        int second = accepted(WORKSPACE, "", csv(phones(3)));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<ImportJob> won = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ImportJob>> claims = new ArrayList<>();
            for (String owner : List.of("replica-a", "replica-b")) {
                claims.add(threads.submit(() -> {
                    start.await();
                    return worker.claim(owner);
                }));
            }
            start.countDown();
            for (Future<ImportJob> claim : claims) {
                ImportJob job = claim.get(30, TimeUnit.SECONDS);
                if (job != null) {
                    won.add(job);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(won).as("at most one running job per workspace").hasSize(1);
        // Each claimant may lock a different candidate (SKIP LOCKED); whichever takes the workspace lock first wins.
        assertThat(won.get(0).id()).isIn((long) first, (long) second);
        int other = won.get(0).id() == first ? second : first;
        job(WORKSPACE, other).body("data.status", equalTo("queued"));
        worker.run(won.get(0), Integer.MAX_VALUE);
        worker.drain();
        job(WORKSPACE, other).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(3));
    }

    /**
     * An error no retry cures (here a trigger that refuses one row's insert, as a constraint added by hand or a role
     * without a privilege would) made the job retry for ever, holding its workspace's import slot. After
     * contacts.imports.max-attempts claims in a row without a committed batch, the next claim fails it; the queued
     * job behind it then runs.
     */
    @Test
    void aJobThatFailsTheSameWayAtEveryClaimEndsAfterMaxAttempts() {
        worker.drain();
        String poison = "Poison " + TestData.uniquePhone();
        pool.query("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.name = '" + poison + "' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; RETURN NEW; END $$;"
                + " CREATE TRIGGER refuse_poison BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_poison()")
                .execute().await().atMost(Duration.ofSeconds(10));
        try {
            // One row, so one partition: every claim fails at the same batch and none commits anything.
            int id = accepted(WORKSPACE, "", "name,phone\n" + poison + "," + TestData.uniquePhone() + "\n");
            int behind = accepted(WORKSPACE, "", csv(phones(2)));
            for (int attempt = 1; attempt <= 5; attempt++) {
                ImportJob claimed = worker.claim("replica-" + attempt);
                assertThat(claimed.id()).as("attempt %d", attempt).isEqualTo(id);
                assertThat(claimed.attempts()).isEqualTo(attempt);
                worker.run(claimed, Integer.MAX_VALUE);
                job(WORKSPACE, id).body("data.status", equalTo("running"));
                pool.preparedQuery("UPDATE import_jobs SET lease_until = now() - interval '1 second' WHERE id = $1")
                        .execute(Tuple.of((long) id)).await().atMost(Duration.ofSeconds(10));
            }
            worker.drain();
            job(WORKSPACE, id).body("data.status", equalTo("failed"))
                    .body("data.failure", org.hamcrest.Matchers.startsWith("The import stopped 5 times in a row"));
            job(WORKSPACE, behind).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(2));
        } finally {
            pool.query("DROP TRIGGER refuse_poison ON contacts; DROP FUNCTION refuse_poison()").execute()
                    .await().atMost(Duration.ofSeconds(10));
        }
    }
}
