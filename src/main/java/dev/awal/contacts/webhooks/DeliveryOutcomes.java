package dev.awal.contacts.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.DatabaseErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes what a failed delivery attempt led to, in one statement: the attempt log row, the delivery's new state,
 * and the endpoint's health (failures in a row, the circuit, the disable after 410 or after days of failures).
 * A delivery is only updated if it still has the attempt number this sender claimed it with: a sender whose
 * lease ran out and whose delivery was claimed again does not overwrite the newer attempt. Successes are
 * recorded in batches by the dispatcher's rounds ({@link WebhookDispatcher}), by the same rules; attempts
 * outside the queue (verification, ping) are only logged.
 */
@ApplicationScoped
class DeliveryOutcomes {

    static final String GONE_REASON = "The endpoint answered 410 Gone";

    /** One attempt: what was sent and what came back ({@code status} null when nothing did). */
    record Attempt(long webhookId, Long deliveryId, Long eventId, String type, int attempt, Instant at, long durationMs,
            Integer status, String error) {
    }

    private static final String LOG = """
            INSERT INTO webhook_attempts (webhook_id, delivery_id, event_id, type, attempt, attempted_at, duration_ms, status_code, error)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $1)""";

    /**
     * $10 the delivery's next state, $11 when to try again (null: failed for good), $12 the clock, $13 whether the
     * endpoint answered 410, $14 the failing time that disables, $15 the reason then, $16 the circuit threshold.
     */
    private static final String FAILURE = """
            WITH d AS (
              UPDATE webhook_deliveries SET state = $10, last_status = $8, last_error = $9, lease_until = NULL,
                next_attempt_at = coalesce($11, next_attempt_at)
              WHERE id = $2 AND attempts = $5 RETURNING id
            ), a AS (""" + LOG + """
            )
            UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
              failing_since = coalesce(failing_since, $12),
              circuit_until = CASE WHEN consecutive_failures + 1 >= $16 THEN $12 + least(600000,
                  5000 * power(2, least(consecutive_failures + 1 - $16, 10)))::int8 * interval '1 millisecond' END,
              status = CASE WHEN $13 OR coalesce(failing_since, $12) <= $12 - $14::int8 * interval '1 millisecond'
                  THEN 'disabled' ELSE status END,
              disabled_reason = CASE WHEN $13 THEN $17
                  WHEN coalesce(failing_since, $12) <= $12 - $14::int8 * interval '1 millisecond' THEN $15
                  ELSE disabled_reason END,
              version = version + CASE WHEN $13 OR coalesce(failing_since, $12) <= $12 - $14::int8 * interval '1 millisecond'
                  THEN 1 ELSE 0 END,
              updated_at = now()
            WHERE id = $1 AND status = 'active' AND EXISTS (SELECT 1 FROM d)""";

    static final String EVENT_GONE = "event past the retention";

    /**
     * Deliveries claimed after their event was purged ($1..$4, arrays of equal length: delivery, endpoint, event,
     * attempt number; $5 the clock): failed for good and logged, fenced by the attempt number as a failure is. Nothing
     * was sent, so the endpoint's health (failures in a row, circuit, disable) is left alone: an endpoint re-enabled
     * after being disabled for longer than the retention would otherwise have its circuit opened, and be disabled
     * again, by deliveries it was never sent.
     */
    private static final String EVENTS_GONE = """
            WITH gone AS (
              SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int4[]) WITH ORDINALITY AS g(delivery_id, webhook_id,
                event_id, attempt, n)
            ), failed AS (
              UPDATE webhook_deliveries d SET state = 'failed', last_status = NULL, last_error = $6, lease_until = NULL
              FROM gone g WHERE d.id = g.delivery_id AND d.attempts = g.attempt
            )
            INSERT INTO webhook_attempts (webhook_id, delivery_id, event_id, type, attempt, attempted_at, duration_ms, error)
            SELECT g.webhook_id, g.delivery_id, g.event_id, 'unknown', g.attempt, $5, 0, $6
            FROM gone g WHERE EXISTS (SELECT 1 FROM webhooks w WHERE w.id = g.webhook_id) ORDER BY g.n""";

    private final Pool pool;
    private final WebhooksConfig config;

    DeliveryOutcomes(Pool pool, WebhooksConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** A failed attempt: retried after {@code retryIn}, or failed for good when that is null. */
    Uni<Void> failed(Attempt attempt, Duration retryIn, Instant now) {
        boolean gone = attempt.status() != null && attempt.status() == 410;
        Tuple tuple = base(attempt).addString(retryIn == null ? "failed" : "pending")
                .addValue(retryIn == null ? null : at(now.plus(retryIn))).addValue(at(now)).addBoolean(gone)
                .addLong(config.disableAfter().toMillis()).addString("Every delivery failed for " + spell(config.disableAfter()) + " in a row")
                .addInteger(config.circuitThreshold()).addString(GONE_REASON);
        return DatabaseErrors.retryingDeadlocks(() -> pool.preparedQuery(FAILURE).execute(tuple))
                .onFailure(DatabaseErrors::isForeignKeyViolation).recoverWithNull() // the endpoint was deleted meanwhile
                .replaceWithVoid();
    }

    /** Claimed deliveries whose event was purged before they could be sent: see {@link #EVENTS_GONE}. */
    Uni<Void> eventsGone(java.util.List<Attempt> gone, Instant now) {
        int n = gone.size();
        Long[] deliveries = new Long[n];
        Long[] webhooks = new Long[n];
        Long[] events = new Long[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            Attempt a = gone.get(i);
            deliveries[i] = a.deliveryId();
            webhooks[i] = a.webhookId();
            events[i] = a.eventId();
            attempts[i] = a.attempt();
        }
        Tuple tuple = Tuple.tuple().addArrayOfLong(deliveries).addArrayOfLong(webhooks).addArrayOfLong(events)
                .addArrayOfInteger(attempts).addValue(at(now)).addString(EVENT_GONE);
        return pool.preparedQuery(EVENTS_GONE).execute(tuple)
                .onFailure(DatabaseErrors::isForeignKeyViolation).recoverWithNull() // an endpoint was deleted meanwhile
                .replaceWithVoid();
    }

    /**
     * An attempt outside the queue (verification, ping): logged only; answers the log row (null if the endpoint is gone).
     * The EXISTS in the statement only spares a failed insert: a delete that commits after this statement's snapshot
     * still makes the foreign key refuse the row, and that too means the endpoint is gone.
     */
    Uni<AttemptView> logged(Attempt attempt) {
        return pool.preparedQuery(LOG + " RETURNING *").execute(base(attempt))
                .map(rows -> rows.iterator().hasNext() ? AttemptView.of(rows.iterator().next()) : null)
                .onFailure(DatabaseErrors::isForeignKeyViolation).recoverWithNull();
    }

    private static Tuple base(Attempt a) {
        return Tuple.tuple().addLong(a.webhookId()).addLong(a.deliveryId()).addLong(a.eventId()).addString(a.type())
                .addInteger(a.attempt()).addValue(at(a.at())).addInteger((int) Math.min(Integer.MAX_VALUE, a.durationMs()))
                .addInteger(a.status()).addString(a.error() == null ? null : a.error().substring(0, Math.min(a.error().length(), 500)));
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String spell(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0) {
            long days = duration.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
