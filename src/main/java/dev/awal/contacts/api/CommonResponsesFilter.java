package dev.awal.contacts.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the generated document with what every signed operation shares — the auth, rate-limit
 * and failure responses with the error envelope and an example of each, the correlation headers —
 * instead of repeating them on each resource method, and shapes it so that clients generated from
 * it with default settings compile (see {@link #shareRequestBodySchemas}).
 *
 * <p>Runs once, at build time: the document is then complete in the build output
 * (target/openapi, which the lint checks) and is served as built, so a start does no OpenAPI work.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class CommonResponsesFilter implements OASFilter {

    private static final String ATTRIBUTE = "Custom attribute";

    private static final String API = "/api/developer";
    private static final String JSON = "application/json";
    private static final String SCHEMA_REF_PREFIX = "#/components/schemas/";
    private static final String REQUEST_ID = "3f1c2a7e9b0d4c5e";

    /** In status order: Map.of iterates in a per-JVM random order, which reordered the document between builds. */
    private static final Map<String, String> SHARED = new TreeMap<>(Map.of(
            "400", "Bad request: malformed body, a wrong JSON type, a bad query value (details names the field), "
                    + "or an X-API-Version other than v1",
            "401", "Missing auth headers (missing_headers) or authentication failed (bad signature, unknown client, "
                    + "timestamp outside the window, replayed write)",
            "403", "The client may not act in the workspace named by X-Domain",
            "429", "Rate limit exceeded for this client, workspace and operation class; see Retry-After",
            "500", "Unexpected error; quote request_id to support",
            "503", "Database or object storage unavailable, or the service is shutting down; see Retry-After"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(API)) {
                item.getOperations().values().forEach(operation -> {
                    addShared(operation);
                    shareRequestBodySchemas(openAPI, operation);
                });
            }
        });
        nullableReferencesWithoutType(openAPI);
        dropUnreferencedSchemas(openAPI);
        nameEnvelopes(openAPI);
    }

    private void addShared(Operation operation) {
        SHARED.forEach((status, description) -> {
            if (operation.getResponses().getAPIResponse(status) == null) {
                operation.getResponses().addAPIResponse(status,
                        OASFactory.createAPIResponse().description(description));
            }
        });
        String resource = resourceName(operation.getOperationId());
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                errorContent(response, examples(status, resource, operation.getOperationId()));
            }
            response.addHeader("X-Request-ID", header("Correlation id (yours if you sent a sane one), also in the "
                    + "server's log line for the request", true));
            response.addHeader("X-API-Version", header("Always v1", true));
            // Counted only once a request is authenticated; API version checks, auth failures and
            // shutdown refusals happen before that and carry no rate-limit headers.
            boolean counted = status.startsWith("2") || status.equals("304") || status.equals("429");
            if (!status.equals("401") && !status.equals("403")) {
                String when = counted ? "" : " Present when the request got past authentication.";
                response.addHeader("X-RateLimit-Limit", integerHeader("Requests allowed in the current window "
                        + "for this client, workspace and operation class." + when, counted));
                response.addHeader("X-RateLimit-Remaining", integerHeader("Requests left in the current window." + when,
                        counted));
                response.addHeader("X-RateLimit-Reset", integerHeader("Unix seconds at which the window closes." + when,
                        counted));
            }
        });
        operation.getResponses().getAPIResponse("429")
                .addHeader("Retry-After", integerHeader("Seconds until the window closes", true));
        operation.getResponses().getAPIResponse("503")
                .addHeader("Retry-After", integerHeader("Seconds after which a retry may succeed", false));
    }

    /** Every error is the envelope; each response gets examples of its own codes unless it has some. */
    private static void errorContent(APIResponse response, Map<String, Map<String, Object>> examples) {
        MediaType media = response.getContent() == null ? null : response.getContent().getMediaType(JSON);
        if (media == null) {
            media = OASFactory.createMediaType();
            response.content(OASFactory.createContent().addMediaType(JSON, media));
        }
        media.schema(OASFactory.createSchema().ref("Error"));
        if (media.getExamples() == null || media.getExamples().isEmpty()) {
            for (Map.Entry<String, Map<String, Object>> example : examples.entrySet()) {
                media.addExample(example.getKey(), OASFactory.createExample().value(example.getValue()));
            }
        }
    }

    /** Examples named by error code, with the messages the service gives. */
    private static Map<String, Map<String, Object>> examples(String status, String resource, String operationId) {
        Map<String, Map<String, Object>> examples = new LinkedHashMap<>();
        boolean list = operationId.startsWith("list");
        switch (status) {
            case "400" -> {
                if (list) {
                    examples.put("bad_request", error("bad_request", "Invalid value for query parameter per_page",
                            Map.of("per_page", "must be an integer between 1 and 100")));
                } else {
                    examples.put("bad_request", error("bad_request", "Wrong JSON type for name",
                            Map.of("name", "must be a string")));
                }
                examples.put("unsupported_api_version", error("unsupported_api_version",
                        "API version is not supported; use v1 or omit X-API-Version", Map.of("X-API-Version", "must be v1")));
            }
            case "401" -> {
                examples.put("authentication_failed", error("authentication_failed",
                        "Signature mismatch: sign METHOD + PATH + QUERY + TIMESTAMP + BODY with your secret", null));
                examples.put("missing_headers", error("missing_headers", "Missing authentication headers: X-Timestamp",
                        Map.of("X-Timestamp", "header is required")));
            }
            case "403" -> examples.put("forbidden", error("forbidden", "This client may not access workspace 'acme'", null));
            case "404" -> examples.put("resource_not_found", error("resource_not_found", resource + " not found", null));
            case "409" -> {
                if (resource.equals(ATTRIBUTE) && operationId.startsWith("update")) {
                    examples.put("attribute_in_use", error("attribute_in_use", "12 contacts hold values of 'tier' that the "
                            + "change would make invalid; change or remove those values first",
                            Map.of("contacts", 12, "options", "would no longer accept values that contacts hold")));
                } else if (resource.equals(ATTRIBUTE)) {
                    examples.put("duplicate_name", error("duplicate_name", "A custom attribute with this key already exists",
                            Map.of("key", "has already been taken")));
                } else if (resource.equals("Contact group")) {
                    examples.put("duplicate_name", error("duplicate_name", "A contact group with this name already exists",
                            Map.of("name", "already used in this workspace")));
                } else {
                    examples.put("duplicate_phone", error("duplicate_phone", "This phone number already belongs to a contact",
                            Map.of("existing_contact_id", 42)));
                }
            }
            case "410" -> examples.put("gone", error("gone", "This cursor is older than the event retention (P30D)",
                    Map.of("after", "start again without it and resynchronize")));
            case "412" -> examples.put("precondition_failed", error("precondition_failed", resource.equals(ATTRIBUTE)
                    ? "The custom attribute has changed since you read it (current ETag \"3\")"
                    : "The contact was changed since you read it: If-Match does not match its ETag", null));
            case "413" -> examples.put("payload_too_large", error("payload_too_large", operationId.contains("Branch")
                    ? "The file is larger than 10 MB" : resource.equals(ATTRIBUTE) || operationId.contains("Webhook")
                    ? "The request body is larger than 262144 bytes" : "The avatar is larger than 5 MB", null));
            case "415" -> examples.put("unsupported_media_type", error("unsupported_media_type",
                    "Content type text/plain is not accepted here", null));
            case "422" -> examples.put("validation_failed", error("validation_failed", "The given data was invalid",
                    validationDetails(resource, operationId)));
            case "429" -> examples.put("rate_limit_exceeded", error("rate_limit_exceeded",
                    "Rate limit exceeded: 100 requests per 1m", null));
            case "500" -> examples.put("internal_error", error("internal_error",
                    "Something went wrong; quote the request id to support", null));
            case "503" -> examples.put("service_unavailable", error("service_unavailable",
                    "The service is temporarily unavailable; retry later", null));
            default -> throw new IllegalStateException("No error example for status " + status);
        }
        return examples;
    }

    private static Map<String, Object> validationDetails(String resource, String operationId) {
        return switch (resource) {
            case "Contact" -> operationId.equals("replaceContactAvatar")
                    ? Map.of("file", "must be an intact JPEG or PNG image")
                    : Map.of("phone", "The phone must be a valid international number");
            case "Contact group" -> Map.of("name", "The name is required");
            case ATTRIBUTE -> Map.of("key", "must be snake_case: a lowercase letter, then lowercase letters, digits or _ (at most 64)");
            default -> Map.of("name", "The name is required");
        };
    }

    private static Map<String, Object> error(String code, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", false);
        body.put("error", code);
        body.put("message", message);
        body.put("details", details);
        body.put("request_id", REQUEST_ID);
        return body;
    }

    private static String resourceName(String operationId) {
        if (operationId.contains("ContactAttribute")) {
            return ATTRIBUTE;
        }
        if (operationId.contains("ContactGroup")) {
            return "Contact group";
        }
        return operationId.contains("Branch") ? "Branch" : "Contact";
    }

    /**
     * Points every content type of a request body at the JSON body's named schema, moving the file
     * parts the multipart schema adds into it. OpenAPI Generator (default settings) generates no model
     * for a schema used only by form bodies, yet still imports it in the API class, so an operation
     * offering JSON and form schemas of their own yields clients that do not compile. One schema for
     * all three is also the truth: forms carry the same fields, as strings.
     */
    private static void shareRequestBodySchemas(OpenAPI openAPI, Operation operation) {
        RequestBody body = operation.getRequestBody();
        if (body == null || body.getContent() == null || body.getContent().getMediaType(JSON) == null) {
            return;
        }
        Schema json = body.getContent().getMediaType(JSON).getSchema();
        String shared = json == null ? null : json.getRef();
        if (shared == null) {
            return; // an inline JSON schema (a JSON-only operation): nothing to share
        }
        Schema target = component(openAPI, shared);
        body.getContent().getMediaTypes().forEach((type, media) -> {
            String ref = media.getSchema() == null ? null : media.getSchema().getRef();
            if (ref == null || ref.equals(shared)) {
                return;
            }
            fileParts(openAPI, component(openAPI, ref)).forEach((name, file) -> {
                if (target.getProperties() == null || !target.getProperties().containsKey(name)) {
                    target.addProperty(name, OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                            .format(file.getFormat()).description("Multipart only. " + file.getDescription()));
                }
            });
            media.schema(OASFactory.createSchema().ref(shared));
        });
    }

    private static Map<String, Schema> fileParts(OpenAPI openAPI, Schema schema) {
        Map<String, Schema> files = new LinkedHashMap<>();
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                if ("binary".equals(property.getFormat())) {
                    files.put(name, property);
                }
            });
        }
        if (schema.getAllOf() != null) {
            schema.getAllOf().forEach(part -> files.putAll(fileParts(openAPI,
                    part.getRef() == null ? part : component(openAPI, part.getRef()))));
        }
        return files;
    }

    private static Schema component(OpenAPI openAPI, String ref) {
        return openAPI.getComponents().getSchemas().get(simpleName(ref));
    }

    /**
     * SmallRye names the envelopes after the Java generics (ApiResponseContactView); generated clients
     * make classes of these names, so they are named after what they carry (ContactResponse,
     * ContactListResponse). The resources refer to the generated names, rewritten here.
     */
    private static void nameEnvelopes(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Map<String, String> renames = new HashMap<>();
        schemas.forEach((name, schema) -> {
            Schema data = schema.getProperties() == null ? null : schema.getProperties().get("data");
            if (name.startsWith("ApiListResponse") && data != null && data.getItems() != null && data.getItems().getRef() != null) {
                renames.put(name, simpleName(data.getItems().getRef()) + "ListResponse");
            } else if (name.startsWith("ApiResponse") && data != null && data.getRef() != null) {
                renames.put(name, simpleName(data.getRef()) + "Response");
            }
        });
        renames.forEach((old, name) -> {
            Schema schema = schemas.get(old);
            openAPI.getComponents().removeSchema(old);
            openAPI.getComponents().addSchema(name, schema);
        });
        visitSchemas(openAPI, schema -> {
            String renamed = schema.getRef() == null ? null : renames.get(simpleName(schema.getRef()));
            if (renamed != null) {
                schema.setRef(renamed);
            }
        });
    }

    /** Schemas only the form bodies used (and java.time types' stray definitions) would otherwise stay. */
    private static void dropUnreferencedSchemas(OpenAPI openAPI) {
        Set<String> used = visitSchemas(openAPI, schema -> {
        });
        Set.copyOf(openAPI.getComponents().getSchemas().keySet()).stream().filter(name -> !used.contains(name))
                .forEach(openAPI.getComponents()::removeSchema);
    }

    /**
     * Calls {@code visit} on every schema the operations reach, following references into the
     * components (after the visit, so a visit may rewrite the reference); returns the components reached.
     */
    private static Set<String> visitSchemas(OpenAPI openAPI, Consumer<Schema> visit) {
        Set<String> used = new HashSet<>();
        List<Schema> pending = new ArrayList<>();
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream().map(Parameter::getSchema).forEach(pending::add);
            }
            if (operation.getRequestBody() != null) {
                addSchemas(operation.getRequestBody().getContent(), pending);
            }
            operation.getResponses().getAPIResponses().values().forEach(response -> {
                addSchemas(response.getContent(), pending);
                if (response.getHeaders() != null) {
                    response.getHeaders().values().stream().map(Header::getSchema).forEach(pending::add);
                }
            });
        }));
        while (!pending.isEmpty()) {
            Schema schema = pending.remove(pending.size() - 1);
            if (schema == null) {
                continue;
            }
            visit.accept(schema);
            if (schema.getRef() != null) {
                String name = simpleName(schema.getRef());
                if (used.add(name)) {
                    pending.add(openAPI.getComponents().getSchemas().get(name));
                }
            }
            if (schema.getProperties() != null) {
                pending.addAll(schema.getProperties().values());
            }
            pending.add(schema.getItems());
            pending.add(schema.getAdditionalPropertiesSchema());
            Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()).filter(Objects::nonNull)
                    .forEach(pending::addAll);
        }
        return used;
    }

    private static String simpleName(String ref) {
        return ref.substring(SCHEMA_REF_PREFIX.length());
    }

    private static void addSchemas(Content content, List<Schema> pending) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().stream().map(MediaType::getSchema).forEach(pending::add);
        }
    }

    private static Header integerHeader(String description, boolean required) {
        return OASFactory.createHeader().description(description).required(required)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
    }

    private static Header header(String description, boolean required) {
        return OASFactory.createHeader().description(description).required(required)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    /**
     * A nullable property that names another schema comes out as {@code type: object} beside
     * {@code anyOf: [$ref, {type: null}]}; the type then forbids the null the anyOf allows.
     */
    private static void nullableReferencesWithoutType(OpenAPI openAPI) {
        openAPI.getComponents().getSchemas().values().forEach(schema -> {
            if (schema.getProperties() != null) {
                schema.getProperties().values().forEach(property -> {
                    if (property.getAnyOf() != null && property.getType() != null) {
                        property.setType(null);
                    }
                });
            }
        });
    }
}
