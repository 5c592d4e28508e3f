package dev.awal.contacts.webhooks;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiMessage;
import dev.awal.contacts.security.Caller;
import io.smallrye.mutiny.Uni;

/** An endpoint's attempt log, resending one delivery, and pings. */
@Path("/api/developer/webhooks/{id: \\d{1,18}}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookDeliveryResource {

    private static final String ATTEMPT = "{\"id\":3107,\"delivery_id\":881,\"event_id\":1042,\"type\":\"contact.updated\",\"attempt\":2,"
            + "\"attempted_at\":\"2024-01-15T10:30:05Z\",\"duration_ms\":83,\"status_code\":503,\"error\":\"answered 503\"}";
    private static final String NOT_FOUND = "{\"status\":false,\"error\":\"resource_not_found\",\"message\":\"Webhook not found\","
            + "\"details\":null,\"request_id\":\"3f1c2a7e9b0d4c5e\"}";

    private final WebhookAttempts attempts;
    private final Caller caller;

    WebhookDeliveryResource(WebhookAttempts attempts, Caller caller) {
        this.attempts = attempts;
        this.caller = caller;
    }

    @GET
    @Path("deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's attempt log",
            description = "Every attempt to reach the endpoint, newest first: deliveries of events (with the event, the attempt "
                    + "number, the time, the duration, the status code or the error), pings and verifications. Kept for "
                    + "`contacts.events.retention` (30 days by default). Keyset-paged: pass `meta.next_cursor` as `after`.")
    @APIResponse(responseCode = "200", description = "A page of attempts",
            content = @Content(schema = @Schema(implementation = AttemptView.Page.class), examples = @ExampleObject(name = "page",
                    value = "{\"status\":true,\"message\":\"Deliveries retrieved successfully\",\"data\":[" + ATTEMPT
                            + "],\"meta\":{\"next_cursor\":null,\"limit\":50}}")))
    @APIResponse(responseCode = "400", description = "A bad after or limit (details name it)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "limit",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Invalid value for query parameter limit\","
                            + "\"details\":{\"limit\":\"must be an integer from 1 to 100\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    public Uni<AttemptView.Page> deliveries(@Parameter(description = "The webhook's id") @RestPath long id,
            @Parameter(description = "meta.next_cursor of the previous page; absent: the newest attempts") @RestQuery String after,
            @Parameter(description = "Attempts per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100",
                    defaultValue = "50")) @RestQuery String limit) {
        return attempts.list(caller.workspace(), id, after, limit).map(page -> new AttemptView.Page(true,
                "Deliveries retrieved successfully", page.attempts(), new AttemptView.Meta(page.next(), page.limit())));
    }

    @POST
    @Path("deliveries/{delivery_id: \\d{1,18}}/retry")
    @Operation(operationId = "retryWebhookDelivery", summary = "Resend one delivery now",
            description = "The delivery (its `delivery_id` in the log) is sent again at once, with the same event id "
                    + "(`webhook-id`). A delivery that failed for good gets one more attempt; a pending one is sent now instead "
                    + "of at its next retry. The endpoint must be active. No body.")
    @APIResponse(responseCode = "202", description = "Queued to be sent now; the attempt appears in the log",
            content = @Content(schema = @Schema(implementation = ApiMessage.class), examples = @ExampleObject(name = "queued",
                    value = "{\"status\":true,\"message\":\"Delivery queued to be sent now\"}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace, or no such delivery of it",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    @APIResponse(responseCode = "422", description = "The webhook is not active",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "disabled",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"status\":\"the webhook is disabled; deliveries go to active endpoints only\"},"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<RestResponse<ApiMessage>> retry(@Parameter(description = "The webhook's id") @RestPath long id,
            @Parameter(description = "The delivery's id (delivery_id in the log)") @RestPath("delivery_id") long deliveryId) {
        return attempts.retry(caller.workspace(), id, deliveryId)
                .map(ignored -> RestResponse.status(RestResponse.Status.ACCEPTED, ApiMessage.ok("Delivery queued to be sent now")));
    }

    @POST
    @Path("test")
    @Operation(operationId = "testWebhook", summary = "Send a ping to this endpoint",
            description = "POSTs `{\"id\":\"ping_…\",\"type\":\"ping\",\"workspace\":…,\"created_at\":…,\"data\":{\"webhook_id\":…}}`, "
                    + "signed like a delivery, to this endpoint only (whatever its status) and answers what happened; the attempt "
                    + "is also in the log. Not retried. No body.")
    @APIResponse(responseCode = "200", description = "Sent; `data` is the attempt (a failed ping is still a 200: see status_code and error)",
            content = @Content(schema = @Schema(implementation = AttemptView.Ping.class), examples = @ExampleObject(name = "ping",
                    value = "{\"status\":true,\"message\":\"Ping sent\",\"data\":{\"id\":3108,\"delivery_id\":null,\"event_id\":null,"
                            + "\"type\":\"ping\",\"attempt\":1,\"attempted_at\":\"2024-01-15T10:31:00Z\",\"duration_ms\":41,"
                            + "\"status_code\":200,\"error\":null}}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    public Uni<AttemptView.Ping> ping(@Parameter(description = "The webhook's id") @RestPath long id) {
        return attempts.ping(caller.workspace(), id).map(attempt -> new AttemptView.Ping(true, "Ping sent", attempt));
    }
}
