package dev.awal.contacts.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves events from the outbox to the endpoints, shared by every replica through PostgreSQL:
 * queueing takes each active endpoint's row with FOR UPDATE SKIP LOCKED, and sending claims due
 * deliveries with FOR UPDATE SKIP LOCKED plus a lease, so each delivery is sent by one replica at a
 * time and one whose sender died is sent again once the lease runs out (at least once).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 50;
    static final Duration LEASE = Duration.ofSeconds(60);

    /**
     * Per active endpoint, the next events of its workspace in feed order (only transactions older than
     * every running one, as the feed), a delivery for each matching its filters, and the new position.
     */
    private static final String QUEUE = """
            WITH due AS (
              SELECT id, workspace, events, feed_txid, feed_id FROM webhooks WHERE status = 'active' FOR UPDATE SKIP LOCKED
            ), batch AS (
              SELECT d.id AS webhook_id, d.events AS filters, e.id AS event_id, e.type, e.txid
              FROM due d CROSS JOIN LATERAL (
                SELECT id, type, txid FROM events e
                WHERE e.workspace = d.workspace AND (e.txid, e.id) > (d.feed_txid, d.feed_id)
                  AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY e.txid, e.id LIMIT 500) e
            ), queued AS (
              INSERT INTO webhook_deliveries (webhook_id, event_id)
              SELECT webhook_id, event_id FROM batch
              WHERE type LIKE ANY (SELECT replace(replace(f, '_', '\\_'), '*', '%') FROM unnest(filters) f)
              ORDER BY webhook_id, txid, event_id
              ON CONFLICT DO NOTHING
            ), last AS (
              SELECT DISTINCT ON (webhook_id) webhook_id, txid, event_id FROM batch ORDER BY webhook_id, txid DESC, event_id DESC
            )
            UPDATE webhooks w SET feed_txid = last.txid, feed_id = last.event_id FROM last WHERE w.id = last.webhook_id
            """;

    private static final String CLAIM = """
            WITH claimed AS (
              UPDATE webhook_deliveries d SET lease_until = now() + $1::int8 * interval '1 second', attempts = d.attempts + 1
              WHERE d.id IN (
                SELECT x.id FROM webhook_deliveries x JOIN webhooks w ON w.id = x.webhook_id AND w.status = 'active'
                WHERE x.state = 'pending' AND x.next_attempt_at <= now() AND (x.lease_until IS NULL OR x.lease_until < now())
                ORDER BY x.next_attempt_at, x.id LIMIT $2 FOR UPDATE OF x SKIP LOCKED)
              RETURNING d.id, d.webhook_id, d.event_id, d.attempts)
            SELECT c.id, c.webhook_id, c.event_id, c.attempts, w.url, w.secret, e.type, e.workspace, e.created_at, e.data::text AS data
            FROM claimed c JOIN webhooks w ON w.id = c.webhook_id LEFT JOIN events e ON e.id = c.event_id
            """;

    private final Pool pool;
    private final WebhookSender sender;
    private final WebhooksConfig config;

    WebhookDispatcher(Pool pool, WebhookSender sender, WebhooksConfig config) {
        this.pool = pool;
        this.sender = sender;
        this.config = config;
    }

    /** Both signatures: Standard Webhooks headers and AwalChat's X-Awal-Signature-256 with X-Timestamp. */
    static Map<String, String> headers(String secret, String messageId, long timestamp, String body) {
        return Map.of("webhook-id", messageId, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", Signatures.standard(secret, messageId, timestamp, body),
                "X-Awal-Signature-256", Signatures.awal(secret, timestamp, body), "X-Timestamp", Long.toString(timestamp));
    }

    @Scheduled(every = "${contacts.webhooks.poll-interval:2s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> runOnSchedule() {
        return runOnce().onFailure().invoke(e -> LOG.warnf("Webhook dispatch failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Queues new events, then sends one batch of due deliveries; answers how many were sent. */
    public Uni<Integer> runOnce() {
        return pool.query(QUEUE).execute()
                .flatMap(queued -> pool.preparedQuery(CLAIM).execute(Tuple.of(LEASE.toSeconds(), BATCH)))
                .flatMap(rows -> {
                    List<Row> claimed = new java.util.ArrayList<>();
                    rows.forEach(claimed::add);
                    return Multi.createFrom().iterable(claimed)
                            .onItem().transformToUniAndMerge(this::deliver)
                            .collect().asList().map(List::size);
                });
    }

    private Uni<Void> deliver(Row row) {
        long deliveryId = row.getLong("id");
        String type = row.getString("type");
        if (type == null) {
            // The event was purged before it could be sent.
            return finish(deliveryId, "failed", null, "event past the retention", null);
        }
        String body = "{\"id\":" + row.getLong("event_id") + ",\"type\":\"" + type + "\",\"workspace\":"
                + io.vertx.core.json.Json.encode(row.getString("workspace")) + ",\"created_at\":\""
                + row.getOffsetDateTime("created_at").toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"data\":" + row.getString("data") + "}";
        // The event id is the message id: the same on every attempt, so receivers deduplicate by it.
        String messageId = "evt_" + row.getLong("event_id");
        long timestamp = Instant.now().getEpochSecond();
        int attempts = row.getInteger("attempts");
        long webhookId = row.getLong("webhook_id");
        return sender.post(row.getString("url"), headers(row.getString("secret"), messageId, timestamp, body), body)
                .flatMap(answer -> {
                    if (answer.status() >= 200 && answer.status() < 300) {
                        return finish(deliveryId, "delivered", answer.status(), null, null);
                    }
                    if (answer.status() == 410) {
                        return finish(deliveryId, "failed", 410, "the endpoint answered 410 Gone", null)
                                .call(() -> pool.preparedQuery("UPDATE webhooks SET status = 'disabled',"
                                        + " disabled_reason = 'The endpoint answered 410 Gone', updated_at = now() WHERE id = $1")
                                        .execute(Tuple.of(webhookId)));
                    }
                    return retry(deliveryId, attempts, answer.status(), "answered " + answer.status(), retryAfter(answer));
                })
                .onFailure().recoverWithUni(e -> retry(deliveryId, attempts, null, message(e), null));
    }

    private static Duration retryAfter(WebhookSender.Answer answer) {
        if ((answer.status() == 429 || answer.status() == 503) && answer.retryAfter() != null) {
            try {
                return Duration.ofSeconds(Math.min(Long.parseLong(answer.retryAfter().strip()), 86_400));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private Uni<Void> retry(long deliveryId, int attempts, Integer status, String error, Duration requested) {
        List<Duration> schedule = config.retrySchedule();
        if (attempts > schedule.size()) {
            return finish(deliveryId, "failed", status, error, null);
        }
        Duration wait = schedule.get(attempts - 1);
        if (requested != null && requested.compareTo(wait) > 0) {
            wait = requested;
        }
        // Jitter up to 10% keeps endpoints that failed together from being retried in lockstep.
        long jitter = (long) (wait.toMillis() * 0.1 * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        return finish(deliveryId, "pending", status, error, wait.plusMillis(jitter));
    }

    private Uni<Void> finish(long deliveryId, String state, Integer status, String error, Duration retryIn) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET state = $2, last_status = $3, last_error = $4, lease_until = NULL,"
                + " next_attempt_at = CASE WHEN $5::int8 IS NULL THEN next_attempt_at ELSE now() + $5::int8 * interval '1 millisecond' END"
                + " WHERE id = $1")
                .execute(Tuple.tuple().addLong(deliveryId).addString(state).addInteger(status)
                        .addString(error == null ? null : error.substring(0, Math.min(error.length(), 500)))
                        .addLong(retryIn == null ? null : retryIn.toMillis()))
                .replaceWithVoid();
    }

    private static String message(Throwable e) {
        return e instanceof WebhookSender.Refused refused ? refused.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
