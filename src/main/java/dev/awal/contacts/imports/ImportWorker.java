package dev.awal.contacts.imports;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.contact.ContactUpsert;
import dev.awal.contacts.contact.ContactUpsert.ImportOutcome;
import dev.awal.contacts.contact.ContactUpsert.ImportRow;
import dev.awal.contacts.contact.ContactUpsert.OnDuplicate;
import dev.awal.contacts.contact.ContactUpsert.Result;
import dev.awal.contacts.observability.DomainMetrics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Runs import jobs on worker threads (the scheduler's, never the event loop): claims a job in the database,
 * re-reads its file from the start, skips the rows already committed, and writes the rest in batches. Each
 * batch is one transaction holding the contacts, the report lines, the counts and the new committed offset,
 * and renewing the lease; so a job taken over after a crash resumes exactly at its last committed batch,
 * and since rows are upserted by phone a batch that is written again creates no duplicate.
 *
 * <p>COPY into a staging table would be the bulk path with JDBC; the reactive client has no COPY, so each batch
 * is one set-based INSERT … ON CONFLICT over unnest arrays (ContactUpsert), the same statement the batch API uses.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 3;
    /**
     * Age after which a stored import file no job names is an orphan: an upload inserts its job within the
     * database timeout of its put, far less than this.
     */
    private static final Duration FILE_GRACE = Duration.ofHours(1);
    private static final String DEADLOCK = "40P01";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String SERIALIZATION = "40001";
    /** An import of at least this many rows ends by refreshing the planner's statistics of contacts ({@link #analyze}). */
    private static final int ANALYZE_AFTER_ROWS = 10_000;

    private final ImportJobs jobs;
    private final ImportConfig config;
    private final Pool pool;
    private final ObjectMapper json;
    private final DomainMetrics metrics;

    ImportWorker(ImportJobs jobs, ImportConfig config, Pool pool, ObjectMapper json, DomainMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.config = config;
        this.pool = pool;
        this.json = json;
    }

    /** A worker that lost its claim (lease taken over, or the job was cancelled) stops without writing. */
    static final class ClaimLost extends RuntimeException {
        ClaimLost() {
            super("claim lost", null, false, false);
        }
    }

    /** Set on shutdown: the running job is handed back between two batches instead of waiting for its lease to expire. */
    private volatile boolean stopping;

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${contacts.imports.poll-interval:2s}", delayed = "${contacts.imports.poll-delay:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            drain();
            jobs.releaseAll().await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("Import worker: %s", e.toString());
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            int deleted = jobs.expire().await().atMost(TIMEOUT);
            if (deleted > 0) {
                LOG.infof("Deleted %d import jobs past their retention", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Expiring import jobs failed: %s", e.toString());
        }
        try {
            int deleted = sweepFiles(Instant.now().minus(FILE_GRACE));
            if (deleted > 0) {
                LOG.infof("Deleted %d import files no job names", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Sweeping import files failed: %s", e.toString());
        }
    }

    /** Deletes stored import files older than {@code cutoff} that no job names; answers how many. Blocking. */
    public int sweepFiles(Instant cutoff) {
        return jobs.sweepFiles(cutoff).await().atMost(TIMEOUT);
    }

    /** Claims and runs jobs until none is claimable. Blocking. */
    public void drain() {
        ImportJob job;
        while (!stopping && (job = claim(newOwner())) != null) {
            run(job, Integer.MAX_VALUE);
        }
    }

    public static String newOwner() {
        return "worker-" + UUID.randomUUID();
    }

    /** Claims one job for {@code owner}, or null. */
    public ImportJob claim(String owner) {
        return jobs.claim(owner).await().atMost(TIMEOUT);
    }

    /**
     * Runs a claimed job to its end, or for at most {@code maxBatches} batches (a worker that stops there
     * keeps its lease until it expires, as a crashed one would). Blocking.
     */
    public void run(ImportJob job, int maxBatches) {
        String owner = job.leaseOwner();
        InputStream file;
        try {
            file = jobs.file(job);
        } catch (RuntimeException e) {
            // The store is unreachable: left running, as below, for a claim after the lease to retry.
            LOG.errorf(e, "Import job %d could not open its file; another claim resumes it when the lease expires", job.id());
            return;
        }
        if (file == null) {
            jobs.finish(job.id(), owner, "failed", "The uploaded file is no longer in object storage; upload it again")
                    .await().atMost(TIMEOUT);
            jobs.release(job.id()).await().atMost(TIMEOUT);
            return;
        }
        try (file; ImportRows rows = ImportRows.open(job.format(), file, json, config.maxRowChars(),
                ImportRows.attributeKeys(pool, job.workspace()))) {
            // The reader parses and validates the batches after the one being written, on its own thread: the file's
            // parsing overlaps the database's work instead of alternating with it. Batches are still written one
            // after the other, in file order, each in its own transaction.
            Reader reader = new Reader(job, rows);
            Thread thread = new Thread(reader, "import-reader-" + job.id());
            thread.setDaemon(true);
            thread.start();
            try {
                int committed = job.committedRows();
                int batches = 0;
                Prepared batch;
                while ((batch = reader.take()) != null) {
                    if (batches++ == maxBatches) {
                        return;
                    }
                    if (stopping) {
                        jobs.handBack(job.id(), owner).await().atMost(TIMEOUT);
                        return;
                    }
                    committed += batch.rowCount();
                    writeBatch(job, owner, rows, batch, committed);
                }
            } finally {
                reader.stop(thread);
            }
            boolean ended = jobs.finish(job.id(), owner, "completed", null).await().atMost(TIMEOUT);
            if (ended && !job.dryRun() && job.totalRows() >= ANALYZE_AFTER_ROWS) {
                analyze(job);
            }
        } catch (ClaimLost e) {
            LOG.infof("Import job %d is no longer ours (cancelled or taken over)", job.id());
        } catch (ImportRows.Unreadable e) {
            jobs.finish(job.id(), owner, "failed", e.getMessage()).await().atMost(TIMEOUT);
        } catch (IOException | RuntimeException e) {
            // Left running: the lease expires and any replica resumes from the last committed batch.
            LOG.errorf(e, "Import job %d stopped; another claim resumes it when the lease expires", job.id());
            return;
        }
        // Deletes nothing unless the job has ended (completed, failed, or cancelled meanwhile).
        jobs.release(job.id()).await().atMost(TIMEOUT);
    }

    /**
     * Refreshes the planner's statistics of contacts after an import, as PostgreSQL advises after any bulk load: a
     * table that grew from thousands to a million rows since it was last analyzed is planned as if it were small
     * (measured: the export's keyset page became a bitmap scan of the whole workspace and a sort, ~450 ms per
     * 1,000-row page at 100k contacts, instead of an index walk). Autovacuum would get there later, or never where it
     * is off. ANALYZE samples a bounded number of rows (well under a second at a million); a role that may not
     * analyze the table gets a warning from PostgreSQL, not an error. A failure here does not touch the finished job.
     */
    private void analyze(ImportJob job) {
        try {
            pool.query("ANALYZE contacts").execute().await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("Analyzing contacts after import job %d failed: %s", job.id(), e.toString());
        }
    }

    private record Report(int row, String column, String reason, List<String> original) {
    }

    /** A batch read and validated ahead of its write: the rows to write, and the results and reports already known. */
    private record Prepared(Map<Integer, ImportRow> valid, Map<Integer, Result> results, List<Report> reports,
            int duplicatesInBatch, Map<Integer, ImportRows.Record> byRow, int rowCount) {
    }

    /** How many validated batches the reader keeps ready ahead of the writer. */
    private static final int READ_AHEAD = 2;
    /** Marks the end of the file in the reader's queue. */
    private static final Object END = new Object();

    /**
     * Reads the job's file on its own thread, skipping the rows already committed, and hands validated batches to
     * the writer through a bounded queue (so memory stays bounded whatever the file's size); then the end of the
     * file, or the failure that stopped it. Only this thread touches the file's parser.
     */
    private final class Reader implements Runnable {
        private final ImportJob job;
        private final ImportRows rows;
        private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(READ_AHEAD);

        Reader(ImportJob job, ImportRows rows) {
            this.job = job;
            this.rows = rows;
        }

        @Override
        public void run() {
            try {
                for (int skipped = 0; skipped < job.committedRows(); skipped++) {
                    if (rows.next() == null) {
                        break;
                    }
                }
                List<ImportRows.Record> batch = new ArrayList<>(config.batchSize());
                ImportRows.Record record;
                while ((record = rows.next()) != null) {
                    batch.add(record);
                    if (batch.size() == config.batchSize()) {
                        ready.put(prepare(job, rows, batch));
                        batch = new ArrayList<>(config.batchSize());
                    }
                }
                if (!batch.isEmpty()) {
                    ready.put(prepare(job, rows, batch));
                }
                ready.put(END);
            } catch (InterruptedException e) {
                // The writer stopped and wants nothing more.
            } catch (ImportRows.Unreadable | RuntimeException | Error e) {
                // Handed to the writer, which ends or leaves the job as it would for a failure on its own thread.
                try {
                    ready.put(e instanceof Error ? new IllegalStateException("the import reader failed", e) : e);
                } catch (InterruptedException stopped) {
                    // As above.
                }
            }
        }

        /** The next validated batch, or null at the end of the file; throws what stopped the reading. */
        Prepared take() throws ImportRows.Unreadable {
            Object next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
            if (next == END) {
                return null;
            }
            if (next instanceof ImportRows.Unreadable unreadable) {
                throw unreadable;
            }
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            return (Prepared) next;
        }

        /** Stops the reading thread and waits for it, so the file is closed only once nothing reads it. */
        void stop(Thread thread) {
            thread.interrupt();
            try {
                thread.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Validates a batch's rows by the API's rules and merges the rows that repeat a phone within it (on the reader's
     * thread): what remains to be written and what is already decided.
     */
    private Prepared prepare(ImportJob job, ImportRows rows, List<ImportRows.Record> batch) {
        OnDuplicate onDuplicate = OnDuplicate.parse(job.onDuplicate());
        Map<Integer, Result> results = new HashMap<>();
        List<Report> reports = new ArrayList<>();
        // Phone to the row that carries it in this batch: the later row with update, the first otherwise.
        Map<String, Integer> rowOfPhone = new LinkedHashMap<>();
        Map<Integer, ImportRow> valid = new LinkedHashMap<>();
        Map<Integer, ImportRows.Record> byRow = new HashMap<>();
        for (ImportRows.Record record : batch) {
            byRow.put(record.number(), record);
            if (record.chars() > config.maxRowChars()) {
                results.put(record.number(), Result.FAILED);
                reports.add(new Report(record.number(), "", "the row is longer than " + config.maxRowChars() + " characters",
                        List.of()));
                continue;
            }
            try {
                ImportRow row = rows.validate(record, job.defaultRegion(), job.contactGroupId());
                Integer earlier = rowOfPhone.get(row.phone());
                if (earlier == null) {
                    rowOfPhone.put(row.phone(), record.number());
                    valid.put(record.number(), row);
                } else if (onDuplicate == OnDuplicate.UPDATE) {
                    valid.remove(earlier);
                    rowOfPhone.put(row.phone(), record.number());
                    valid.put(record.number(), row);
                    results.put(earlier, Result.SKIPPED);
                    reports.add(new Report(earlier, rows.columnOf("phone"), "same phone as row " + record.number()
                            + ", which replaces this row", byRow.get(earlier).cells()));
                } else {
                    results.put(record.number(), Result.SKIPPED);
                    reports.add(new Report(record.number(), rows.columnOf("phone"), "same phone as row " + earlier
                            + ", which is kept", record.cells()));
                }
            } catch (ApiException e) {
                results.put(record.number(), Result.FAILED);
                Map<String, Object> details = e.details() == null ? Map.of("", e.getMessage()) : e.details();
                details.forEach((field, reason) -> reports.add(new Report(record.number(),
                        field.isEmpty() ? "" : rows.columnOf(field), String.valueOf(reason), record.cells())));
            }
        }
        int duplicatesInBatch = (int) results.values().stream().filter(result -> result == Result.SKIPPED).count();
        return new Prepared(valid, results, reports, duplicatesInBatch, byRow, batch.size());
    }

    /** Writes a prepared batch in one transaction (retried on a deadlock). */
    private void writeBatch(ImportJob job, String owner, ImportRows rows, Prepared batch, int committedAfter) {
        for (int attempt = 1;; attempt++) {
            try {
                commit(job, owner, batch.valid(), batch.results(), batch.reports(), batch.duplicatesInBatch(), batch.byRow(),
                        rows, batch.rowCount(), committedAfter);
                return;
            } catch (PgException e) {
                boolean retryable = DEADLOCK.equals(e.getSqlState()) || FOREIGN_KEY_VIOLATION.equals(e.getSqlState())
                        || SERIALIZATION.equals(e.getSqlState());
                if (!retryable || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void commit(ImportJob job, String owner, Map<Integer, ImportRow> valid, Map<Integer, Result> preResults,
            List<Report> preReports, int duplicatesInBatch, Map<Integer, ImportRows.Record> byRow, ImportRows rows, int rowCount,
            int committedAfter) {
        OnDuplicate onDuplicate = OnDuplicate.parse(job.onDuplicate());
        Map<Integer, Result> results = new HashMap<>(preResults);
        List<Report> reports = new ArrayList<>(preReports);
        int[] duplicates = { duplicatesInBatch };
        pool.withTransaction(tx -> lock(tx, job.id(), owner)
                .flatMap(locked -> earlierPhones(tx, job.id(), valid))
                .flatMap(earlier -> {
                    Map<Integer, ImportRow> toWrite = new LinkedHashMap<>(valid);
                    earlier.forEach((row, firstRow) -> {
                        duplicates[0]++;
                        if (onDuplicate == OnDuplicate.UPDATE) {
                            reports.add(new Report(row, rows.columnOf("phone"), "same phone as row " + firstRow
                                    + "; this later row updates that contact", byRow.get(row).cells()));
                        } else {
                            toWrite.remove(row);
                            results.put(row, Result.SKIPPED);
                            reports.add(new Report(row, rows.columnOf("phone"), "same phone as row " + firstRow
                                    + ", which is kept", byRow.get(row).cells()));
                        }
                    });
                    Uni<List<ImportOutcome>> written = job.dryRun()
                            // A dry run runs the very same statement and rolls it back: exact counts, nothing changed.
                            ? tx.query("SAVEPOINT dry_run").execute()
                                    .flatMap(s -> ContactUpsert.importRows(tx, job.workspace(), job.phoneNumberId(), toWrite, onDuplicate))
                                    .call(outcomes -> tx.query("ROLLBACK TO SAVEPOINT dry_run").execute())
                            : ContactUpsert.importRows(tx, job.workspace(), job.phoneNumberId(), toWrite, onDuplicate);
                    return written;
                })
                .flatMap(outcomes -> {
                    for (ImportOutcome outcome : outcomes) {
                        results.put(outcome.index(), outcome.result());
                        if (outcome.errors() != null) {
                            outcome.errors().forEach((field, reason) -> reports.add(new Report(outcome.index(),
                                    rows.columnOf(field), reason, byRow.get(outcome.index()).cells())));
                        }
                    }
                    return insertReports(tx, job.id(), reports);
                })
                .flatMap(done -> {
                    int[] counts = new int[Result.values().length];
                    results.values().forEach(result -> counts[result.ordinal()]++);
                    return tx.preparedQuery("""
                            UPDATE import_jobs SET committed_rows = $3, created = created + $4, updated = updated + $5,
                                unchanged = unchanged + $6, skipped = skipped + $7, failed = failed + $8,
                                duplicates_in_file = duplicates_in_file + $9, lease_until = now() + $10 * interval '1 millisecond'
                            WHERE id = $1 AND lease_owner = $2""")
                            .execute(Tuple.from(new Object[] { job.id(), owner, committedAfter, counts[Result.CREATED.ordinal()],
                                    counts[Result.UPDATED.ordinal()], counts[Result.UNCHANGED.ordinal()],
                                    counts[Result.SKIPPED.ordinal()], counts[Result.FAILED.ordinal()], duplicates[0],
                                    config.lease().toMillis() }));
                }))
                .await().atMost(TIMEOUT);
        if (results.size() != rowCount) {
            throw new IllegalStateException("batch accounted for " + results.size() + " of " + rowCount + " rows");
        }
        if (!job.dryRun()) {
            metrics.contactsImported((int) results.values().stream().filter(result -> result == Result.CREATED).count(),
                    (int) results.values().stream().filter(result -> result == Result.UPDATED).count());
        }
    }

    /** Takes the job's row lock for this batch, and fails the transaction unless this owner still runs the job. */
    private static Uni<Void> lock(SqlConnection tx, long id, String owner) {
        return tx.preparedQuery("SELECT 1 FROM import_jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running' FOR UPDATE")
                .execute(Tuple.of(id, owner))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ClaimLost();
                    }
                    return null;
                });
    }

    /**
     * Rows whose phone appeared in an earlier batch of this file (row to that first row); records the new phones. Each
     * phone is one lookup in the primary key (the LIMIT keeps it a lookup): a join was planned, without statistics of
     * the growing table, as a read of every phone the job had recorded so far, once per batch.
     */
    private static Uni<Map<Integer, Integer>> earlierPhones(SqlConnection tx, long id, Map<Integer, ImportRow> valid) {
        if (valid.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] phones = valid.values().stream().map(ImportRow::phone).toArray(String[]::new);
        Integer[] numbers = valid.keySet().toArray(Integer[]::new);
        return tx.preparedQuery("""
                WITH batch AS (SELECT * FROM unnest($2::text[], $3::int4[]) AS b(phone, row_number)),
                seen AS (SELECT b.row_number, p.first_row FROM batch b CROSS JOIN LATERAL (
                           SELECT p.row_number AS first_row FROM import_job_phones p
                           WHERE p.job_id = $1 AND p.phone = b.phone LIMIT 1) p),
                added AS (INSERT INTO import_job_phones (job_id, phone, row_number)
                          SELECT $1, phone, row_number FROM batch ON CONFLICT DO NOTHING)
                SELECT row_number, first_row FROM seen""")
                .execute(Tuple.of(id, phones, numbers))
                .map(rows -> {
                    Map<Integer, Integer> earlier = new HashMap<>();
                    for (Row row : rows) {
                        earlier.put(row.getInteger("row_number"), row.getInteger("first_row"));
                    }
                    return earlier;
                });
    }

    private static Uni<Void> insertReports(SqlConnection tx, long id, List<Report> reports) {
        if (reports.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = reports.size();
        Integer[] rowNumbers = new Integer[n];
        String[] columns = new String[n];
        String[] reasons = new String[n];
        String[] originals = new String[n];
        for (int i = 0; i < n; i++) {
            Report report = reports.get(i);
            rowNumbers[i] = report.row();
            columns[i] = truncate(report.column(), 255);
            reasons[i] = truncate(report.reason(), 1000);
            originals[i] = ImportReport.line(report.original());
        }
        return tx.preparedQuery("""
                INSERT INTO import_job_errors (job_id, row_number, column_name, reason, original)
                SELECT $1, * FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, rowNumbers, columns, reasons, originals)).replaceWithVoid();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
