package dev.awal.contacts.webhooks;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.vertx.mutiny.sqlclient.Row;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Webhook", description = "An endpoint that receives the workspace's events")
public record WebhookView(
        @Schema(required = true, examples = "7") long id,
        @Schema(required = true, examples = "https://hooks.example.com/contacts") String url,
        @Schema(required = true, description = "Event type filters, * matches any characters", examples = "[\"contact.*\"]") List<String> events,
        @Schema(nullable = true, examples = "CRM sync") String description,
        @Schema(required = true, enumeration = { "pending_verification", "active", "disabled" }, examples = "active") String status,
        @Schema(nullable = true, examples = "The endpoint answered 410 Gone") String disabledReason,
        @Schema(required = true, description = "Bumped by every change; the ETag is this number in quotes", examples = "3") int version,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "After a rotation: until then deliveries are also signed with the previous secret", examples = "2024-01-16T10:30:00Z")
        Instant previousSecretExpiresAt,
        @Schema(description = "Only in the answers to the creation and to a rotation: the signing secret, shown once",
                examples = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2dKw7KjyDwQ=")
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC", examples = "2024-01-15T10:30:00Z") Instant createdAt) {

    static WebhookView of(Row row, String secret, Instant now) {
        var until = row.getOffsetDateTime("previous_secret_until");
        return new WebhookView(row.getLong("id"), row.getString("url"), List.of(row.getArrayOfStrings("events")),
                row.getString("description"), row.getString("status"), row.getString("disabled_reason"), row.getInteger("version"),
                until == null || !until.toInstant().isAfter(now) ? null : until.toInstant(), secret,
                row.getOffsetDateTime("created_at").toInstant());
    }

    @JsonIgnore
    String etag() {
        return "\"" + version + "\"";
    }
}
