package dev.awal.contacts.imports;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** contacts.imports.*: limits and pacing of import jobs. */
@ConfigMapping(prefix = "contacts.imports")
public interface ImportConfig {

    /**
     * Largest file. Enforced by the signature check, which refuses a longer body with 413 while it streams
     * (security.BodyLimits reads this key); declared here because this mapping owns the contacts.imports keys.
     */
    @WithDefault("209715200")
    long maxBytes();

    /** Most data rows in one file (413 beyond). */
    @WithDefault("1000000")
    int maxRows();

    /** A row whose cells hold more characters than this fails alone; a single longer cell makes the file unreadable. */
    @WithDefault("65536")
    int maxRowChars();

    @WithDefault("1")
    int maxRunningPerWorkspace();

    /** How long a finished job and its error report are kept. */
    @WithDefault("7D")
    Duration retention();

    /**
     * Connections that write one job at once, each its own partition of the file's phones (a job keeps the number
     * it was first claimed with). The rest of the pool stays free for the API.
     */
    @WithDefault("2")
    int writers();

    /**
     * gin_pending_list_limit of an import batch's own transaction (SET LOCAL; a size such as 4MB or 512kB), so
     * that the batch's trigram index entries are merged at once at its end (gin_clean_pending_list) instead of
     * every 64 kB as the API's connections do; {@code off} leaves the connection's setting. Needs a database role
     * that owns the contact indexes (as the one that migrates them does); another role imports with the
     * connection's setting.
     */
    @WithDefault("4MB")
    String ginPendingListLimit();

    /**
     * After each batch a writer pauses for this fraction of the time the batch took (0: none): the import's share of
     * the database's and the machine's cores falls to 1 / (1 + ratio) per writer, so requests served meanwhile wait
     * less for a core, and the import takes longer by about that factor. See README "Performance" for measured pairs.
     */
    @WithDefault("0")
    double pauseRatio();

    /** Rows per transaction. */
    @WithDefault("1000")
    int batchSize();

    /**
     * Claims in a row that may end without committing a batch before the job fails (naming where it stopped). A claim
     * that commits one starts the count again, and a replica that hands a job back at shutdown does not count; so a
     * job that dies of the same error at every try (one no retry cures) ends instead of holding its workspace's
     * import slot for ever, while one interrupted by crashes that it survives goes on.
     */
    @WithDefault("5")
    int maxAttempts();

    /** A claim not renewed for this long (a worker that died) is taken over by any replica. */
    @WithDefault("60S")
    Duration lease();

    /** How often each replica looks for a job to claim (the scheduler's `every`; `off` disables the worker). */
    @WithDefault("2s")
    String pollInterval();

    /** How long after start-up the first look happens. */
    @WithDefault("5s")
    String pollDelay();
}
