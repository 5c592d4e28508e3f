package dev.awal.contacts.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.events.EventsConfig;
import dev.awal.contacts.persistence.RetentionPurge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The attempt log of an endpoint, resending a delivery now, pings, and the retention purge of both. */
@ApplicationScoped
public class WebhookAttempts {

    private static final Logger LOG = Logger.getLogger(WebhookAttempts.class);
    private static final ApiException BAD_CURSOR = new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter after",
            Map.of("after", "is not a cursor issued by this log; start again without it"));
    private static final ApiException BAD_LIMIT = new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter limit",
            Map.of("limit", "must be an integer from 1 to 100"));

    /** One chunk of at most $1 attempts older than $2, oldest first (webhook_attempts_age). */
    private static final String PURGE_ATTEMPTS = """
            DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted_at < $2
              ORDER BY attempted_at LIMIT $1)""";
    /** One chunk of at most $1 deliveries, in any state, created before $2, oldest first (webhook_deliveries_age, V29). */
    private static final String PURGE_DELIVERIES = """
            DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < $2
              ORDER BY created_at LIMIT $1)""";

    private final Pool pool;
    private final RetentionPurge purges;
    private final WebhookSender sender;
    private final WebhookClock clock;
    private final DeliveryOutcomes outcomes;
    private final WebhookDispatcher dispatcher;
    private final EventsConfig events;

    WebhookAttempts(Pool pool, WebhookSender sender, WebhookClock clock, DeliveryOutcomes outcomes, WebhookDispatcher dispatcher,
            EventsConfig events, RetentionPurge purges) {
        this.pool = pool;
        this.purges = purges;
        this.sender = sender;
        this.clock = clock;
        this.outcomes = outcomes;
        this.dispatcher = dispatcher;
        this.events = events;
    }

    record Page(List<AttemptView> attempts, String next, int limit) {
    }

    /** Newest first, keyset-paged by attempt id; 404 when the endpoint is not the workspace's. */
    Uni<Page> list(String workspace, long webhookId, String after, String limitText) {
        int limit = parseLimit(limitText);
        long before = after == null ? Long.MAX_VALUE : decode(after);
        return pool.preparedQuery("""
                SELECT a.id, a.delivery_id, a.event_id, a.type, a.attempt, a.attempted_at, a.duration_ms, a.status_code, a.error
                FROM webhooks w LEFT JOIN LATERAL (SELECT * FROM webhook_attempts a WHERE a.webhook_id = w.id AND a.id < $3
                  ORDER BY a.id DESC LIMIT $4) a ON true
                WHERE w.workspace = $1 AND w.id = $2 ORDER BY a.id DESC""")
                .execute(Tuple.of(workspace, webhookId, before, limit + 1))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ApiException.notFound("Webhook");
                    }
                    List<AttemptView> attempts = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getLong("id") != null && attempts.size() < limit) {
                            attempts.add(AttemptView.of(row));
                        }
                    }
                    boolean more = rows.rowCount() > limit;
                    return new Page(attempts, more ? encode(attempts.get(attempts.size() - 1).id()) : null, limit);
                });
    }

    /**
     * Makes one delivery of the endpoint due now and starts the dispatcher: resent at once, with the same event id.
     * A delivery that had failed for good gets this one more attempt; one being sent right now is left to that.
     */
    Uni<Void> retry(String workspace, long webhookId, long deliveryId) {
        // Decided on the delivery's row as locked, in one statement: a sender's outcome committing meanwhile is seen
        // (the lock waits for it), so a delivery that was in flight a moment ago is not taken for a missing one.
        return pool.preparedQuery("""
                WITH d AS (SELECT d.id, w.status, d.lease_until FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                           WHERE w.workspace = $1 AND w.id = $2 AND d.id = $3 FOR UPDATE OF d),
                resent AS (UPDATE webhook_deliveries x SET state = 'pending', next_attempt_at = $4, lease_until = NULL
                           FROM d WHERE x.id = d.id AND d.status = 'active' AND (d.lease_until IS NULL OR d.lease_until < $4)
                           RETURNING x.id)
                SELECT (SELECT count(*) FROM resent) > 0 AS resent, d.status FROM d""")
                .execute(Tuple.of(workspace, webhookId, deliveryId, DeliveryOutcomes.at(clock.now())))
                .flatMap(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    if (row == null) {
                        // No such delivery of this endpoint here: say which is missing.
                        return pool.preparedQuery("SELECT 1 FROM webhooks WHERE workspace = $1 AND id = $2")
                                .execute(Tuple.of(workspace, webhookId)).map(found -> {
                                    throw found.iterator().hasNext() ? ApiException.notFound("Delivery") : ApiException.notFound("Webhook");
                                });
                    }
                    if (!row.getBoolean("resent") && !"active".equals(row.getString("status"))) {
                        throw ApiException.invalid(Map.of("status",
                                "the webhook is " + row.getString("status") + "; deliveries go to active endpoints only"));
                    }
                    return Uni.createFrom().voidItem(); // resent, or being sent right now
                })
                .invoke(dispatcher::pump).replaceWithVoid();
    }

    /** Sends a ping to this endpoint only, whatever its status, and answers the attempt (also logged). */
    Uni<AttemptView> ping(String workspace, long webhookId) {
        return pool.preparedQuery("SELECT url, secret, CASE WHEN previous_secret_until > $3 THEN previous_secret END AS previous"
                + " FROM webhooks WHERE workspace = $1 AND id = $2")
                .execute(Tuple.of(workspace, webhookId, DeliveryOutcomes.at(clock.now())))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ApiException.notFound("Webhook");
                    }
                    Row row = rows.iterator().next();
                    Instant start = clock.now();
                    String messageId = "ping_" + Signatures.challenge().substring(0, 16);
                    String body = "{\"id\":\"" + messageId + "\",\"type\":\"ping\",\"workspace\":" + io.vertx.core.json.Json.encode(workspace)
                            + ",\"created_at\":\"" + start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"data\":{\"webhook_id\":"
                            + webhookId + "}}";
                    long started = System.nanoTime();
                    return sender.post(row.getString("url"), Signatures.headers(row.getString("secret"), row.getString("previous"),
                            messageId, start.getEpochSecond(), body), body)
                            .onItemOrFailure().transformToUni((answer, failure) -> {
                                Integer status = answer == null ? null : answer.status();
                                String error = failure != null ? WebhookSender.describe(failure)
                                        : status >= 200 && status < 300 ? null : "answered " + status;
                                var attempt = new DeliveryOutcomes.Attempt(webhookId, null, null, "ping", 1, start,
                                        (System.nanoTime() - started) / 1_000_000, status, error);
                                return outcomes.logged(attempt).onItem().ifNull().failWith(() -> ApiException.notFound("Webhook"));
                            });
                });
    }

    @Scheduled(every = "${contacts.events.purge-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeOnSchedule() {
        return purge().invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("Deleted %d webhook attempts and deliveries past the retention", deleted);
            }
        }).onFailure().invoke(e -> LOG.warnf("Purging the webhook log failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Deletes attempts and deliveries older than the event retention (contacts.events.retention), in chunks (see
     * {@link RetentionPurge}); answers how many rows went. Pending deliveries go too: one queued that long ago
     * belongs to an endpoint that was disabled (or a dispatcher that was down) for about the retention, its event is
     * gone or about to go, and nothing else would ever remove it.
     */
    public Uni<Long> purge() {
        var cutoff = DeliveryOutcomes.at(clock.now().minus(events.retention()));
        return purges.inChunks("webhook-attempts", PURGE_ATTEMPTS, cutoff)
                .flatMap(attempts -> purges.inChunks("webhook-deliveries", PURGE_DELIVERIES, cutoff).map(deliveries -> attempts + deliveries));
    }

    private static int parseLimit(String text) {
        if (text == null) {
            return 50;
        }
        if (!text.matches("\\d{1,3}")) {
            throw BAD_LIMIT;
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > 100) {
            throw BAD_LIMIT;
        }
        return limit;
    }

    private static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("at\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String cursor) {
        if (cursor.length() > 64) {
            throw BAD_CURSOR;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 2 || !parts[0].equals("at") || !parts[1].matches("\\d{1,18}")) {
                throw BAD_CURSOR;
            }
            return Long.parseLong(parts[1]);
        } catch (IllegalArgumentException e) {
            throw BAD_CURSOR;
        }
    }
}
