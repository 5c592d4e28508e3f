package dev.awal.contacts.webhooks;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the webhook endpoints as the OpenAPI document describes them, so generated clients get
 * typed fields. The resource reads the body as a JSON tree and {@link WebhookInput#parse} validates it (naming the
 * field in a 422, telling a description cleared with null from one left out), so these records are the document's
 * and are never bound.
 */
final class WebhookRequests {

    private WebhookRequests() {
    }

    @Schema(name = "WebhookCreate", description = "A new endpoint; unknown fields are ignored")
    record Create(
            @Schema(required = true, format = "uri", maxLength = 2048, description = "An https URL (http only where the "
                    + "deployment allows it); it must answer the verification handshake", examples = "https://hooks.example.com/contacts")
            String url,
            // No default in the document: generated clients would send it on every call. Nullable, so that they leave it out.
            @Schema(minItems = 1, maxItems = 20, nullable = true, description = "1 to 20 event type filters, `*` "
                    + "matches any characters: `contact.*`, `contact.created`, `*`; left out or null, every event (`[\"*\"]`)", examples = "[\"contact.*\"]")
            List<String> events,
            @Schema(nullable = true, maxLength = 500, examples = "CRM sync") String description) {
    }

    @Schema(name = "WebhookUpdate", description = "Only the fields sent change; unknown fields are ignored")
    record Update(
            @Schema(format = "uri", maxLength = 2048, description = "A new URL runs the verification handshake again",
                    examples = "https://hooks.example.com/v2/contacts")
            String url,
            @Schema(minItems = 1, maxItems = 20, nullable = true, description = "1 to 20 event type filters, `*` matches any "
                    + "characters; left out or null, unchanged",
                    examples = "[\"contact.*\",\"branch.*\"]")
            List<String> events,
            @Schema(nullable = true, maxLength = 500, description = "null clears it", examples = "CRM sync") String description,
            @Schema(enumeration = { "active", "disabled" }, description = "`disabled` stops deliveries; `active` on an endpoint "
                    + "that is not active runs the verification handshake again", examples = "active")
            String status) {
    }
}
