package dev.awal.contacts.webhooks;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.vertx.mutiny.sqlclient.Row;

/** One attempt to reach an endpoint, as the deliveries log lists it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "WebhookAttempt", description = "One attempt to reach the endpoint: a delivery of an event, a ping or a verification")
public record AttemptView(
        @Schema(required = true, description = "The attempt's id (the log's order)", examples = "3107") long id,
        @Schema(nullable = true, description = "The delivery (one per event and endpoint; retry it with POST …/deliveries/{delivery_id}/retry);"
                + " null for pings and verifications", examples = "881") Long deliveryId,
        @Schema(nullable = true, description = "The event (webhook-id is evt_ and this id); null for pings and verifications",
                examples = "1042") Long eventId,
        @Schema(required = true, description = "The event type, or ping, or verification", examples = "contact.updated") String type,
        @Schema(required = true, description = "1 for the first attempt of the delivery, 2 for the first retry, …", examples = "2") int attempt,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC", examples = "2024-01-15T10:30:05Z")
        Instant attemptedAt,
        @Schema(required = true, examples = "83") int durationMs,
        @Schema(nullable = true, description = "The HTTP status the endpoint answered; null when it did not answer", examples = "503")
        Integer statusCode,
        @Schema(nullable = true, description = "Why the attempt failed; null on success", examples = "answered 503") String error) {

    static AttemptView of(Row row) {
        return new AttemptView(row.getLong("id"), row.getLong("delivery_id"), row.getLong("event_id"), row.getString("type"),
                row.getInteger("attempt"), row.getOffsetDateTime("attempted_at").toInstant(), row.getInteger("duration_ms"),
                row.getInteger("status_code"), row.getString("error"));
    }

    /** A page of the log. */
    @Schema(name = "WebhookAttemptPage")
    public record Page(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Deliveries retrieved successfully") String message,
            @Schema(required = true) List<AttemptView> data,
            @Schema(required = true) Meta meta) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "WebhookAttemptPageMeta")
    public record Meta(
            @Schema(nullable = true, description = "Pass as `after` for older attempts; null on the last page", examples = "MzEwNw")
            String nextCursor,
            @Schema(required = true, examples = "50") int limit) {
    }

    /** The answer to a ping. */
    @Schema(name = "WebhookPingResult")
    public record Ping(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Ping sent") String message,
            @Schema(required = true) AttemptView data) {
    }
}
