package dev.awal.contacts.webhooks;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiMessage;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Signed deliveries of the workspace's events")
public class WebhookResource {

    private static final String VIEW = "{\"id\":7,\"url\":\"https://hooks.example.com/contacts\",\"events\":[\"contact.*\"],"
            + "\"description\":\"CRM sync\",\"status\":\"active\",\"disabled_reason\":null,\"version\":2,\"previous_secret_expires_at\":null,"
            + "\"created_at\":\"2024-01-15T10:30:00Z\"";
    private static final String ROTATED = "{\"id\":7,\"url\":\"https://hooks.example.com/contacts\",\"events\":[\"contact.*\"],"
            + "\"description\":\"CRM sync\",\"status\":\"active\",\"disabled_reason\":null,\"version\":3,"
            + "\"previous_secret_expires_at\":\"2024-01-16T10:30:00Z\",\"secret\":\"whsec_3yH0bM2o6mGZb9XxKp2rT1pQmN4o8E6sD5cV7bA9zLk=\","
            + "\"created_at\":\"2024-01-15T10:30:00Z\"}";
    private static final String STALE = "{\"status\":false,\"error\":\"precondition_failed\",\"message\":\"The webhook has changed since"
            + " you read it (current ETag \\\"4\\\")\",\"details\":{\"If-Match\":\"does not match the current ETag \\\"4\\\"\"},"
            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}";
    private static final String IF_MATCH = "An ETag from an earlier answer (the webhook's version in quotes): a stale one is 412 and nothing changes";
    private static final String NOT_FOUND = "{\"status\":false,\"error\":\"resource_not_found\",\"message\":\"Webhook not found\","
            + "\"details\":null,\"request_id\":\"3f1c2a7e9b0d4c5e\"}";

    private final WebhookService webhooks;
    private final ObjectMapper mapper;
    private final Caller caller;

    WebhookResource(WebhookService webhooks, ObjectMapper mapper, Caller caller) {
        this.webhooks = webhooks;
        this.mapper = mapper;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Register a webhook endpoint",
            description = "The service POSTs `{\"type\":\"verification\",\"challenge\":\"…\"}` to the URL at once; the endpoint "
                    + "becomes `active` only if it answers 200 with `{\"challenge\":\"<the same>\"}`, else it stays "
                    + "`pending_verification` and receives nothing. The signing `secret` is in this answer only. Deliveries "
                    + "carry Standard Webhooks headers (`webhook-id` = `evt_<event id>`, `webhook-timestamp`, `webhook-signature: "
                    + "v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the base64-decoded part after `whsec_`) and "
                    + "`X-Awal-Signature-256: sha256=<hex HMAC-SHA256 of timestamp.body>` with `X-Timestamp`.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookRequests.Create.class),
            examples = @ExampleObject(name = "create", value = "{\"url\":\"https://hooks.example.com/contacts\","
                    + "\"events\":[\"contact.*\"],\"description\":\"CRM sync\"}")))
    @APIResponse(responseCode = "201", description = "Registered; `secret` is shown this once",
            headers = { @Header(name = "Location", description = "URL of the webhook", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The webhook's version", schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(schema = @Schema(implementation = WebhookResult.class), examples = @ExampleObject(name = "created",
                    value = "{\"status\":true,\"message\":\"Webhook created successfully\",\"data\":" + VIEW
                            + ",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2dKw7KjyDwQ=\"}}")))
    @APIResponse(responseCode = "413", description = "Body over the limit (256 KiB)")
    @APIResponse(responseCode = "415", description = "Content type is not JSON")
    @APIResponse(responseCode = "400", description = "Not a JSON object",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "json",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"The body must be a JSON object\","
                            + "\"details\":{\"body\":\"must be a JSON object\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "422", description = "A bad url, events or description (details name it)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "url",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"url\":\"must be an https URL\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<RestResponse<ApiResponse<WebhookView>>> create(RoutingContext rc) {
        String workspace = caller.workspace();
        JsonNode body = object(rc);
        return webhooks.create(workspace, webhooks.parse(body, true)).map(view -> RestResponse.ResponseBuilder
                .<ApiResponse<WebhookView>>created(URI.create("/api/developer/webhooks/" + view.id()))
                .entity(ApiResponse.ok("Webhook created successfully", view)).header("ETag", view.etag()).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "List the workspace's webhook endpoints",
            description = "Every endpoint with its status (`pending_verification`, `active`, `disabled` with the reason); secrets are never listed.")
    @APIResponse(responseCode = "200", description = "Every endpoint of the workspace (at most contacts.webhooks.max-per-workspace, 20 by default), secrets left out",
            content = @Content(schema = @Schema(implementation = WebhookListResult.class), examples = @ExampleObject(name = "list", value = "{\"status\":true,\"message\":\"Webhooks retrieved successfully\","
                    + "\"data\":[" + VIEW + "}]}")))
    public Uni<ApiResponse<List<WebhookView>>> list() {
        String workspace = caller.workspace();
        return webhooks.list(workspace).map(views -> ApiResponse.ok("Webhooks retrieved successfully", views));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getWebhook", summary = "Get one webhook endpoint",
            description = "Its URL, event filters, status and, when disabled, why; the secret is not shown again.")
    @APIResponse(responseCode = "200", description = "The endpoint, its status and why it was disabled",
            headers = @Header(name = "ETag", description = "The webhook's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = WebhookResult.class), examples = @ExampleObject(name = "one",
                    value = "{\"status\":true,\"message\":\"Webhook retrieved successfully\",\"data\":" + VIEW + "}}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    public Uni<RestResponse<ApiResponse<WebhookView>>> get(@Parameter(description = "The webhook's id") @RestPath long id) {
        String workspace = caller.workspace();
        return webhooks.find(workspace, id, null).map(view -> withETag(view, "Webhook retrieved successfully"));
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateWebhook", summary = "Change a webhook endpoint",
            description = "Only the fields sent change: `url`, `events`, `description` (null clears it), `status` (`active` or "
                    + "`disabled`). A new URL, or `active` on an endpoint that is not active, runs the verification handshake again "
                    + "before the answer: the endpoint is `pending_verification` (nothing is delivered; events queue up) until it "
                    + "echoes the challenge. `disabled` stops deliveries (reason: Disabled by the user). Send `If-Match` with the "
                    + "ETag you read to change only that version.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookRequests.Update.class),
            examples = @ExampleObject(name = "move", value = "{\"url\":\"https://hooks.example.com/v2/contacts\",\"events\":[\"contact.*\",\"branch.*\"]}")))
    @APIResponse(responseCode = "200", description = "The endpoint after the change (and after the handshake, if one ran)",
            headers = @Header(name = "ETag", description = "The webhook's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = WebhookResult.class), examples = @ExampleObject(name = "changed",
                    value = "{\"status\":true,\"message\":\"Webhook updated successfully\",\"data\":" + VIEW + "}}")))
    @APIResponse(responseCode = "413", description = "Body over the limit (256 KiB)")
    @APIResponse(responseCode = "415", description = "Content type is not JSON")
    @APIResponse(responseCode = "400", description = "Not a JSON object",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "json",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"The body must be a JSON object\","
                            + "\"details\":{\"body\":\"must be a JSON object\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    @APIResponse(responseCode = "412", description = "If-Match names another version; nothing changed",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "stale", value = STALE)))
    @APIResponse(responseCode = "422", description = "A bad url, events, description or status (details name it)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "status",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"status\":\"must be active (verifies the endpoint again) or disabled\"},"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<RestResponse<ApiResponse<WebhookView>>> update(@Parameter(description = "The webhook's id") @RestPath long id,
            @Parameter(description = IF_MATCH) @RestHeader("If-Match") String ifMatch, RoutingContext rc) {
        String workspace = caller.workspace();
        WebhookInput input = webhooks.parse(object(rc), false);
        return webhooks.update(workspace, id, ifMatch, input).map(view -> withETag(view, "Webhook updated successfully"));
    }

    @POST
    @Path("{id: \\d{1,18}}/rotate-secret")
    @Operation(operationId = "rotateWebhookSecret", summary = "Replace the signing secret",
            description = "The new `secret` is in this answer only. Until `previous_secret_expires_at` (now + "
                    + "`contacts.webhooks.secret-overlap`, 24 h by default) deliveries carry signatures of both secrets: "
                    + "`webhook-signature` lists `v1,<new> v1,<previous>`, `X-Awal-Signature-256` is made with the new secret and "
                    + "`X-Awal-Signature-256-Previous` with the previous one. Rotating again within the overlap drops the oldest "
                    + "secret. No body.")
    @APIResponse(responseCode = "200", description = "Rotated; `secret` is shown this once",
            headers = @Header(name = "ETag", description = "The webhook's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = WebhookResult.class), examples = @ExampleObject(name = "rotated",
                    value = "{\"status\":true,\"message\":\"Webhook secret rotated successfully\",\"data\":" + ROTATED + "}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    @APIResponse(responseCode = "412", description = "If-Match names another version; nothing changed",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "stale", value = STALE)))
    public Uni<RestResponse<ApiResponse<WebhookView>>> rotate(@Parameter(description = "The webhook's id") @RestPath long id,
            @Parameter(description = IF_MATCH) @RestHeader("If-Match") String ifMatch) {
        String workspace = caller.workspace();
        return webhooks.rotate(workspace, id, ifMatch).map(view -> withETag(view, "Webhook secret rotated successfully"));
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint and its queued deliveries",
            description = "Nothing more is delivered to it; events stay in the change feed.")
    @APIResponse(responseCode = "200", description = "Deleted", content = @Content(schema = @Schema(implementation = ApiMessage.class),
            examples = @ExampleObject(name = "deleted", value = "{\"status\":true,\"message\":\"Webhook deleted successfully\"}")))
    @APIResponse(responseCode = "404", description = "No such webhook in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    @APIResponse(responseCode = "412", description = "If-Match names another version; nothing was deleted",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "stale", value = STALE)))
    public Uni<ApiMessage> delete(@Parameter(description = "The webhook's id") @RestPath long id,
            @Parameter(description = IF_MATCH) @RestHeader("If-Match") String ifMatch) {
        String workspace = caller.workspace();
        return webhooks.delete(workspace, id, ifMatch).map(ignored -> ApiMessage.ok("Webhook deleted successfully"));
    }

    private JsonNode object(RoutingContext rc) {
        JsonNode body;
        try {
            // Strictly UTF-8, as every other JSON body: Jackson alone reads an overlong C0 AF as "/".
            body = InputFields.readStrict(ReceivedBody.of(rc).raw().getBytes(), mapper);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The body must be a JSON object", Map.of("body", "must be a JSON object"));
        }
        return body;
    }

    private static RestResponse<ApiResponse<WebhookView>> withETag(WebhookView view, String message) {
        return RestResponse.ResponseBuilder.ok(ApiResponse.ok(message, view)).header("ETag", view.etag()).build();
    }

    /** The envelope of one webhook, as the document shows it (the body is an {@code ApiResponse<WebhookView>}). */
    @Schema(name = "WebhookResult")
    record WebhookResult(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Webhook retrieved successfully") String message,
            @Schema(required = true) WebhookView data) {
    }

    /** The envelope of the webhook list, as the document shows it. */
    @Schema(name = "WebhookListResult")
    record WebhookListResult(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Webhooks retrieved successfully") String message,
            @Schema(required = true) List<WebhookView> data) {
    }
}
