package dev.awal.contacts.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.QueryParams;
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
     * Only events of transactions older than every transaction still running: see V10. A page ends
     * before the first event whose transaction may still be followed by another event of an earlier id.
     * ORDER BY names the table's columns (events.txid): a bare txid would be the output column of that
     * name, the int8 cast, which no index is ordered by, so every event after the cursor was read and
     * sorted for one page (470 ms for a page of 101 with 8,000 events after the cursor; 6.5 ms in index order).
     */
    static final String PAGE = """
            SELECT id, type, workspace, created_at, data::text AS data, txid::text::int8 AS txid FROM events
            WHERE workspace = $1 AND (txid, id) > ($2::text::xid8, $3)
              AND txid < pg_snapshot_xmin(pg_current_snapshot())
              AND ($4::text[] IS NULL OR type LIKE ANY ($4::text[]))
            ORDER BY events.txid, events.id
            LIMIT $5
            """;
    private static final String PURGE = "DELETE FROM events WHERE created_at < $1";

    private final Pool pool;
    private final EventsConfig config;

    EventFeed(Pool pool, EventsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    record Page(List<EventView> events, FeedCursor next, boolean hasMore, int limit) {
    }

    /** Thrown for a cursor older than the retention: the events after it may be gone. */
    static final class Gone extends RuntimeException {
        Gone() {
            super("cursor older than the retention", null, false, false);
        }
    }

    Uni<Page> read(String workspace, String after, String types, String limitParam) {
        FeedCursor cursor = FeedCursor.decode(after);
        int limit = limit(limitParam);
        String[] patterns = patterns(types);
        Instant now = Instant.now();
        if (cursor != FeedCursor.START && cursor.stamp() < now.minus(config.retention()).getEpochSecond()) {
            return Uni.createFrom().failure(new Gone());
        }
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(workspace, Long.toString(cursor.txid()), cursor.id(), patterns, limit + 1))
                .map(rows -> {
                    List<EventView> events = new ArrayList<>();
                    long txid = cursor.txid();
                    long id = cursor.id();
                    Instant lastCreated = null;
                    boolean more = false;
                    for (Row row : rows) {
                        if (events.size() == limit) {
                            more = true;
                            break;
                        }
                        lastCreated = row.getOffsetDateTime("created_at").toInstant();
                        events.add(new EventView(row.getLong("id"), row.getString("type"), row.getString("workspace"),
                                lastCreated, row.getString("data")));
                        txid = row.getLong("txid");
                        id = row.getLong("id");
                    }
                    // With more to read, the feed after the position is only known complete up to the last event
                    // served; without, nothing visible follows it now.
                    long stamp = more ? lastCreated.getEpochSecond() : now.getEpochSecond();
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

    /** Deletes the events older than the retention, in one statement; answers how many. */
    public Uni<Integer> purge() {
        return pool.preparedQuery(PURGE)
                .execute(Tuple.of(Instant.now().minus(config.retention()).atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
