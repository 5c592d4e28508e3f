package dev.awal.contacts.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
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
 * failures in a row none until its circuit closes again.
 * <p>
 * Sending is a loop of rounds, one at a time per replica, each a single statement: it records the deliveries
 * that succeeded since the last round (attempt log rows, delivered state; their leases end in the same
 * statement) and claims as many due deliveries as that freed. Deliveries are not awaited by the loop: each
 * finished one asks for another round, and the requests that arrive while a round runs fold into the next, so
 * a busy receiver costs one database round trip per round, not per delivery. Failures are recorded one by one
 * (they update the endpoint's circuit), as before.
 * <p>
 * When to look for new events: every contacts.webhooks.poll-interval (the path that sees every replica's
 * writes), and, on this replica, shortly after each write through the API has committed ({@link #written},
 * called by {@link WriteHint}), so that an idle dispatcher does not wait for its next poll. The hint is only
 * in-process and the claim in PostgreSQL stays the only coordination; a write's event may still be hidden by
 * an older transaction that has not ended (see the feed's order, V10), so the look is repeated with growing
 * waits until the feed has moved.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 100;
    /** Deliveries in flight from this replica at most; memory per delivery is bounded (4 KB answers). */
    static final int MAX_IN_FLIGHT = 256;
    static final Duration LEASE = Duration.ofSeconds(60);
    /** Events queued per endpoint and statement; a full batch queues again at once. */
    static final int QUEUE_BATCH = 500;
    /** After a write, the first look for its events; writes within it share one look. */
    static final long HINT_DELAY_MS = 20;
    /** The repeated looks after a write stop before this (or the poll interval, if shorter). */
    static final long HINT_LOOK_LIMIT_MS = 5000;

    /**
     * Per active endpoint, the next events of its workspace in feed order (only transactions older than
     * every running one, as the feed), a delivery for each matching its filters, and the new position.
     * Answers how many endpoints moved, whether one has more to queue, and whether any endpoint is active.
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
                ORDER BY e.txid, e.id LIMIT $2) e
            ), queued AS (
              INSERT INTO webhook_deliveries (webhook_id, event_id, next_attempt_at)
              SELECT webhook_id, event_id, $1 FROM batch
              WHERE type LIKE ANY (SELECT replace(replace(f, '_', '\\_'), '*', '%') FROM unnest(filters) f)
              ORDER BY webhook_id, txid, event_id
              ON CONFLICT DO NOTHING
            ), last AS (
              SELECT DISTINCT ON (webhook_id) webhook_id, txid, event_id FROM batch ORDER BY webhook_id, txid DESC, event_id DESC
            ), moved AS (
              UPDATE webhooks w SET feed_txid = last.txid, feed_id = last.event_id FROM last WHERE w.id = last.webhook_id
              RETURNING w.id
            )
            SELECT (SELECT count(*) FROM moved)::int4 AS moved,
              EXISTS (SELECT 1 FROM batch GROUP BY webhook_id HAVING count(*) >= $2) AS more,
              EXISTS (SELECT 1 FROM webhooks WHERE status = 'active') AS active
            """;

    /**
     * One round: records the successful attempts given ($5..$12, arrays of equal length: delivery, endpoint, event,
     * type, attempt number, time, duration, status), then claims due deliveries. A success is recorded only on the
     * delivery if it still has the attempt number it was claimed with (a sender whose lease ran out and whose delivery
     * was claimed again does not overwrite the newer attempt); its attempt is logged either way. The claim counts the
     * deliveries recorded here as no longer in flight (this statement ends their leases; it cannot see its own
     * changes). $1 the clock, $2 the lease in seconds, $3 how many to claim, $4 the per-endpoint concurrency.
     */
    private static final String ROUND = """
            WITH done AS (
              SELECT * FROM unnest($5::int8[], $6::int8[], $7::int8[], $8::text[], $9::int4[], $10::timestamptz[], $11::int4[],
                $12::int4[]) WITH ORDINALITY AS o(delivery_id, webhook_id, event_id, type, attempt, attempted_at, duration_ms,
                status_code, n)
            ), delivered AS (
              UPDATE webhook_deliveries d SET state = 'delivered', last_status = o.status_code, last_error = NULL, lease_until = NULL
              FROM done o WHERE d.id = o.delivery_id AND d.attempts = o.attempt
              RETURNING d.webhook_id
            ), logged AS (
              INSERT INTO webhook_attempts (webhook_id, delivery_id, event_id, type, attempt, attempted_at, duration_ms, status_code)
              SELECT o.webhook_id, o.delivery_id, o.event_id, o.type, o.attempt, o.attempted_at, o.duration_ms, o.status_code
              FROM done o WHERE EXISTS (SELECT 1 FROM webhooks w WHERE w.id = o.webhook_id) ORDER BY o.n
            ), healthy AS (
              UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL, circuit_until = NULL
              WHERE id IN (SELECT webhook_id FROM delivered) AND consecutive_failures > 0
            ), claimed AS (
              UPDATE webhook_deliveries d SET lease_until = $1 + $2::int8 * interval '1 second', attempts = d.attempts + 1
              WHERE d.id IN (
                SELECT x.id FROM webhooks w CROSS JOIN LATERAL (
                  SELECT x.id, x.next_attempt_at FROM webhook_deliveries x
                  WHERE x.webhook_id = w.id AND x.state = 'pending' AND x.next_attempt_at <= $1
                    AND (x.lease_until IS NULL OR x.lease_until < $1)
                    AND NOT EXISTS (SELECT 1 FROM done o WHERE o.delivery_id = x.id AND o.attempt = x.attempts)
                  ORDER BY x.next_attempt_at, x.id
                  LIMIT greatest(0, CASE WHEN w.consecutive_failures > 0 THEN 1 ELSE $4 END - (SELECT count(*)
                    FROM webhook_deliveries f WHERE f.webhook_id = w.id AND f.state = 'pending' AND f.lease_until >= $1
                      AND NOT EXISTS (SELECT 1 FROM done o WHERE o.delivery_id = f.id AND o.attempt = f.attempts)))
                  FOR UPDATE SKIP LOCKED) x
                WHERE w.status = 'active' AND (w.circuit_until IS NULL OR w.circuit_until <= $1)
                ORDER BY x.next_attempt_at LIMIT $3)
              RETURNING d.id, d.webhook_id, d.event_id, d.attempts)
            SELECT c.id, c.webhook_id, c.event_id, c.attempts, w.url, w.secret,
              CASE WHEN w.previous_secret_until > $1 THEN w.previous_secret END AS previous_secret,
              e.type, e.workspace, e.created_at, e.data::text AS data
            FROM claimed c JOIN webhooks w ON w.id = c.webhook_id LEFT JOIN events e ON e.id = c.event_id
            """;

    /** What one queueing statement did. */
    record Queued(int moved, boolean more, boolean active) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final WebhookSender sender;
    private final WebhooksConfig config;
    private final WebhookClock clock;
    private final DeliveryOutcomes outcomes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** The next round queues new events first (a poll, or the last queueing left more). */
    private final AtomicBoolean queueDue = new AtomicBoolean(true);
    /** Successful attempts sent since the last round took them, to record in the next. */
    private final Queue<DeliveryOutcomes.Attempt> succeeded = new ConcurrentLinkedQueue<>();
    /** A write committed since the last look for new events started. */
    private final AtomicBoolean hinted = new AtomicBoolean();
    /** A look after writes is running or waiting for its timer. */
    private final AtomicBoolean looking = new AtomicBoolean();
    /** Whether the last queueing saw an active endpoint anywhere: without one, writes need no look. */
    private volatile boolean anyActive = true;

    WebhookDispatcher(Pool pool, Vertx vertx, WebhookSender sender, WebhooksConfig config, WebhookClock clock,
            DeliveryOutcomes outcomes) {
        this.pool = pool;
        this.vertx = vertx;
        this.sender = sender;
        this.config = config;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    @Scheduled(every = "${contacts.webhooks.poll-interval:2s}", delayed = "${contacts.webhooks.poll-interval:2s}")
    void runOnSchedule() {
        queueDue.set(true);
        pump();
    }

    /**
     * A write through this replica has committed, and may have written events: look for them shortly (writes
     * within {@link #HINT_DELAY_MS} share one look), and again with growing waits while the feed has not moved.
     * Cheap and non-blocking; does nothing while no endpoint is active anywhere.
     */
    public void written() {
        if (!anyActive) {
            return;
        }
        hinted.set(true);
        if (looking.compareAndSet(false, true)) {
            vertx.setTimer(HINT_DELAY_MS, id -> lookAfterWrites(HINT_DELAY_MS));
        }
    }

    /** An endpoint has just become active (its handshake passed): queue and send what it has waiting. */
    void activated() {
        anyActive = true;
        queueDue.set(true);
        pump();
    }

    private void lookAfterWrites(long delay) {
        hinted.set(false);
        queueEvents().subscribe().with(queued -> {
            if (queued.moved() > 0 || queued.more()) {
                pump();
            }
            long limit = Math.min(HINT_LOOK_LIMIT_MS, config.pollInterval().toMillis());
            // New writes meanwhile: look again soon. Nothing visible yet: an older transaction may hide the events.
            long next = hinted.get() ? HINT_DELAY_MS : queued.moved() == 0 && queued.active() ? delay * 2 : 0;
            if (next > 0 && next < limit) {
                vertx.setTimer(next, id -> lookAfterWrites(next));
            } else {
                stopLooking();
            }
        }, e -> {
            LOG.warnf("Looking for new events failed: %s", e.toString());
            stopLooking();
        });
    }

    private void stopLooking() {
        looking.set(false);
        // A write that came after the check above and found the look still running would otherwise wait for the poll.
        if (hinted.get() && looking.compareAndSet(false, true)) {
            vertx.setTimer(HINT_DELAY_MS, id -> lookAfterWrites(HINT_DELAY_MS));
        }
    }

    /**
     * Records what succeeded, queues new events if due, and claims and starts sending what is due, without
     * waiting for the sends. Calls while a round is running are folded into one more round after it.
     */
    public void pump() {
        again.set(true);
        if (!pumping.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        List<DeliveryOutcomes.Attempt> done = new ArrayList<>();
        for (DeliveryOutcomes.Attempt attempt; (attempt = succeeded.poll()) != null;) {
            done.add(attempt);
        }
        int room = Math.max(0, Math.min(BATCH, MAX_IN_FLIGHT - inFlight.get()));
        boolean queue = queueDue.getAndSet(false);
        if (done.isEmpty() && room == 0 && !queue) {
            finishRound(false);
            return;
        }
        Uni<?> queued = queue ? queueEvents().onFailure().invoke(() -> queueDue.set(true)) : Uni.createFrom().voidItem();
        queued.flatMap(ignored -> round(done, room)).subscribe().with(rows -> {
            List<Row> sendable = withEvents(rows);
            if (sendable.size() < rows.size()) {
                endGone(rows).subscribe().with(ignored -> pump(),
                        e -> LOG.warnf("Ending deliveries whose event is gone failed: %s", e.toString()));
            }
            for (Row row : sendable) {
                inFlight.incrementAndGet();
                Uni.createFrom().deferred(() -> deliver(row)).subscribe().with(attempt -> {
                    if (attempt.error() == null) {
                        succeeded.add(attempt);
                    }
                    inFlight.decrementAndGet();
                    pump();
                }, e -> {
                    inFlight.decrementAndGet();
                    LOG.warnf("Webhook delivery not recorded: %s", e.toString());
                    pump();
                });
            }
            finishRound(room > 0 && rows.size() == room);
        }, e -> {
            // The statement rolled back: these successes are recorded by a later round.
            succeeded.addAll(done);
            LOG.warnf("Webhook dispatch failed: %s", e.toString());
            pumping.set(false);
        });
    }

    private void finishRound(boolean full) {
        pumping.set(false);
        if (again.get() || full || queueDue.get()) {
            pump();
        }
    }

    /** Queues new events, then sends one batch of due deliveries, records them, and answers how many were sent. */
    public Uni<Integer> runOnce() {
        return queueEvents().flatMap(queued -> round(List.of(), BATCH))
                .flatMap(claimed -> endGone(claimed).replaceWith(withEvents(claimed)))
                .flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndMerge(this::deliver)
                        .collect().asList())
                .flatMap(sent -> round(sent.stream().filter(attempt -> attempt.error() == null).toList(), 0).replaceWith(sent.size()));
    }

    private Uni<Queued> queueEvents() {
        return pool.preparedQuery(QUEUE).execute(Tuple.of(DeliveryOutcomes.at(clock.now()), QUEUE_BATCH)).map(rows -> {
            Row row = rows.iterator().next();
            Queued queued = new Queued(row.getInteger("moved"), row.getBoolean("more"), row.getBoolean("active"));
            anyActive = queued.active();
            if (queued.more()) {
                queueDue.set(true);
            }
            return queued;
        });
    }

    /** Records {@code done} (successes) and claims at most {@code limit} due deliveries, in one statement. */
    private Uni<List<Row>> round(List<DeliveryOutcomes.Attempt> done, int limit) {
        int n = done.size();
        Long[] deliveries = new Long[n];
        Long[] webhooks = new Long[n];
        Long[] events = new Long[n];
        String[] types = new String[n];
        Integer[] attempts = new Integer[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Integer[] durations = new Integer[n];
        Integer[] statuses = new Integer[n];
        for (int i = 0; i < n; i++) {
            DeliveryOutcomes.Attempt a = done.get(i);
            deliveries[i] = a.deliveryId();
            webhooks[i] = a.webhookId();
            events[i] = a.eventId();
            types[i] = a.type();
            attempts[i] = a.attempt();
            times[i] = DeliveryOutcomes.at(a.at());
            durations[i] = (int) Math.min(Integer.MAX_VALUE, a.durationMs());
            statuses[i] = a.status();
        }
        Tuple tuple = Tuple.tuple().addValue(DeliveryOutcomes.at(clock.now())).addLong(LEASE.toSeconds()).addInteger(limit)
                .addInteger(config.concurrencyPerEndpoint()).addArrayOfLong(deliveries).addArrayOfLong(webhooks)
                .addArrayOfLong(events).addArrayOfString(types).addArrayOfInteger(attempts).addArrayOfOffsetDateTime(times)
                .addArrayOfInteger(durations).addArrayOfInteger(statuses);
        return pool.preparedQuery(ROUND).execute(tuple).map(rows -> {
            List<Row> claimed = new ArrayList<>();
            rows.forEach(claimed::add);
            return claimed;
        });
    }

    /** The claimed deliveries whose event still exists (the others are for {@link #endGone}). */
    private static List<Row> withEvents(List<Row> claimed) {
        return claimed.stream().filter(row -> row.getString("type") != null).toList();
    }

    /**
     * Ends the claimed deliveries whose event was purged before they could be sent, together in one statement and
     * without counting against their endpoints ({@link DeliveryOutcomes#eventsGone}); until then they stay leased,
     * so no round claims them again.
     */
    private Uni<Void> endGone(List<Row> claimed) {
        Instant now = clock.now();
        List<DeliveryOutcomes.Attempt> gone = claimed.stream().filter(row -> row.getString("type") == null)
                .map(row -> new DeliveryOutcomes.Attempt(row.getLong("webhook_id"), row.getLong("id"), row.getLong("event_id"),
                        "unknown", row.getInteger("attempts"), now, 0, null, DeliveryOutcomes.EVENT_GONE))
                .toList();
        return gone.isEmpty() ? Uni.createFrom().voidItem() : outcomes.eventsGone(gone, now);
    }

    /**
     * Sends one claimed delivery. A failure is recorded here (it updates the endpoint's circuit); a success is
     * answered unrecorded, for the caller to record in a batch. Either way the answer is the attempt.
     */
    private Uni<DeliveryOutcomes.Attempt> deliver(Row row) {
        long deliveryId = row.getLong("id");
        long webhookId = row.getLong("webhook_id");
        long eventId = row.getLong("event_id");
        int attempt = row.getInteger("attempts");
        String type = row.getString("type");
        Instant start = clock.now();
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
                        return Uni.createFrom().item(done);
                    }
                    Instant now = clock.now();
                    Duration retryIn = status != null && status == 410 ? null : retryIn(attempt, answer);
                    return outcomes.failed(done, retryIn, now).replaceWith(done);
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
