package dev.awal.contacts.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.persistence.RetentionPurge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads a workspace's events in feed order, and deletes events past the retention. */
@ApplicationScoped
public class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern TYPE_FILTER = Pattern.compile("[a-z_*]+(\\.[a-z_*]+)*");

    /**
     * How much earlier than the event before it in feed order an event may be dated: {@code created_at} is its
     * transaction's start, the feed order its transaction id, taken at the first write. Bounded by the longest
     * transaction that writes events (statements time out after 30 s; an hour is a wide margin).
     */
    static final Duration TRANSACTION_SPREAD = Duration.ofHours(1);
    /**
     * How many events a filtered page reads at most per event it may return (up to {@link #MAX_WINDOW}): the
     * position moves past the events the filter drops, so a poll never reads them again.
     */
    static final int FILTER_WINDOW_FACTOR = 10;
    static final int MAX_WINDOW = 10_000;

    /**
     * Up to $5 events after the position in feed order, each with whether it passes the type filter (the data of
     * those that do not is not read), behind one row holding the database's clock (the retention rules use the
     * database's time, as the purge does, never a replica's). Only events of transactions older than every
     * transaction still running: see V10. A page ends before the first event whose transaction may still be
     * followed by another event of an earlier id. $6: for a read from the start, events older than this many
     * seconds are not served (they are past the retention and about to be purged). ORDER BY names the table's
     * columns (e.txid): a bare txid would be the output column of that name, the int8 cast, which no index is
     * ordered by, so every event after the cursor was read and sorted for one page (470 ms for a page of 101
     * with 8,000 events after the cursor; 6.5 ms in index order).
     */
    static final String PAGE = """
            SELECT extract(epoch FROM now())::int8 AS now, p.* FROM (SELECT 1) clock LEFT JOIN (
              SELECT e.id, e.type, e.workspace, e.created_at, e.txid::text::int8 AS txid,
                ($4::text[] IS NULL OR e.type LIKE ANY ($4::text[])) AS matched,
                CASE WHEN $4::text[] IS NULL OR e.type LIKE ANY ($4::text[]) THEN e.data::text END AS data
              FROM events e
              WHERE e.workspace = $1 AND (e.txid, e.id) > ($2::text::xid8, $3)
                AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
                AND ($6::int8 IS NULL OR e.created_at >= now() - make_interval(secs => $6))
              ORDER BY e.txid, e.id
              LIMIT $5) p ON true
            ORDER BY p.txid, p.id
            """;
    /**
     * Deletes events older than the retention plus twice {@link #TRANSACTION_SPREAD}, by the database's clock: a
     * cursor is refused (410) only once it is older than the retention plus one spread, so every event after a
     * cursor still accepted is kept, and a reader that started at the oldest served event (within the retention)
     * has an hour before its cursor could be refused. One chunk of at most $1 events, oldest first through
     * events_created (see {@link RetentionPurge}).
     */
    private static final String PURGE = """
            DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < now() - make_interval(secs => $2)
              ORDER BY created_at LIMIT $1)""";

    private final Pool pool;
    private final EventsConfig config;
    private final RetentionPurge purges;

    EventFeed(Pool pool, EventsConfig config, RetentionPurge purges) {
        this.pool = pool;
        this.config = config;
        this.purges = purges;
    }

    record Page(List<EventView> events, FeedCursor next, boolean hasMore, int limit) {
    }

    /** Thrown for a cursor older than the retention (plus {@link #TRANSACTION_SPREAD}): events after it may be gone. */
    static final class Gone extends RuntimeException {
        Gone() {
            super("cursor older than the retention", null, false, false);
        }
    }

    Uni<Page> read(String workspace, String after, String types, String limitParam) {
        FeedCursor cursor = FeedCursor.decode(after);
        int limit = limit(limitParam);
        String[] patterns = patterns(types);
        boolean fromStart = cursor == FeedCursor.START;
        int window = patterns == null ? limit : Math.min(MAX_WINDOW, Math.max(limit, limit * FILTER_WINDOW_FACTOR));
        Long servedAge = fromStart ? config.retention().toSeconds() : null;
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(workspace, Long.toString(cursor.txid()), cursor.id(), patterns, window + 1, servedAge))
                .map(rows -> {
                    List<EventView> events = new ArrayList<>();
                    long now = 0;
                    long txid = cursor.txid();
                    long id = cursor.id();
                    Instant positionCreated = null;
                    boolean more = false;
                    int read = 0;
                    for (Row row : rows) {
                        now = row.getLong("now");
                        if (row.getLong("id") == null) {
                            continue; // the clock row of an empty page
                        }
                        boolean matched = row.getBoolean("matched");
                        if (read == window || matched && events.size() == limit) {
                            more = true;
                            break;
                        }
                        read++;
                        positionCreated = row.getOffsetDateTime("created_at").toInstant();
                        if (matched) {
                            events.add(new EventView(row.getLong("id"), row.getString("type"), row.getString("workspace"),
                                    positionCreated, row.getString("data")));
                        }
                        txid = row.getLong("txid");
                        id = row.getLong("id");
                    }
                    if (!fromStart && cursor.stamp() < now - config.retention().plus(TRANSACTION_SPREAD).toSeconds()) {
                        throw new Gone();
                    }
                    // The stamp says from when on the feed after the position is known complete: with more to read,
                    // from the last event read on (or the cursor's own stamp, if later: the events after the new
                    // position are among those after the old one); without, nothing visible follows it now.
                    long stamp = more ? positionCreated.getEpochSecond() : now;
                    if (!fromStart) {
                        // Never past the database's clock, whatever a (forged) cursor said.
                        stamp = Math.min(Math.max(stamp, cursor.stamp()), now);
                    }
                    return new Page(events, new FeedCursor(txid, id, stamp), more, limit);
                });
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw QueryParams.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    /** {@code contact.*,branch.deleted} as LIKE patterns; null for no filter. */
    private static String[] patterns(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String[] filters = raw.split(",", -1);
        if (filters.length > 20) {
            throw QueryParams.invalid("types", "may list at most 20 filters");
        }
        String[] patterns = new String[filters.length];
        for (int i = 0; i < filters.length; i++) {
            String filter = filters[i].strip();
            if (filter.length() > 64 || !TYPE_FILTER.matcher(filter).matches()) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter types",
                        Map.of("types", "must be comma-separated event types such as contact.created, with * as a wildcard"));
            }
            // '_' is a LIKE wildcard: escape it (backslash is LIKE's default escape); '*' matches anything.
            patterns[i] = filter.replace("_", "\\_").replace("*", "%");
        }
        return patterns;
    }

    @Scheduled(every = "${contacts.events.purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeOnSchedule() {
        return purge().invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("Deleted %d events past the retention", deleted);
            }
        }).onFailure().invoke(e -> LOG.warnf("Purging old events failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes the events past the retention (see {@link #PURGE}), in chunks; answers how many. */
    public Uni<Long> purge() {
        return purges.inChunks("events", PURGE, config.retention().plus(TRANSACTION_SPREAD.multipliedBy(2)).toSeconds());
    }
}
