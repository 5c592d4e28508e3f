package dev.awal.contacts.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>
 * A slow or dead endpoint never holds up the others: the claim takes at most
 * contacts.webhooks.concurrency-per-endpoint deliveries per endpoint, minus those in flight (leased) on any
 * replica; an endpoint that is failing gets one at a time, and after contacts.webhooks.circuit-threshold
 * failures in a row none until its circuit closes again. Deliveries are not awaited by the loop: each
 * finished one starts the next claim, so throughput follows the receivers, not the poll interval.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 100;
    /** Deliveries in flight from this replica at most; memory per delivery is bounded (4 KB answers). */
    static final int MAX_IN_FLIGHT = 256;
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
              INSERT INTO webhook_deliveries (webhook_id, event_id, next_attempt_at)
              SELECT webhook_id, event_id, $1 FROM batch
              WHERE type LIKE ANY (SELECT replace(replace(f, '_', '\\_'), '*', '%') FROM unnest(filters) f)
              ORDER BY webhook_id, txid, event_id
              ON CONFLICT DO NOTHING
            ), last AS (
              SELECT DISTINCT ON (webhook_id) webhook_id, txid, event_id FROM batch ORDER BY webhook_id, txid DESC, event_id DESC
            )
            UPDATE webhooks w SET feed_txid = last.txid, feed_id = last.event_id FROM last WHERE w.id = last.webhook_id
            """;

    /** $1 the clock, $2 the lease in seconds, $3 how many, $4 the per-endpoint concurrency. */
    private static final String CLAIM = """
            WITH claimed AS (
              UPDATE webhook_deliveries d SET lease_until = $1 + $2::int8 * interval '1 second', attempts = d.attempts + 1
              WHERE d.id IN (
                SELECT x.id FROM webhooks w CROSS JOIN LATERAL (
                  SELECT x.id, x.next_attempt_at FROM webhook_deliveries x
                  WHERE x.webhook_id = w.id AND x.state = 'pending' AND x.next_attempt_at <= $1
                    AND (x.lease_until IS NULL OR x.lease_until < $1)
                  ORDER BY x.next_attempt_at, x.id
                  LIMIT greatest(0, CASE WHEN w.consecutive_failures > 0 THEN 1 ELSE $4 END - (SELECT count(*)
                    FROM webhook_deliveries f WHERE f.webhook_id = w.id AND f.state = 'pending' AND f.lease_until >= $1))
                  FOR UPDATE SKIP LOCKED) x
                WHERE w.status = 'active' AND (w.circuit_until IS NULL OR w.circuit_until <= $1)
                ORDER BY x.next_attempt_at LIMIT $3)
              RETURNING d.id, d.webhook_id, d.event_id, d.attempts)
            SELECT c.id, c.webhook_id, c.event_id, c.attempts, w.url, w.secret,
              CASE WHEN w.previous_secret_until > $1 THEN w.previous_secret END AS previous_secret,
              e.type, e.workspace, e.created_at, e.data::text AS data
            FROM claimed c JOIN webhooks w ON w.id = c.webhook_id LEFT JOIN events e ON e.id = c.event_id
            """;

    private final Pool pool;
    private final WebhookSender sender;
    private final WebhooksConfig config;
    private final WebhookClock clock;
    private final DeliveryOutcomes outcomes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    WebhookDispatcher(Pool pool, WebhookSender sender, WebhooksConfig config, WebhookClock clock, DeliveryOutcomes outcomes) {
        this.pool = pool;
        this.sender = sender;
        this.config = config;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    @Scheduled(every = "${contacts.webhooks.poll-interval:2s}", delayed = "5s")
    void runOnSchedule() {
        pump();
    }

    /**
     * Claims what is due and starts sending it without waiting; every finished delivery pumps again.
     * Calls while a claim is running are folded into one more round after it.
     */
    public void pump() {
        if (!pumping.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        int room = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.get());
        Uni<List<Row>> claimed = room <= 0 ? Uni.createFrom().item(List.of()) : queueAndClaim(room);
        claimed.subscribe().with(rows -> {
            for (Row row : rows) {
                inFlight.incrementAndGet();
                deliver(row).onTermination().invoke(() -> {
                    inFlight.decrementAndGet();
                    pump();
                }).subscribe().with(ignored -> { }, e -> LOG.warnf("Webhook delivery not recorded: %s", e.toString()));
            }
            pumping.set(false);
            if (again.get() || rows.size() == room && room > 0) {
                pump();
            }
        }, e -> {
            pumping.set(false);
            LOG.warnf("Webhook dispatch failed: %s", e.toString());
        });
    }

    /** Queues new events, then sends one batch of due deliveries and waits for them; answers how many were sent. */
    public Uni<Integer> runOnce() {
        return queueAndClaim(BATCH).flatMap(claimed -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUniAndMerge(this::deliver)
                .collect().asList().map(List::size));
    }

    private Uni<List<Row>> queueAndClaim(int limit) {
        Instant now = clock.now();
        return pool.preparedQuery(QUEUE).execute(Tuple.of(DeliveryOutcomes.at(now)))
                .flatMap(queued -> pool.preparedQuery(CLAIM).execute(Tuple.of(DeliveryOutcomes.at(now), LEASE.toSeconds(), limit,
                        config.concurrencyPerEndpoint())))
                .map(rows -> {
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    return claimed;
                });
    }

    private Uni<Void> deliver(Row row) {
        long deliveryId = row.getLong("id");
        long webhookId = row.getLong("webhook_id");
        long eventId = row.getLong("event_id");
        int attempt = row.getInteger("attempts");
        String type = row.getString("type");
        Instant start = clock.now();
        if (type == null) {
            // The event was purged before it could be sent.
            return outcomes.failed(new DeliveryOutcomes.Attempt(webhookId, deliveryId, eventId, "unknown", attempt, start, 0, null,
                    "event past the retention"), null, start);
        }
        String body = "{\"id\":" + eventId + ",\"type\":\"" + type + "\",\"workspace\":"
                + io.vertx.core.json.Json.encode(row.getString("workspace")) + ",\"created_at\":\""
                + row.getOffsetDateTime("created_at").toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"data\":" + row.getString("data") + "}";
        // The event id is the message id: the same on every attempt, so receivers deduplicate by it.
        String messageId = "evt_" + eventId;
        long started = System.nanoTime();
        return sender.post(row.getString("url"), Signatures.headers(row.getString("secret"), row.getString("previous_secret"),
                messageId, start.getEpochSecond(), body), body)
                .onItemOrFailure().transformToUni((answer, failure) -> {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    Integer status = answer == null ? null : answer.status();
                    String error = failure != null ? WebhookSender.describe(failure)
                            : status >= 200 && status < 300 ? null : "answered " + status;
                    var done = new DeliveryOutcomes.Attempt(webhookId, deliveryId, eventId, type, attempt, start, ms, status, error);
                    if (error == null) {
                        return outcomes.delivered(done);
                    }
                    Instant now = clock.now();
                    Duration retryIn = status != null && status == 410 ? null : retryIn(attempt, answer);
                    return outcomes.failed(done, retryIn, now);
                });
    }

    /** The wait before the next attempt (schedule, at least what Retry-After asks, plus jitter), or null: failed for good. */
    Duration retryIn(int attempts, WebhookSender.Answer answer) {
        List<Duration> schedule = config.retrySchedule();
        if (attempts > schedule.size()) {
            return null;
        }
        Duration wait = schedule.get(attempts - 1);
        Duration requested = answer == null ? null : answer.retryAfter(clock.now());
        if (requested != null && requested.compareTo(wait) > 0) {
            wait = requested;
        }
        // Jitter up to 10% keeps endpoints that failed together from being retried in lockstep.
        return wait.plusMillis((long) (wait.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble()));
    }
}
