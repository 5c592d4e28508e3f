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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Runs import jobs on worker threads (the scheduler's, never the event loop): claims a job in the database,
 * re-reads its file from the start, skips the rows already committed, and writes the rest in batches. The rows
 * are split into partitions by phone (contacts.imports.writers), each written by its own connection in file
 * order, so the database's work on one job runs on several cores while one phone is still written by one
 * partition only (the later row of a file wins, and two writers never wait for each other's contacts). Each
 * batch is one transaction holding the contacts, the report lines, the counts and its partition's new committed
 * position, and renewing the lease; so a job taken over after a crash resumes every partition exactly at its
 * last committed batch, and since rows are upserted by phone a batch that is written again creates no duplicate.
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
        if (stopping) {
            // The database pool closes during shutdown: a round started now would only fail against it.
            return;
        }
        try {
            drain();
            if (!stopping) {
                jobs.releaseAll().await().atMost(TIMEOUT);
            }
        } catch (RuntimeException e) {
            if (stopping) {
                // A round that was under way when the shutdown began (its job, if any, was handed back or keeps its lease).
                LOG.debugf("Import worker stopped: %s", e.toString());
            } else {
                LOG.warnf("Import worker: %s", e.toString());
            }
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            // No overall timeout: a large backlog takes many chunks, and each is a statement the database bounds.
            long deleted = jobs.expire().await().indefinitely();
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
        if (job.attempts() > config.maxAttempts()) {
            // The error is in the log of each replica that tried; the job says where it stopped, in the client's terms.
            jobs.finish(job.id(), owner, "failed", "The import stopped " + (job.attempts() - 1) + " times in a row without"
                    + " committing a batch; the rows it had committed stay (see the counts). Import the file again, or ask"
                    + " support with the job id").await().atMost(TIMEOUT);
            jobs.release(job.id()).await().atMost(TIMEOUT);
            return;
        }
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
            // The reader parses, validates and partitions the rows on its own thread, ahead of the writers: the
            // file's parsing overlaps the database's work instead of alternating with it. Each partition's batches
            // are written one after the other, in file order, each in its own transaction.
            int[] positions = job.partitionRows() != null ? job.partitionRows().clone() : new int[] { job.committedRows() };
            Reader reader = new Reader(job, rows, positions);
            Thread readerThread = new Thread(reader, "import-reader-" + job.id());
            readerThread.setDaemon(true);
            readerThread.start();
            Writers writers = new Writers(job, owner, rows, reader, maxBatches);
            try {
                writers.runAll(positions.length);
            } finally {
                reader.stop(readerThread);
            }
            writers.rethrow();
            if (writers.cut) {
                // The batch budget ran out (a stop as a crash would leave it) or the replica is shutting down.
                if (stopping) {
                    jobs.handBack(job.id(), owner).await().atMost(TIMEOUT);
                }
                return;
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

    /**
     * A batch of one partition read and validated ahead of its write: the rows to write, the results and reports
     * already known, and {@code through}, the data rows of the file read when it was cut (every row of the partition
     * up to there is in this batch or an earlier one).
     */
    private record Prepared(Map<Integer, ImportRow> valid, Map<Integer, Result> results, List<Report> reports,
            int duplicatesInBatch, Map<Integer, ImportRows.Record> byRow, int rowCount, int partition, int through) {
    }

    /** A record with its validation: the row, or the reports that refuse it. */
    private record Checked(ImportRows.Record record, ImportRow row, List<Report> refused) {
    }

    /** How many validated batches the reader keeps ready ahead of each writer. */
    private static final int READ_AHEAD = 2;
    /** How often a writer waiting for its next batch looks whether the others stopped. */
    private static final long WAIT_MILLIS = 100;

    /**
     * Reads the job's file on its own thread, not writing again the rows already committed (only remembering their
     * phones, {@link Replay}), and hands validated batches to
     * each partition's writer through bounded queues (so memory stays bounded whatever the file's size); then the
     * end of the file, or the failure that stopped it. Only this thread touches the file's parser.
     *
     * <p>A row belongs to the partition its phone hashes to ({@link String#hashCode} is the same in every JVM), or,
     * without a valid phone, to the one its number picks: validation depends only on the row and the job's options,
     * so a resumed job puts every row where the first run did.
     */
    private final class Reader implements Runnable {
        private final ImportJob job;
        private final ImportRows rows;
        private final int[] positions;
        private final List<BlockingQueue<Prepared>> ready = new ArrayList<>();
        /**
         * Each partition's phones written by earlier batches. On a resume the reader fills a partition's set from the
         * committed rows before it hands that partition its first batch; from then on only its writer touches it (the
         * queue orders the two).
         */
        private final List<SeenPhones> seen = new ArrayList<>();
        private volatile boolean finished;
        private volatile Exception failure;

        Reader(ImportJob job, ImportRows rows, int[] positions) {
            this.job = job;
            this.rows = rows;
            this.positions = positions;
            for (int p = 0; p < positions.length; p++) {
                ready.add(new ArrayBlockingQueue<>(READ_AHEAD));
                seen.add(new SeenPhones());
            }
        }

        SeenPhones seen(int partition) {
            return seen.get(partition);
        }

        @Override
        public void run() {
            try {
                int partitions = positions.length;
                List<List<Checked>> pending = new ArrayList<>();
                List<Replay> replays = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    pending.add(new ArrayList<>(config.batchSize()));
                    replays.add(new Replay(seen.get(p), OnDuplicate.parse(job.onDuplicate()), job.dryRun()));
                }
                int read = 0;
                ImportRows.Record record;
                while ((record = rows.next()) != null) {
                    read++;
                    Checked checked = check(record);
                    int partition = Math.floorMod(checked.row() != null ? checked.row().phone().hashCode() : read, partitions);
                    if (read <= positions[partition]) {
                        // Committed by an earlier claim: not written again, but its phones are remembered as that
                        // claim's batches remembered them, so a later row repeating one is still reported.
                        replays.get(partition).add(checked);
                        continue;
                    }
                    replays.get(partition).flush();
                    List<Checked> batch = pending.get(partition);
                    batch.add(checked);
                    if (batch.size() == config.batchSize()) {
                        ready.get(partition).put(prepare(job, rows, batch, partition, read));
                        pending.set(partition, new ArrayList<>(config.batchSize()));
                    }
                }
                for (int p = 0; p < partitions; p++) {
                    replays.get(p).flush();
                    if (!pending.get(p).isEmpty()) {
                        ready.get(p).put(prepare(job, rows, pending.get(p), p, read));
                    }
                }
            } catch (InterruptedException e) {
                // The writers stopped and want nothing more.
            } catch (ImportRows.Unreadable | RuntimeException e) {
                // Handed to the writers, which end or leave the job as they would for a failure on their own threads.
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("the import reader failed", e);
            } finally {
                finished = true;
            }
        }

        /** Validates one record by the API's rules. */
        private Checked check(ImportRows.Record record) {
            if (record.chars() > config.maxRowChars()) {
                return new Checked(record, null, List.of(new Report(record.number(), "",
                        "the row is longer than " + config.maxRowChars() + " characters", List.of())));
            }
            try {
                return new Checked(record, rows.validate(record, job.defaultRegion(), job.contactGroupId()), null);
            } catch (ApiException e) {
                List<Report> reports = new ArrayList<>();
                Map<String, Object> details = e.details() == null ? Map.of("", e.getMessage()) : e.details();
                details.forEach((field, reason) -> reports.add(new Report(record.number(),
                        field.isEmpty() ? "" : rows.columnOf(field), String.valueOf(reason), record.cells())));
                return new Checked(record, null, reports);
            }
        }

        /**
         * The partition's next validated batch, or null at the end of the file or once {@code stop} says the writers
         * stop; throws what stopped the reading.
         */
        Prepared take(int partition, java.util.function.BooleanSupplier stop) throws ImportRows.Unreadable {
            BlockingQueue<Prepared> queue = ready.get(partition);
            while (!stop.getAsBoolean()) {
                boolean ended = finished;
                Prepared next;
                try {
                    next = queue.poll(WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next batch", e);
                }
                if (next != null) {
                    return next;
                }
                // Everything the reader put was put before it said it finished.
                if (ended && queue.isEmpty()) {
                    if (failure instanceof ImportRows.Unreadable unreadable) {
                        throw unreadable;
                    }
                    if (failure instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    return null;
                }
            }
            return null;
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
     * One writer thread per partition, each with its own pooled connection. The first failure stops them all between
     * two batches (a batch in flight commits or rolls back whole); so does the end of the batch budget or a shutdown.
     */
    private final class Writers {
        private final ImportJob job;
        private final String owner;
        private final ImportRows rows;
        private final Reader reader;
        private final java.util.concurrent.atomic.AtomicInteger budget;
        private volatile boolean halted;
        /** Whether the writers stopped before the end of the file (budget, shutdown): the job stays running. */
        volatile boolean cut;
        private final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();

        Writers(ImportJob job, String owner, ImportRows rows, Reader reader, int maxBatches) {
            this.job = job;
            this.owner = owner;
            this.rows = rows;
            this.reader = reader;
            this.budget = new java.util.concurrent.atomic.AtomicInteger(maxBatches);
        }

        /** Runs one writer per partition until all have ended. */
        void runAll(int partitions) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                Thread thread = new Thread(() -> write(partition), "import-writer-" + job.id() + "-" + p);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                try {
                    // A writer's every wait is bounded (TIMEOUT per statement), so this join ends.
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    halted = true;
                    failure.compareAndSet(null, new IllegalStateException("interrupted while writing the import", e));
                }
            }
        }

        private void write(int partition) {
            try {
                Prepared batch;
                while ((batch = reader.take(partition, () -> halted)) != null) {
                    if (budget.getAndDecrement() <= 0 || stopping) {
                        cut = true;
                        halted = true;
                        return;
                    }
                    long started = System.nanoTime();
                    writeBatch(job, owner, rows, batch, reader.seen(partition));
                    pause(System.nanoTime() - started);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new IllegalStateException("interrupted while pausing between batches", e));
                halted = true;
            } catch (ImportRows.Unreadable | RuntimeException e) {
                failure.compareAndSet(null, e);
                halted = true;
            } catch (Error e) {
                failure.compareAndSet(null, new IllegalStateException("an import writer failed", e));
                halted = true;
            }
        }

        /** Leaves the cores to other work for contacts.imports.pause-ratio of the batch's time. */
        private void pause(long batchNanos) throws InterruptedException {
            double ratio = config.pauseRatio();
            if (ratio > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep((long) (batchNanos * ratio));
            }
        }

        /** Throws the first failure of a writer or of the reader, if any. */
        void rethrow() throws ImportRows.Unreadable {
            Exception first = failure.get();
            if (first instanceof ImportRows.Unreadable unreadable) {
                throw unreadable;
            }
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
        }
    }

    /**
     * Rebuilds a partition's {@link SeenPhones} from its committed rows on a resume, cutting them into batches as the
     * reader did ({@link #prepare}: batch-size rows of the partition each, the later row of a repeated phone kept with
     * update, the first otherwise), so each phone names the row its first batch wrote. The committed rows are the same
     * (validation depends only on the row and the job's options); the batches are the first claim's as long as the
     * batch size is unchanged and the job was not resumed before, otherwise the named row may be another committed row
     * of that phone.
     */
    private final class Replay {
        private final SeenPhones seen;
        private final OnDuplicate onDuplicate;
        private final boolean dryRun;
        private final Map<String, Integer> rowOfPhone = new HashMap<>();
        /** A dry run's fingerprints of the committed rows (their outcomes are not kept: taken as written). */
        private final Map<String, Integer> fingerprints = new HashMap<>();
        private int rowsInBatch;

        Replay(SeenPhones seen, OnDuplicate onDuplicate, boolean dryRun) {
            this.seen = seen;
            this.onDuplicate = onDuplicate;
            this.dryRun = dryRun;
        }

        void add(Checked checked) {
            if (checked.row() != null) {
                if (onDuplicate == OnDuplicate.UPDATE) {
                    rowOfPhone.put(checked.row().phone(), checked.record().number());
                    if (dryRun) {
                        fingerprints.put(checked.row().phone(), checked.row().fingerprint());
                    }
                } else {
                    rowOfPhone.putIfAbsent(checked.row().phone(), checked.record().number());
                }
            }
            if (++rowsInBatch == config.batchSize()) {
                flush();
            }
        }

        void flush() {
            rowOfPhone.forEach(seen::add);
            rowOfPhone.clear();
            fingerprints.forEach(seen::wrote);
            fingerprints.clear();
            rowsInBatch = 0;
        }
    }

    /**
     * Merges the rows of a partition's batch that repeat a phone within it (on the reader's thread): what remains to
     * be written and what is already decided.
     */
    private Prepared prepare(ImportJob job, ImportRows rows, List<Checked> batch, int partition, int through) {
        OnDuplicate onDuplicate = OnDuplicate.parse(job.onDuplicate());
        Map<Integer, Result> results = new HashMap<>();
        List<Report> reports = new ArrayList<>();
        // Phone to the row that carries it in this batch: the later row with update, the first otherwise.
        Map<String, Integer> rowOfPhone = new LinkedHashMap<>();
        Map<Integer, ImportRow> valid = new LinkedHashMap<>();
        Map<Integer, ImportRows.Record> byRow = new HashMap<>();
        for (Checked checked : batch) {
            ImportRows.Record record = checked.record();
            byRow.put(record.number(), record);
            if (checked.row() == null) {
                results.put(record.number(), Result.FAILED);
                reports.addAll(checked.refused());
                continue;
            }
            ImportRow row = checked.row();
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
        }
        int duplicatesInBatch = (int) results.values().stream().filter(result -> result == Result.SKIPPED).count();
        return new Prepared(valid, results, reports, duplicatesInBatch, byRow, batch.size(), partition, through);
    }

    /** Writes a prepared batch in one transaction (retried on a deadlock). */
    private void writeBatch(ImportJob job, String owner, ImportRows rows, Prepared batch, SeenPhones seen) {
        for (int attempt = 1;; attempt++) {
            try {
                Map<String, Integer> fingerprints = commit(job, owner, batch, rows, seen);
                // Only a committed batch's phones count as written by an earlier batch (a rolled-back one is retried,
                // or written again by whoever resumes the job).
                batch.valid().forEach((row, valid) -> seen.add(valid.phone(), row));
                fingerprints.forEach(seen::wrote);
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

    /**
     * Writes a batch and its partition's position in one transaction. The job's row is locked last, by the update of
     * its counts (which also checks that this owner still runs the job): the partitions' transactions wait for each
     * other only for that update and the commit, and a cancel or a takeover committed meanwhile rolls the batch back.
     * Answers, for a dry run with on_duplicate=update, the fingerprint of each phone's row as if written (else none).
     */
    private Map<String, Integer> commit(ImportJob job, String owner, Prepared batch, ImportRows rows, SeenPhones seen) {
        OnDuplicate onDuplicate = OnDuplicate.parse(job.onDuplicate());
        Map<Integer, ImportRow> valid = batch.valid();
        Map<Integer, ImportRows.Record> byRow = batch.byRow();
        int rowCount = batch.rowCount();
        Map<Integer, Result> results = new HashMap<>(batch.results());
        List<Report> reports = new ArrayList<>(batch.reports());
        int[] duplicates = { batch.duplicatesInBatch() };
        // Without waiting for the commit's WAL flush: a database crash can lose only whole batches, their positions
        // with them (one transaction), and a resumed job writes those again; the flush of the next batch, or the
        // WAL writer within a fraction of a second, makes them durable.
        String pendingList = pendingListSettings();
        // Rows whose phone an earlier batch of this file wrote (row to that batch's row).
        Map<Integer, Integer> earlier = new LinkedHashMap<>();
        valid.forEach((row, importRow) -> {
            int firstRow = seen.firstRow(importRow.phone());
            if (firstRow != 0) {
                earlier.put(row, firstRow);
            }
        });
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
        // A dry run rolls every batch back, so a later batch finds no trace of an earlier one's rows in the database: a
        // row repeating such a phone would count as created. What it would do is decided here instead: unchanged when
        // it writes exactly what the phone's last row wrote, updated otherwise.
        boolean dryUpdate = job.dryRun() && onDuplicate == OnDuplicate.UPDATE;
        Map<String, Integer> fingerprints = new HashMap<>();
        pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = off" + pendingList).execute()
                .flatMap(set -> {
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
                        Result result = outcome.result();
                        if (dryUpdate && (result == Result.CREATED || result == Result.UPDATED || result == Result.UNCHANGED)) {
                            ImportRow row = toWrite.get(outcome.index());
                            int fingerprint = row.fingerprint();
                            Integer before = seen.fingerprint(row.phone());
                            if (before != null) {
                                result = before == fingerprint ? Result.UNCHANGED : Result.UPDATED;
                            }
                            fingerprints.put(row.phone(), fingerprint);
                        }
                        results.put(outcome.index(), result);
                        if (outcome.errors() != null) {
                            outcome.errors().forEach((field, reason) -> reports.add(new Report(outcome.index(),
                                    rows.columnOf(field), reason, byRow.get(outcome.index()).cells())));
                        }
                    }
                    return insertReports(tx, job.id(), reports);
                })
                // The batch's trigram entries, collected in the indexes' pending lists under the raised limit, are
                // merged now, before the job's row is locked: the lists are empty again when the batch commits.
                .flatMap(done -> pendingList.isEmpty() ? Uni.createFrom().voidItem() : flushPendingLists(tx))
                .flatMap(done -> {
                    int[] counts = new int[Result.values().length];
                    results.values().forEach(result -> counts[result.ordinal()]++);
                    return tx.preparedQuery("""
                            UPDATE import_jobs SET committed_rows = committed_rows + $3, created = created + $4, updated = updated + $5,
                                unchanged = unchanged + $6, skipped = skipped + $7, failed = failed + $8,
                                duplicates_in_file = duplicates_in_file + $9, lease_until = now() + $10 * interval '1 millisecond',
                                partition_rows[$11] = $12, attempts = 0
                            WHERE id = $1 AND lease_owner = $2 AND status = 'running'""")
                            .execute(Tuple.from(new Object[] { job.id(), owner, rowCount, counts[Result.CREATED.ordinal()],
                                    counts[Result.UPDATED.ordinal()], counts[Result.UNCHANGED.ordinal()],
                                    counts[Result.SKIPPED.ordinal()], counts[Result.FAILED.ordinal()], duplicates[0],
                                    config.lease().toMillis(), batch.partition() + 1, batch.through() }))
                            .map(updated -> {
                                if (updated.rowCount() == 0) {
                                    throw new ClaimLost();
                                }
                                return updated;
                            });
                }))
                .await().atMost(TIMEOUT);
        if (results.size() != rowCount) {
            throw new IllegalStateException("batch accounted for " + results.size() + " of " + rowCount + " rows");
        }
        if (job.dryRun()) {
            return fingerprints;
        }
        metrics.contactsImported((int) results.values().stream().filter(result -> result == Result.CREATED).count(),
                (int) results.values().stream().filter(result -> result == Result.UPDATED).count());
        return Map.of();
    }

    /** The trigram indexes whose pending lists an import batch fills under its own limit and then merges. */
    private static final String FLUSH = """
            SELECT gin_clean_pending_list('contacts_search_trgm'::regclass), gin_clean_pending_list('contacts_phone_trgm'::regclass)""";
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("[1-9][0-9]{0,8}(kB|MB)?");

    /** Whether this role may merge the indexes' pending lists (it owns them); null until first asked. */
    private volatile Boolean mayFlush;

    /**
     * The SET LOCAL that raises the pending-list limit of an import batch (appended to the batch's first statement),
     * or empty: when the limit is off, or when this role may not run gin_clean_pending_list (which needs the
     * indexes' owner, like VACUUM), because a list left large would be merged by the next API write instead.
     */
    private String pendingListSettings() {
        String limit = config.ginPendingListLimit().trim();
        if (limit.equalsIgnoreCase("off")) {
            return "";
        }
        if (!SIZE.matcher(limit).matches()) {
            throw new IllegalStateException("contacts.imports.gin-pending-list-limit must be a size such as 4MB or 512kB, or off");
        }
        Boolean allowed = mayFlush;
        if (allowed == null) {
            allowed = pool.query("""
                    SELECT coalesce(bool_and(pg_has_role(current_user, relowner, 'USAGE')), false) AS owner FROM pg_class
                    WHERE oid IN ('contacts_search_trgm'::regclass, 'contacts_phone_trgm'::regclass)""")
                    .execute().map(rows -> rows.iterator().next().getBoolean("owner")).await().atMost(TIMEOUT);
            if (!allowed) {
                LOG.warn("Imports write trigram index entries with the connection's gin_pending_list_limit: the database role "
                        + "does not own the contact indexes, so it may not merge their pending lists after each batch");
            }
            mayFlush = allowed;
        }
        return allowed ? "; SET LOCAL gin_pending_list_limit = '" + limit + "'" : "";
    }

    private static Uni<Void> flushPendingLists(SqlConnection tx) {
        return tx.query(FLUSH).execute().replaceWithVoid();
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
            columns[i] = replaceNul(truncate(report.column(), 255));
            reasons[i] = replaceNul(truncate(report.reason(), 1000));
            originals[i] = replaceNul(ImportReport.line(report.original()));
        }
        return tx.preparedQuery("""
                INSERT INTO import_job_errors (job_id, row_number, column_name, reason, original)
                SELECT $1, * FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, rowNumbers, columns, reasons, originals)).replaceWithVoid();
    }

    /**
     * The report keeps a row's cells as they came, but PostgreSQL text cannot hold a NUL: one in a refused row
     * (the reason it was refused) would fail the batch's transaction on every retry and leave the job running
     * for ever. It is kept as U+FFFD, the replacement character.
     */
    static String replaceNul(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
