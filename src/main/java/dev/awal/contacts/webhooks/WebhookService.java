package dev.awal.contacts.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Webhook endpoints of a workspace: registration and edits with the verification handshake, secret rotation,
 * listing, removal. Every change is one statement on the row, so racing changes take turns on its lock and
 * end in 200, 404 (deleted first) or 412 (If-Match names a version another change replaced).
 */
@ApplicationScoped
public class WebhookService {

    private static final String VIEW_COLUMNS = "w.id, w.url, w.events, w.description, w.status, w.disabled_reason, w.version,"
            + " w.previous_secret_until, w.created_at";

    /**
     * A partial edit. A new URL, or status active on an endpoint that is not active, means verifying again:
     * pending_verification (nothing is delivered) until the handshake passes; status disabled wins over both.
     * $3 url, $4 events, $5 whether description was sent, $6 description, $7 status, $8 acceptable versions.
     */
    private static final String UPDATE = """
            WITH o AS (SELECT id, url, status FROM webhooks WHERE workspace = $1 AND id = $2
                         AND ($8::int4[] IS NULL OR version = ANY($8)) FOR UPDATE),
            r AS (SELECT o.id, coalesce(coalesce($7, o.status) <> 'disabled'
                    AND (($3::text IS NOT NULL AND $3 <> o.url) OR ($7 = 'active' AND o.status <> 'active')), false) AS verify FROM o)
            UPDATE webhooks w SET url = coalesce($3, w.url), events = coalesce($4, w.events),
              description = CASE WHEN $5 THEN $6 ELSE w.description END,
              status = CASE WHEN $7 = 'disabled' THEN 'disabled' WHEN r.verify THEN 'pending_verification' ELSE w.status END,
              disabled_reason = CASE WHEN $7 = 'disabled' THEN 'Disabled by the user' WHEN r.verify THEN NULL ELSE w.disabled_reason END,
              consecutive_failures = CASE WHEN r.verify THEN 0 ELSE w.consecutive_failures END,
              failing_since = CASE WHEN r.verify THEN NULL ELSE w.failing_since END,
              circuit_until = CASE WHEN r.verify THEN NULL ELSE w.circuit_until END,
              version = w.version + 1, updated_at = now()
            FROM r WHERE w.id = r.id
            RETURNING r.verify, w.url, w.secret, w.version""";

    private final Pool pool;
    private final WebhookSender sender;
    private final ObjectMapper mapper;
    private final WebhookClock clock;
    private final WebhooksConfig config;
    private final DeliveryOutcomes outcomes;
    private final WebhookDispatcher dispatcher;

    WebhookService(Pool pool, WebhookSender sender, ObjectMapper mapper, WebhookClock clock, WebhooksConfig config,
            DeliveryOutcomes outcomes, WebhookDispatcher dispatcher) {
        this.pool = pool;
        this.sender = sender;
        this.mapper = mapper;
        this.clock = clock;
        this.config = config;
        this.outcomes = outcomes;
        this.dispatcher = dispatcher;
    }

    WebhookInput parse(JsonNode body, boolean creation) {
        return WebhookInput.parse(body, creation, sender::problem);
    }

    /**
     * Registers the endpoint (pending verification), then sends the challenge; it is active only if the
     * endpoint echoes it. Creations in one workspace take turns for the count (a transaction-scoped advisory
     * lock, as attribute definitions do): under READ COMMITTED, a count in the INSERT alone lets racing
     * creations all see room and together pass the cap.
     */
    Uni<WebhookView> create(String workspace, WebhookInput input) {
        String secret = Signatures.newSecret();
        int max = config.maxPerWorkspace();
        return DatabaseErrors.retryingDeadlocks(() -> pool.withTransaction(tx -> tx
                .preparedQuery("SELECT pg_advisory_xact_lock(hashtext('contacts-webhooks:' || $1::text))").execute(Tuple.of(workspace))
                .flatMap(locked -> tx.preparedQuery("""
                        INSERT INTO webhooks (workspace, url, events, description, secret, status, feed_txid)
                        SELECT $1::varchar, $2, $3, $4, $5, 'pending_verification', pg_snapshot_xmin(pg_current_snapshot())
                        WHERE (SELECT count(*) FROM webhooks WHERE workspace = $1::varchar) < $6
                        RETURNING id""")
                        .execute(Tuple.of(workspace, input.url(), input.events().toArray(String[]::new), input.description(), secret,
                                max)))))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.invalid(Map.of("url", "a workspace may have at most " + max + " webhooks"));
                    }
                    return rows.iterator().next().getLong("id");
                })
                .flatMap(id -> verify(id, 1, input.url(), secret).replaceWith(id))
                .flatMap(id -> find(workspace, id, secret));
    }

    /** Applies an edit; a new URL (or re-enabling) runs the handshake before answering. */
    Uni<WebhookView> update(String workspace, long id, String ifMatch, WebhookInput input) {
        Tuple tuple = Tuple.tuple().addString(workspace).addLong(id).addString(input.url())
                .addArrayOfString(input.events() == null ? null : input.events().toArray(String[]::new))
                .addBoolean(input.hasDescription()).addString(input.description()).addString(input.status())
                .addArrayOfInteger(versions(ifMatch));
        return pool.preparedQuery(UPDATE).execute(tuple)
                .flatMap(rows -> changed(workspace, id, rows))
                .flatMap(row -> row.getBoolean("verify")
                        ? verify(id, row.getInteger("version"), row.getString("url"), row.getString("secret"))
                        : Uni.createFrom().item(true))
                .flatMap(ignored -> find(workspace, id, null));
    }

    /**
     * A new secret, shown once in the answer. The one it replaces stays valid for contacts.webhooks.secret-overlap:
     * deliveries carry signatures of both until then (a second rotation within the overlap drops the oldest).
     */
    Uni<WebhookView> rotate(String workspace, long id, String ifMatch) {
        String secret = Signatures.newSecret();
        var until = DeliveryOutcomes.at(clock.now().plus(config.secretOverlap()));
        return pool.preparedQuery("""
                UPDATE webhooks SET previous_secret = secret, previous_secret_until = $4, secret = $3,
                  version = version + 1, updated_at = now()
                WHERE workspace = $1 AND id = $2 AND ($5::int4[] IS NULL OR version = ANY($5)) RETURNING id""")
                .execute(Tuple.tuple().addString(workspace).addLong(id).addString(secret).addValue(until).addArrayOfInteger(versions(ifMatch)))
                .flatMap(rows -> changed(workspace, id, rows))
                .flatMap(ignored -> find(workspace, id, secret));
    }

    /** The changed row, else 404 (no such webhook here) or 412 (it exists, If-Match names another version). */
    private Uni<Row> changed(String workspace, long id, RowSet<Row> rows) {
        if (rows.iterator().hasNext()) {
            return Uni.createFrom().item(rows.iterator().next());
        }
        return find(workspace, id, null).map(current -> {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                    "The webhook has changed since you read it (current ETag " + current.etag() + ")",
                    Map.of("If-Match", "does not match the current ETag " + current.etag()));
        });
    }

    /** The versions an If-Match names (ETags are "<version>", weak or strong); null for none or {@code *}: unconditional. */
    static Integer[] versions(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || EntityTags.isAny(ifMatch)) {
            return null;
        }
        return EntityTags.parse(ifMatch).stream().filter(tag -> tag.matches("\"\\d{1,9}\""))
                .map(tag -> Integer.valueOf(tag.substring(1, tag.length() - 1))).toArray(Integer[]::new);
    }

    /**
     * The handshake: POST {"type":"verification","challenge":…}; a 200 echoing the challenge activates, if the
     * endpoint is still at {@code version} (a later edit started a handshake of its own).
     */
    Uni<Boolean> verify(long id, int version, String url, String secret) {
        String challenge = Signatures.challenge();
        String body = "{\"type\":\"verification\",\"challenge\":\"" + challenge + "\"}";
        var start = clock.now();
        long started = System.nanoTime();
        String messageId = "verify_" + id + "_" + challenge.substring(0, 8);
        return sender.post(url, Signatures.headers(secret, null, messageId, start.getEpochSecond(), body), body)
                .onItemOrFailure().transformToUni((answer, failure) -> {
                    boolean ok = answer != null && answer.status() == 200 && echoes(answer.body(), challenge);
                    String error = failure != null ? WebhookSender.describe(failure)
                            : ok ? null : answer.status() == 200 ? "the answer did not echo the challenge" : "answered " + answer.status();
                    var attempt = new DeliveryOutcomes.Attempt(id, null, null, "verification", 1, start,
                            (System.nanoTime() - started) / 1_000_000, answer == null ? null : answer.status(), error);
                    // Once active, whatever the endpoint has waiting is sent now rather than at the next poll.
                    Uni<?> activate = ok ? pool.preparedQuery("UPDATE webhooks SET status = 'active', version = version + 1,"
                            + " updated_at = now() WHERE id = $1 AND status = 'pending_verification' AND version = $2")
                            .execute(Tuple.of(id, version)).invoke(rows -> {
                                if (rows.rowCount() > 0) {
                                    dispatcher.activated();
                                }
                            }) : Uni.createFrom().voidItem();
                    return activate.call(() -> outcomes.logged(attempt)).replaceWith(ok);
                });
    }

    private boolean echoes(String body, String challenge) {
        try {
            JsonNode answer = mapper.readTree(body);
            return answer != null && answer.path("challenge").isTextual() && answer.path("challenge").asText().equals(challenge);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    Uni<WebhookView> find(String workspace, long id, String secret) {
        return pool.preparedQuery("SELECT " + VIEW_COLUMNS + " FROM webhooks w WHERE workspace = $1 AND id = $2")
                .execute(Tuple.of(workspace, id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ApiException.notFound("Webhook");
                    }
                    return WebhookView.of(rows.iterator().next(), secret, clock.now());
                });
    }

    Uni<List<WebhookView>> list(String workspace) {
        return pool.preparedQuery("SELECT " + VIEW_COLUMNS + " FROM webhooks w WHERE workspace = $1 ORDER BY id")
                .execute(Tuple.of(workspace))
                .map(rows -> {
                    List<WebhookView> views = new ArrayList<>();
                    for (Row row : rows) {
                        views.add(WebhookView.of(row, null, clock.now()));
                    }
                    return views;
                });
    }

    /**
     * Deletes the endpoint, its queued deliveries and its attempt log (cascade), in one statement. The cascade
     * locks the endpoint's row before its deliveries, while a dispatcher round records successes on deliveries
     * before the endpoint's health: the two can deadlock, and PostgreSQL then aborts one. The aborted delete
     * changed nothing and is run again.
     */
    Uni<Void> delete(String workspace, long id, String ifMatch) {
        Tuple tuple = Tuple.tuple().addString(workspace).addLong(id).addArrayOfInteger(versions(ifMatch));
        return DatabaseErrors.retryingDeadlocks(() -> pool.preparedQuery(
                "DELETE FROM webhooks WHERE workspace = $1 AND id = $2 AND ($3::int4[] IS NULL OR version = ANY($3)) RETURNING id")
                .execute(tuple))
                .flatMap(rows -> changed(workspace, id, rows))
                .replaceWithVoid();
    }
}
