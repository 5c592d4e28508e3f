package dev.awal.contacts.api;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.filter.Filter;

/**
 * Checks every response a test receives through {@code support.Api} against the service's own
 * document (/q/openapi): status, headers, content type and body schema. A response the document does
 * not describe fails the test that got it, so no endpoint can drift from its documentation.
 * Requests are not checked: tests send invalid ones on purpose.
 */
public final class OpenApiResponseValidation {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile Filter filter;

    private OpenApiResponseValidation() {
    }

    /** Built on first use from the running application; the document is the same in every test profile. */
    public static Filter filter() {
        if (filter == null) {
            synchronized (OpenApiResponseValidation.class) {
                if (filter == null) {
                    filter = new OpenApiValidationFilter(validator());
                }
            }
        }
        return filter;
    }

    static OpenApiInteractionValidator validator() {
        String document = given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        return OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(document))
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    /**
     * The validator reads OpenAPI 3.0 (its 3.1 support misreads typed headers), the service writes
     * 3.1. The only 3.1 forms the document uses map one to one: {@code type: [T, "null"]} is
     * {@code type: T, nullable: true}, and a schema's {@code examples} list is its {@code example}.
     */
    static String asOpenApi30(String document) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(document);
            root.put("openapi", "3.0.3");
            ((ObjectNode) root.path("info").path("license")).remove("identifier");
            downgrade(root);
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void downgrade(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isArray()) {
                List<String> types = new ArrayList<>();
                type.forEach(t -> types.add(t.asText()));
                if (types.remove("null")) {
                    object.put("nullable", true);
                }
                if (types.size() != 1) {
                    throw new IllegalStateException("Not expressible in OpenAPI 3.0: type " + type);
                }
                object.put("type", types.get(0));
            }
            JsonNode examples = object.get("examples");
            if (examples != null && examples.isArray()) {
                object.set("example", examples.get(0));
                object.remove("examples");
            }
        }
        node.forEach(OpenApiResponseValidation::downgrade);
    }
}
