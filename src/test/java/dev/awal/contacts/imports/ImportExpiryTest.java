package dev.awal.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.Purges;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * Finished import jobs past contacts.imports.retention (7 days here) go with their reports, in chunks of
 * contacts.purge.chunk-size report rows or jobs: a job of a million rows can have millions of report rows, which
 * its job row's cascade deleted in one statement.
 */
@QuarkusTest
class ImportExpiryTest {

    private static final String WORKSPACE = "purge-imports";
    private static final String JOBS = "select count(*) from import_jobs where workspace = '" + WORKSPACE + "' and finished_at < now() - ?::interval";
    private static final String REPORT_ROWS = "select count(*) from import_job_errors e join import_jobs j on j.id = e.job_id"
            + " where j.workspace = '" + WORKSPACE + "' and j.finished_at < now() - ?::interval";

    @Inject
    ImportJobs jobs;
    @Inject
    Vertx vertx;

    @BeforeEach
    void clear() {
        DatabaseSessions.query("with d as (delete from import_jobs where workspace = ? returning 1) select count(*) from d", WORKSPACE);
    }

    /** A completed job that finished {@code age} ago with {@code rows} report lines (and one stray phone row); answers its id. */
    private static long job(String age, int rows) {
        long id = Long.parseLong(DatabaseSessions.query("insert into import_jobs (workspace, status, file_bytes, total_rows,"
                + " phone_number_id, on_duplicate, dry_run, finished_at) values (?, 'completed', 1, ?, '1', 'update', false,"
                + " now() - ?::interval) returning id", WORKSPACE, rows, age).get(0));
        DatabaseSessions.query("with i as (insert into import_job_errors (job_id, row_number, column_name, reason, original)"
                + " select ?, g, 'phone', 'invalid', 'x' from generate_series(1, ?) g returning 1) select count(*) from i", id, rows);
        DatabaseSessions.query("insert into import_job_phones (job_id, phone, row_number) values (?, '966500000000', 1) returning 1", id);
        return id;
    }

    @Test
    void expiredJobsAndTheirReportsGoOverSeveralChunksAndNewerOnesStay() {
        int rows = Purges.chunkSize() * 3 + 2;
        for (int i = 0; i < Purges.chunkSize() + 2; i++) {
            job("8 days", i == 0 ? rows : 1);
        }
        job("6 days", rows);
        Purges.untilGone(vertx, jobs::expire, JOBS, "7 days");
        assertThat(Purges.count(JOBS, "7 days")).isZero();
        assertThat(Purges.count(REPORT_ROWS, "7 days")).isZero();
        assertThat(Purges.count(JOBS, "0 days")).isEqualTo(1);
        assertThat(Purges.count(REPORT_ROWS, "0 days")).isEqualTo(rows);
    }

    /** A report row the purge cannot take yet (locked by this test) holds back only its own chunk. */
    @Test
    void eachChunkIsCommittedOnItsOwn() throws Exception {
        int rows = Purges.chunkSize() * 3;
        long id = job("8 days", rows);
        long left = Purges.remainingWhileBlocked(vertx, jobs::expire,
                "select 1 from import_job_errors where job_id = ? and row_number = " + rows + " for update", id,
                "%DELETE FROM import_job%", REPORT_ROWS, "7 days");
        assertThat(left).as("report rows left while the purge waits").isLessThanOrEqualTo(Purges.chunkSize());
        Purges.untilGone(vertx, jobs::expire, JOBS, "7 days");
        assertThat(Purges.count(JOBS, "7 days")).isZero();
    }
}
