package dev.awal.contacts.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Webhook endpoints of a workspace: registration with the verification handshake, listing, removal. */
@ApplicationScoped
public class WebhookService {

    private static final Pattern TYPE_FILTER = Pattern.compile("[a-z_*]+(\\.[a-z_*]+)*");

    private final Pool pool;
    private final WebhookSender sender;
    private final ObjectMapper mapper;
    private final int maxPerWorkspace;

    WebhookService(Pool pool, WebhookSender sender, ObjectMapper mapper, WebhooksConfig config) {
        this.pool = pool;
        this.sender = sender;
        this.mapper = mapper;
        this.maxPerWorkspace = config.maxPerWorkspace();
    }

    /** Validated fields of a creation. */
    record Input(String url, List<String> events, String description) {
    }

    Input parse(JsonNode body) {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        JsonNode url = body.get("url");
        String urlText = url != null && url.isTextual() ? url.asText().strip() : null;
        if (urlText == null || urlText.isEmpty() || urlText.length() > 2048) {
            errors.put("url", "is required: an https URL of at most 2048 characters");
        } else if (sender.problem(urlText) != null) {
            errors.put("url", sender.problem(urlText));
        }
        List<String> events = new ArrayList<>();
        JsonNode filters = body.get("events");
        if (filters == null || filters.isNull()) {
            events.add("*");
        } else if (!filters.isArray() || filters.isEmpty() || filters.size() > 20) {
            errors.put("events", "must be a list of 1 to 20 event type filters such as contact.*");
        } else {
            for (JsonNode filter : filters) {
                if (!filter.isTextual() || filter.asText().length() > 64 || !TYPE_FILTER.matcher(filter.asText()).matches()) {
                    errors.put("events", "must be event types such as contact.created, with * as a wildcard");
                    break;
                }
                events.add(filter.asText());
            }
        }
        JsonNode description = body.get("description");
        String descriptionText = null;
        if (description != null && !description.isNull()) {
            if (!description.isTextual() || description.asText().length() > 500 || description.asText().indexOf('\u0000') >= 0) {
                errors.put("description", "must be text of at most 500 characters");
            } else {
                descriptionText = description.asText();
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Input(urlText, events, descriptionText);
    }

    /**
     * Registers the endpoint (pending verification), then sends the challenge; it is active only if the
     * endpoint echoes it. The count check and insert run in one statement, so racing creations stay under the cap.
     */
    Uni<WebhookView> create(String workspace, Input input) {
        String secret = Signatures.newSecret();
        return pool.preparedQuery("""
                INSERT INTO webhooks (workspace, url, events, description, secret, status, feed_txid)
                SELECT $1, $2, $3, $4, $5, 'pending_verification', pg_snapshot_xmin(pg_current_snapshot())
                WHERE (SELECT count(*) FROM webhooks WHERE workspace = $1) < $6
                RETURNING id""")
                .execute(Tuple.of(workspace, input.url(), input.events().toArray(String[]::new), input.description(), secret,
                        maxPerWorkspace))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.invalid(Map.of("url", "a workspace may have at most " + maxPerWorkspace + " webhooks"));
                    }
                    return rows.iterator().next().getLong("id");
                })
                .flatMap(id -> verify(id, input.url(), secret).replaceWith(id))
                .flatMap(id -> find(workspace, id, secret));
    }

    /** The handshake: POST {"type":"verification","challenge":…}; a 200 echoing the challenge activates. */
    Uni<Boolean> verify(long id, String url, String secret) {
        String challenge = Signatures.challenge();
        String body = "{\"type\":\"verification\",\"challenge\":\"" + challenge + "\"}";
        long timestamp = System.currentTimeMillis() / 1000;
        String messageId = "verify_" + id + "_" + challenge.substring(0, 8);
        return sender.post(url, WebhookDispatcher.headers(secret, messageId, timestamp, body), body)
                .map(answer -> answer.status() == 200 && echoes(answer.body(), challenge))
                .onFailure().recoverWithItem(false)
                .call(ok -> ok ? pool.preparedQuery("UPDATE webhooks SET status = 'active', updated_at = now()"
                        + " WHERE id = $1 AND status = 'pending_verification'").execute(Tuple.of(id)) : Uni.createFrom().voidItem());
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
        return pool.preparedQuery("SELECT " + WebhookView.COLUMNS + " FROM webhooks WHERE workspace = $1 AND id = $2")
                .execute(Tuple.of(workspace, id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ApiException.notFound("Webhook");
                    }
                    return WebhookView.of(rows.iterator().next(), secret);
                });
    }

    Uni<List<WebhookView>> list(String workspace) {
        return pool.preparedQuery("SELECT " + WebhookView.COLUMNS + " FROM webhooks WHERE workspace = $1 ORDER BY id")
                .execute(Tuple.of(workspace))
                .map(rows -> {
                    List<WebhookView> views = new ArrayList<>();
                    for (Row row : rows) {
                        views.add(WebhookView.of(row, null));
                    }
                    return views;
                });
    }

    /** Deletes the endpoint and its queued deliveries (cascade), in one statement. */
    Uni<Void> delete(String workspace, long id) {
        return pool.preparedQuery("DELETE FROM webhooks WHERE workspace = $1 AND id = $2").execute(Tuple.of(workspace, id))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("Webhook");
                    }
                })
                .replaceWithVoid();
    }
}
