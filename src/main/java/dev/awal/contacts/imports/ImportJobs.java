package dev.awal.contacts.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Import jobs in PostgreSQL: creation, reads scoped to a workspace, cancellation, and the claim that decides
 * which worker runs a job. Nothing about ownership lives in memory: a claim is a row's lease_owner and
 * lease_until, taken with FOR UPDATE SKIP LOCKED.
 */
@ApplicationScoped
public class ImportJobs {

    static final String COLUMNS = "id, workspace, status, file_name, file_bytes, total_rows, phone_number_id, "
            + "default_region, on_duplicate, contact_group_id, dry_run, committed_rows, created, updated, unchanged, skipped, "
            + "failed, duplicates_in_file, unknown_columns, failure, lease_owner, created_at, started_at, finished_at";

    /** Queued jobs of a workspace below its limit, or jobs whose owner stopped renewing the lease. */
    private static final String CANDIDATE = """
            SELECT id, workspace, status FROM import_jobs j
            WHERE (j.status = 'running' AND j.lease_until < now())
               OR (j.status = 'queued' AND (SELECT count(*) FROM import_jobs r WHERE r.workspace = j.workspace
                     AND r.status = 'running' AND r.lease_until >= now()) < $1)
            ORDER BY j.id LIMIT 1 FOR UPDATE SKIP LOCKED
            """;
    private static final String RUNNING_IN_WORKSPACE = """
            SELECT count(*) AS running FROM import_jobs WHERE workspace = $1 AND status = 'running' AND lease_until >= now() AND id <> $2
            """;
    private static final String TAKE = """
            UPDATE import_jobs SET status = 'running', lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond',
                started_at = coalesce(started_at, now()), attempts = attempts + 1
            WHERE id = $1 RETURNING %s
            """.formatted(COLUMNS);

    /** Chunk size of a stored file. */
    static final int CHUNK_BYTES = 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final ImportConfig config;

    ImportJobs(Pool pool, ImportConfig config) {
        this.pool = pool;
        this.config = config;
    }

    record NewJob(String workspace, String fileName, long fileBytes, int totalRows, String phoneNumberId,
            String defaultRegion, String onDuplicate, Long contactGroupId, boolean dryRun, List<String> header,
            List<String> unknownColumns) {
    }

    /**
     * Stores the job and its file in one transaction (the file in chunks read from disk on the calling worker
     * thread), so a job is never visible to a worker without its whole file. Blocking: call off the event loop.
     */
    ImportJob create(NewJob job, Path file) throws IOException {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            try {
                ImportJob created = connection.preparedQuery("""
                        INSERT INTO import_jobs (workspace, file_name, file_bytes, total_rows, phone_number_id, default_region,
                            on_duplicate, contact_group_id, dry_run, header, unknown_columns)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING %s""".formatted(COLUMNS))
                        .execute(Tuple.from(new Object[] { job.workspace(), job.fileName(), job.fileBytes(),
                                job.totalRows(), job.phoneNumberId(), job.defaultRegion(), job.onDuplicate(), job.contactGroupId(),
                                job.dryRun(), job.header().toArray(String[]::new), job.unknownColumns().toArray(String[]::new) }))
                        .map(ImportJobs::first).await().atMost(TIMEOUT);
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] chunk;
                    int seq = 0;
                    while ((chunk = in.readNBytes(CHUNK_BYTES)).length > 0) {
                        connection.preparedQuery("INSERT INTO import_job_files (job_id, seq, data) VALUES ($1, $2, $3)")
                                .execute(Tuple.of(created.id(), seq++, Buffer.buffer(chunk))).await().atMost(TIMEOUT);
                    }
                }
                tx.commit().await().atMost(TIMEOUT);
                return created;
            } catch (RuntimeException | IOException e) {
                tx.rollback().await().atMost(TIMEOUT);
                throw e;
            }
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    /** The job's file, read chunk by chunk from the database as the parser consumes it. Blocking. */
    InputStream file(long id) {
        return new InputStream() {
            private int seq;
            private byte[] chunk = new byte[0];
            private int position;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                while (position >= chunk.length) {
                    if (done) {
                        return -1;
                    }
                    RowSet<Row> rows = pool.preparedQuery("SELECT data FROM import_job_files WHERE job_id = $1 AND seq = $2")
                            .execute(Tuple.of(id, seq++)).await().atMost(TIMEOUT);
                    if (!rows.iterator().hasNext()) {
                        done = true;
                        return -1;
                    }
                    chunk = rows.iterator().next().getBuffer("data").getBytes();
                    position = 0;
                }
                int n = Math.min(length, chunk.length - position);
                System.arraycopy(chunk, position, target, offset, n);
                position += n;
                return n;
            }
        };
    }

    Uni<ImportJob> find(String workspace, long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM import_jobs WHERE workspace = $1 AND id = $2")
                .execute(Tuple.of(workspace, id)).map(ImportJobs::first);
    }

    /** One page of the workspace's jobs, newest first, and one more row to tell whether a next page exists. */
    Uni<List<ImportJob>> list(String workspace, int page, int perPage) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM import_jobs WHERE workspace = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
                .execute(Tuple.of(workspace, perPage + 1, (long) (page - 1) * perPage))
                .map(rows -> {
                    List<ImportJob> jobs = new ArrayList<>();
                    rows.forEach(row -> jobs.add(ImportJob.of(row)));
                    return jobs;
                });
    }

    /**
     * Cancels a queued or running job. A running batch holds the job's row lock, so this waits for at most
     * that one batch; the worker sees the status at its next batch and stops. Null when no such job.
     */
    Uni<ImportJob> cancel(String workspace, long id) {
        return pool.preparedQuery("""
                UPDATE import_jobs SET status = CASE WHEN status IN ('queued', 'running') THEN 'cancelled' ELSE status END,
                    finished_at = coalesce(finished_at, now()), lease_owner = NULL, lease_until = NULL
                WHERE workspace = $1 AND id = $2 RETURNING %s""".formatted(COLUMNS))
                .execute(Tuple.of(workspace, id)).map(ImportJobs::first);
    }

    /**
     * Claims one job for {@code owner}: a queued job whose workspace runs fewer than the allowed number, or a
     * running job whose lease expired. The per-workspace count is re-read under an advisory lock per
     * workspace, so two replicas claiming at once cannot both start a second job there. Null when none.
     */
    Uni<ImportJob> claim(String owner) {
        return pool.withTransaction(tx -> tx.preparedQuery(CANDIDATE).execute(Tuple.of(config.maxRunningPerWorkspace()))
                .flatMap(candidates -> {
                    Row candidate = candidates.iterator().hasNext() ? candidates.iterator().next() : null;
                    if (candidate == null) {
                        return Uni.createFrom().nullItem();
                    }
                    long id = candidate.getLong("id");
                    String workspace = candidate.getString("workspace");
                    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('contacts-import:' || $1))")
                            .execute(Tuple.of(workspace))
                            .flatMap(locked -> tx.preparedQuery(RUNNING_IN_WORKSPACE).execute(Tuple.of(workspace, id)))
                            .flatMap(running -> {
                                if (running.iterator().next().getLong("running") >= config.maxRunningPerWorkspace()) {
                                    return Uni.createFrom().<ImportJob>nullItem();
                                }
                                return tx.preparedQuery(TAKE).execute(Tuple.of(id, owner, config.lease().toMillis()))
                                        .map(ImportJobs::first);
                            });
                }));
    }

    /** The file's header as stored at upload. */
    Uni<List<String>> header(long id) {
        return pool.preparedQuery("SELECT header FROM import_jobs WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> List.of(rows.iterator().next().getArrayOfStrings("header")));
    }

    /** Gives a job this owner holds back to the queue (a replica shutting down), for any replica to resume at once. */
    Uni<Void> handBack(long id, String owner) {
        return pool.preparedQuery("""
                UPDATE import_jobs SET status = 'queued', lease_owner = NULL, lease_until = NULL
                WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                .execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    /** Ends a job this owner still holds; true when it did. */
    Uni<Boolean> finish(long id, String owner, String status, String failure) {
        return pool.preparedQuery("""
                UPDATE import_jobs SET status = $3, failure = $4, finished_at = now(), lease_owner = NULL, lease_until = NULL
                WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id""")
                .execute(Tuple.of(id, owner, status, failure)).map(rows -> rows.rowCount() > 0);
    }

    private static final String ENDED = "SELECT id FROM import_jobs WHERE status IN ('completed', 'failed', 'cancelled')";

    /** Deletes the file and the phones seen of a job that has ended (the report stays until retention). */
    Uni<Void> release(long id) {
        String ended = "(" + ENDED + " AND id = $1)";
        return pool.preparedQuery("DELETE FROM import_job_files WHERE job_id IN " + ended).execute(Tuple.of(id))
                .flatMap(done -> pool.preparedQuery("DELETE FROM import_job_phones WHERE job_id IN " + ended).execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    /** The same for every ended job: what a replica that stopped right after ending a job left behind. */
    Uni<Void> releaseAll() {
        return pool.query("DELETE FROM import_job_files WHERE job_id IN (" + ENDED + ")").execute()
                .flatMap(done -> pool.query("DELETE FROM import_job_phones WHERE job_id IN (" + ENDED + ")").execute())
                .replaceWithVoid();
    }

    /** Deletes jobs (and with them their reports) that ended longer than the retention period ago. */
    Uni<Integer> expire() {
        return pool.preparedQuery("DELETE FROM import_jobs WHERE finished_at < now() - $1 * interval '1 millisecond'")
                .execute(Tuple.of(config.retention().toMillis())).map(RowSet::rowCount);
    }

    private static ImportJob first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? ImportJob.of(rows.iterator().next()) : null;
    }
}
