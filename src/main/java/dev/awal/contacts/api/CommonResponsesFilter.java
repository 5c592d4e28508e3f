package dev.awal.contacts.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds what every signed operation shares to the generated document — the auth, rate-limit and
 * failure responses and the correlation headers — instead of repeating them on each resource method.
 */
public class CommonResponsesFilter implements OASFilter {

    private static final Map<String, String> SHARED = Map.of(
            "400", "Bad request: malformed body, wrong JSON type, bad query value, or unsupported X-API-Version",
            "401", "Missing auth headers (missing_headers) or authentication failed (bad signature, unknown client, stale timestamp, replay)",
            "403", "The client may not act in the workspace named by X-Domain",
            "429", "Rate limit exceeded; see Retry-After",
            "500", "Unexpected error; quote request_id to support",
            "503", "Database or object storage unavailable; see Retry-After");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/developer")) {
                item.getOperations().values().forEach(this::addShared);
            }
        });
    }

    private void addShared(Operation operation) {
        SHARED.forEach((status, description) -> {
            if (operation.getResponses().getAPIResponse(status) == null) {
                operation.getResponses().addAPIResponse(status, error(description));
            }
        });
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            response.addHeader("X-Request-ID", header("Correlation id, also in the server log"));
            response.addHeader("X-API-Version", header("Always v1"));
            // Rate limits are counted only once a request is authenticated.
            if (!status.equals("401") && !status.equals("403")) {
                response.addHeader("X-RateLimit-Limit", integerHeader("Requests allowed in the current window "
                        + "for this client, workspace and operation class"));
                response.addHeader("X-RateLimit-Remaining", integerHeader("Requests left in the current window"));
                response.addHeader("X-RateLimit-Reset", integerHeader("Unix seconds at which the window closes"));
            }
        });
        operation.getResponses().getAPIResponse("429")
                .addHeader("Retry-After", integerHeader("Seconds until the window closes"));
    }

    private static APIResponse error(String description) {
        Content content = OASFactory.createContent().addMediaType("application/json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Error")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static Header integerHeader(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }
}
