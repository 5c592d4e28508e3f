package dev.awal.contacts.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.events.Events;
import dev.awal.contacts.persistence.RetentionPurge;
import dev.awal.contacts.storage.ObjectKeys;
import dev.awal.contacts.storage.ObjectStorage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Import jobs in PostgreSQL: creation, reads scoped to a workspace, cancellation, and the claim that decides
 * which worker runs a job. Nothing about ownership lives in memory: a claim is a row's lease_owner and
 * lease_until, taken with FOR UPDATE SKIP LOCKED. The uploaded file is an object in the store, named by the job's
 * file_key until the job ends.
 */
@ApplicationScoped
public class ImportJobs {

    static final String COLUMNS = "id, workspace, status, file_name, file_bytes, total_rows, phone_number_id, "
            + "default_region, on_duplicate, contact_group_id, dry_run, committed_rows, created, updated, unchanged, skipped, "
            + "failed, duplicates_in_file, unknown_columns, failure, lease_owner, created_at, started_at, finished_at, file_key, format, partition_rows, "
            + "attempts";

    /**
     * Queued jobs, or jobs whose owner stopped renewing the lease, of a workspace below its limit. An expired job of a
     * full workspace is no candidate either: as the lowest id it was picked first every time, the claim's re-check
     * found the workspace full and the round ended, so no job of any workspace started until the other one ended.
     */
    private static final String CANDIDATE = """
            SELECT id, workspace, status FROM import_jobs j
            WHERE (j.status = 'queued' OR j.status = 'running' AND j.lease_until < now())
              AND (SELECT count(*) FROM import_jobs r WHERE r.workspace = j.workspace
                     AND r.status = 'running' AND r.lease_until >= now()) < $1
            ORDER BY j.id LIMIT 1 FOR UPDATE SKIP LOCKED
            """;
    private static final String RUNNING_IN_WORKSPACE = """
            SELECT count(*) AS running FROM import_jobs WHERE workspace = $1 AND status = 'running' AND lease_until >= now() AND id <> $2
            """;
    private static final String TAKE = """
            UPDATE import_jobs SET status = 'running', lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond',
                started_at = coalesce(started_at, now()), attempts = attempts + 1,
                partition_rows = coalesce(partition_rows, array_fill(committed_rows, ARRAY[$4::int4]))
            WHERE id = $1 RETURNING %s
            """.formatted(COLUMNS);

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A put streams up to contacts.imports.max-bytes: bounded, but longer than a query. */
    private static final Duration STORE_TIMEOUT = Duration.ofMinutes(5);
    /** Objects the store holds per subscriber while the parser consumes them (each at most a read buffer). */
    private static final int READ_AHEAD = 4;

    /**
     * One chunk of at most $1 report rows (of the table named by %s) of jobs that ended more than $2 ms ago: the
     * ended jobs are walked oldest first (import_jobs_finished) and each one's rows through its key, until $1 rows are
     * found, so a chunk reads about what it deletes.
     */
    private static final String EXPIRED_REPORT_ROWS = """
            DELETE FROM %s WHERE ctid = ANY (ARRAY(
              SELECT r.ctid FROM import_jobs j CROSS JOIN LATERAL (SELECT ctid FROM %1$s r WHERE r.job_id = j.id LIMIT $1) r
              WHERE j.finished_at < now() - $2 * interval '1 millisecond'
              LIMIT $1))""";
    /** One chunk of at most $1 jobs that ended more than $2 ms ago and have no report rows left (their cascade is empty). */
    private static final String EXPIRED_JOBS = """
            DELETE FROM import_jobs WHERE id IN (SELECT j.id FROM import_jobs j
              WHERE j.finished_at < now() - $2 * interval '1 millisecond'
                AND NOT EXISTS (SELECT 1 FROM import_job_errors r WHERE r.job_id = j.id)
                AND NOT EXISTS (SELECT 1 FROM import_job_phones r WHERE r.job_id = j.id)
              ORDER BY j.finished_at LIMIT $1)""";

    private final Pool pool;
    private final ImportConfig config;
    private final ObjectStorage storage;
    private final RetentionPurge purges;

    ImportJobs(Pool pool, ImportConfig config, ObjectStorage storage, RetentionPurge purges) {
        this.pool = pool;
        this.config = config;
        this.storage = storage;
        this.purges = purges;
    }

    record NewJob(String workspace, String fileName, long fileBytes, int totalRows, String phoneNumberId,
            String defaultRegion, String onDuplicate, Long contactGroupId, boolean dryRun, List<String> header,
            List<String> unknownColumns, String format) {
    }

    /**
     * Puts the file into object storage, streamed from disk, then inserts the job that names it: a job is never
     * visible to a worker without its whole file. When the insert fails the object is deleted again. Blocking:
     * call off the event loop.
     */
    ImportJob create(NewJob job, Path file) {
        String key = ObjectKeys.newKey(ObjectKeys.IMPORTS, "csv");
        storage.put(key, file, "text/csv").await().atMost(STORE_TIMEOUT);
        try {
            return pool.preparedQuery("""
                    INSERT INTO import_jobs (workspace, file_name, file_bytes, total_rows, phone_number_id, default_region,
                        on_duplicate, contact_group_id, dry_run, header, unknown_columns, file_key, format)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING %s""".formatted(COLUMNS))
                    .execute(Tuple.from(new Object[] { job.workspace(), job.fileName(), job.fileBytes(),
                            job.totalRows(), job.phoneNumberId(), job.defaultRegion(), job.onDuplicate(), job.contactGroupId(),
                            job.dryRun(), job.header().stream().map(ImportWorker::replaceNul).toArray(String[]::new),
                            job.unknownColumns().stream().map(ImportWorker::replaceNul).toArray(String[]::new), key, job.format() }))
                    .map(ImportJobs::first).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            storage.delete(key).onFailure().recoverWithNull().await().atMost(TIMEOUT);
            throw e;
        }
    }

    /**
     * The job's file as a stream read from object storage as the parser consumes it (a few buffers ahead, so
     * memory stays flat); null when the object is gone. Closing it cancels the download. Blocking.
     */
    InputStream file(ImportJob job) {
        ObjectStorage.StoredObject object = job.fileKey() == null ? null
                : storage.read(job.fileKey()).await().atMost(TIMEOUT);
        if (object == null) {
            return null;
        }
        Stream<Buffer> buffers = object.body().subscribe()
                .asIterable(READ_AHEAD, () -> new ArrayBlockingQueue<>(READ_AHEAD)).stream();
        Iterator<Buffer> iterator = buffers.iterator();
        return new InputStream() {
            private Buffer chunk = Buffer.buffer();
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (position >= chunk.length()) {
                    if (!next()) {
                        return -1;
                    }
                }
                int n = Math.min(length, chunk.length() - position);
                chunk.getBytes(position, position + n, target, offset);
                position += n;
                return n;
            }

            private boolean next() throws IOException {
                try {
                    if (!iterator.hasNext()) {
                        return false;
                    }
                    chunk = iterator.next();
                    position = 0;
                    return true;
                } catch (RuntimeException e) {
                    throw new ImportRows.StorageFailed(e);
                }
            }

            @Override
            public void close() {
                buffers.close();
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
        // The job as it is when it was not open: read by a second statement, so it sees an end committed meanwhile.
        return pool.withTransaction(tx -> tx.preparedQuery("""
                WITH ended AS (UPDATE import_jobs SET status = 'cancelled', finished_at = now(), lease_owner = NULL,
                    lease_until = NULL WHERE workspace = $1 AND id = $2 AND status IN ('queued', 'running') RETURNING *),
                event AS (%s)
                SELECT %s FROM ended""".formatted(Events.importCompletedFrom("ended"), COLUMNS))
                .execute(Tuple.of(workspace, id)).map(ImportJobs::first)
                .onItem().ifNull().switchTo(() -> tx.preparedQuery("SELECT " + COLUMNS + " FROM import_jobs WHERE workspace = $1 AND id = $2")
                        .execute(Tuple.of(workspace, id)).map(ImportJobs::first)));
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
                                return tx.preparedQuery(TAKE).execute(Tuple.of(id, owner, config.lease().toMillis(), Math.max(1, config.writers())))
                                        .map(ImportJobs::first);
                            });
                }));
    }

    /** The file's header as stored at upload. */
    Uni<List<String>> header(long id) {
        return pool.preparedQuery("SELECT header FROM import_jobs WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> List.of(rows.iterator().next().getArrayOfStrings("header")));
    }

    /**
     * Gives a job this owner holds back to the queue (a replica shutting down), for any replica to resume at once. An
     * orderly stop is not a failed attempt: the claim's count is taken back.
     */
    Uni<Void> handBack(long id, String owner) {
        return pool.preparedQuery("""
                UPDATE import_jobs SET status = 'queued', lease_owner = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0)
                WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                .execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    /** Ends a job this owner still holds; true when it did. */
    Uni<Boolean> finish(long id, String owner, String status, String failure) {
        return pool.preparedQuery("""
                WITH ended AS (UPDATE import_jobs SET status = $3, failure = $4, finished_at = now(), lease_owner = NULL,
                    lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING *),
                event AS (%s)
                SELECT id FROM ended""".formatted(Events.importCompletedFrom("ended")))
                .execute(Tuple.of(id, owner, status, failure)).map(rows -> rows.rowCount() > 0);
    }

    private static final String ENDED = "SELECT id FROM import_jobs WHERE status IN ('completed', 'failed', 'cancelled')";
    private static final String ENDED_WITH_FILE = """
            SELECT id, file_key FROM import_jobs
            WHERE file_key IS NOT NULL AND status IN ('completed', 'failed', 'cancelled')""";
    private static final int RELEASE_BATCH = 100;

    /**
     * Deletes the file of a job that has ended (the report stays until retention), and the phones an earlier build
     * recorded for it in import_job_phones (this one keeps them in the worker's memory: ImportWorker's SeenPhones).
     */
    Uni<Void> release(long id) {
        return pool.preparedQuery(ENDED_WITH_FILE + " AND id = $1").execute(Tuple.of(id))
                .flatMap(this::deleteFiles)
                .flatMap(done -> pool.preparedQuery("DELETE FROM import_job_phones WHERE job_id IN (" + ENDED + " AND id = $1)")
                        .execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    /**
     * The same for every ended job: files of jobs cancelled while queued, and what a replica that stopped right
     * after ending a job left behind.
     */
    Uni<Void> releaseAll() {
        return pool.preparedQuery(ENDED_WITH_FILE + " ORDER BY id LIMIT $1").execute(Tuple.of(RELEASE_BATCH))
                .flatMap(this::deleteFiles)
                .flatMap(done -> pool.query("DELETE FROM import_job_phones WHERE job_id IN (" + ENDED + ")").execute())
                .replaceWithVoid();
    }

    /**
     * Deletes each object, then forgets its key: a crash in between leaves the key, and deleting an object that
     * is already gone succeeds, so the next release finishes the work.
     */
    private Uni<Void> deleteFiles(RowSet<Row> ended) {
        List<Long> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        ended.forEach(row -> {
            ids.add(row.getLong("id"));
            keys.add(row.getString("file_key"));
        });
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUniAndConcatenate(storage::delete)
                .collect().last()
                .flatMap(done -> pool.preparedQuery("UPDATE import_jobs SET file_key = NULL WHERE id = ANY($1)")
                        .execute(Tuple.of(ids.toArray(Long[]::new))))
                .replaceWithVoid();
    }

    /**
     * Deletes objects under imports/ last modified before {@code cutoff} that no job names: what a crash between
     * an upload's put and its job's insert left behind (the ended jobs' files are deleted by release). Answers how
     * many.
     */
    Uni<Integer> sweepFiles(Instant cutoff) {
        return storage.list(ObjectKeys.IMPORTS)
                .select().where(object -> object.lastModified().isBefore(cutoff) && ObjectKeys.isValid(object.key()))
                .map(ObjectStorage.ListedObject::key)
                .group().intoLists().of(RELEASE_BATCH)
                .onItem().transformToUniAndConcatenate(keys -> pool
                        .preparedQuery("SELECT file_key FROM import_jobs WHERE file_key = ANY($1)")
                        .execute(Tuple.of(keys.toArray(String[]::new)))
                        .flatMap(rows -> {
                            Set<String> named = new HashSet<>();
                            rows.forEach(row -> named.add(row.getString("file_key")));
                            List<String> orphans = keys.stream().filter(key -> !named.contains(key)).toList();
                            return Multi.createFrom().iterable(orphans)
                                    .onItem().transformToUniAndConcatenate(storage::delete)
                                    .collect().last()
                                    .replaceWith(orphans.size());
                        }))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * Deletes jobs that ended longer than the retention period ago, with their reports, in chunks (see
     * {@link RetentionPurge}): first the report rows (a job of a million rows can have millions, which its job's
     * cascade would delete in one statement), then the jobs left without any. Answers how many jobs went.
     */
    Uni<Long> expire() {
        long retention = config.retention().toMillis();
        return purges.inChunks("import-reports", EXPIRED_REPORT_ROWS.formatted("import_job_errors"), retention)
                .flatMap(errors -> purges.inChunks("import-reports", EXPIRED_REPORT_ROWS.formatted("import_job_phones"), retention))
                .flatMap(phones -> purges.inChunks("import-jobs", EXPIRED_JOBS, retention));
    }

    private static ImportJob first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? ImportJob.of(rows.iterator().next()) : null;
    }
}
