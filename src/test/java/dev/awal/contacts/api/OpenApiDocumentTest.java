package dev.awal.contacts.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The generated document is complete enough to generate a client from. */
@QuarkusTest
class OpenApiDocumentTest {

    private static JsonPath document() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void everyEndpointIsDocumentedWithSummaryAndOperationId() {
        JsonPath doc = document();
        String[][] operations = {
                { "/api/developer/contacts", "get", "listContacts" },
                { "/api/developer/contacts", "post", "createContact" },
                { "/api/developer/contacts/{id}", "get", "getContact" },
                { "/api/developer/contacts/{id}", "patch", "updateContact" },
                { "/api/developer/contacts/{id}", "delete", "deleteContact" },
                { "/api/developer/contact-groups", "get", "listContactGroups" },
                { "/api/developer/contact-groups", "post", "createContactGroup" },
                { "/api/developer/contact-groups/{id}", "get", "getContactGroup" },
                { "/api/developer/contact-groups/{id}", "patch", "updateContactGroup" },
                { "/api/developer/contact-groups/{id}", "delete", "deleteContactGroup" },
                { "/api/developer/branches", "get", "listBranches" },
                { "/api/developer/branches", "post", "createBranch" },
                { "/api/developer/branches/{id}", "get", "getBranch" },
                { "/api/developer/branches/{id}", "patch", "updateBranch" },
                { "/api/developer/branches/{id}", "delete", "deleteBranch" } };
        for (String[] op : operations) {
            String base = "paths.'" + op[0] + "'." + op[1];
            assertThat(doc.getString(base + ".operationId")).as(base).isEqualTo(op[2]);
            assertThat(doc.getString(base + ".summary")).as(base).isNotBlank();
            assertThat(doc.getMap(base + ".responses")).as(base)
                    .containsKeys("401", "403", "429", "500");
        }
    }

    @Test
    void requestBodiesListEveryAcceptedContentType() {
        JsonPath doc = document();
        for (String op : new String[] { "'/api/developer/contacts'.post", "'/api/developer/contacts/{id}'.patch",
                "'/api/developer/branches'.post" }) {
            assertThat(doc.getMap("paths." + op + ".requestBody.content")).as(op)
                    .containsKeys("application/json", "application/x-www-form-urlencoded", "multipart/form-data");
        }
        assertThat(doc.getList(
                "paths.'/api/developer/contacts'.post.parameters.name")).contains("phone_number_id");
        assertThat(doc.getList(
                "paths.'/api/developer/contacts'.get.parameters.name"))
                .contains("search", "searchTerm", "contact_group_id", "branch_id", "is_favorite", "phone_number_id",
                        "sort", "page", "per_page", "cursor");
        // A JSON body over the limit is 413 and another content type 415 (BodyReader, @Consumes), webhooks included.
        for (String op : new String[] { "'/api/developer/webhooks'.post", "'/api/developer/webhooks/{id}'.patch" }) {
            assertThat(doc.getMap("paths." + op + ".responses")).as(op).containsKeys("413", "415");
            assertThat(doc.getString("paths." + op + ".responses.'413'.content.'application/json'.examples.payload_too_large.value.message"))
                    .as(op).isEqualTo("The request body is larger than 262144 bytes");
        }
        // Page mode stops at page 1,000,000 (PageRequest): the document says so, so generated clients refuse beyond it.
        for (String list : new String[] { "contacts", "contact-groups", "branches" }) {
            assertThat(doc.getList("paths.'/api/developer/" + list + "'.get.parameters.findAll { it.name == 'page' }.schema.maximum"))
                    .as(list).containsExactly(1000000);
        }
    }

    @Test
    void schemasUseSnakeCaseAndAuthHeadersAreSecuritySchemes() {
        given().accept("application/json").get("/q/openapi?format=json").then()
                .body("components.schemas.Contact.properties", hasKey("phone_number_id"))
                .body("components.schemas.Contact.properties", hasKey("is_favorite"))
                .body("components.schemas.Error.properties", hasKey("request_id"))
                .body("components.securitySchemes.signature.name", equalTo("X-Awal-Signature-256"))
                .body("components.securitySchemes.timestamp.name", equalTo("X-Timestamp"))
                .body("components.securitySchemes.domain.name", equalTo("X-Domain"))
                .body("components.securitySchemes.clientId.name", equalTo("X-Client-ID"))
                .body("security[0].keySet()", hasItems("signature", "timestamp", "domain", "clientId"))
                .body("info.title", notNullValue());
    }

    @Test
    void workspaceIsOnlyASecuritySchemeNeverAParameter() throws Exception {
        forEachOperation((name, operation) -> {
            for (JsonNode parameter : operation.path("parameters")) {
                assertThat(parameter.path("name").asText()).as(name).isNotEqualToIgnoringCase("X-Domain");
            }
        });
    }

    @Test
    void everyOperationAndParameterIsDescribed() throws Exception {
        forEachOperation((name, operation) -> {
            assertThat(operation.path("description").asText()).as(name).isNotBlank();
            for (JsonNode parameter : operation.path("parameters")) {
                assertThat(parameter.path("description").asText()).as(name + " " + parameter.path("name")).isNotBlank();
            }
        });
    }

    @Test
    void createsAnswerWithTheCreatedObject() {
        JsonPath doc = document();
        for (String[] create : new String[][] { { "/api/developer/contacts", "ContactResponse" },
                { "/api/developer/contact-groups", "ContactGroupResponse" },
                { "/api/developer/branches", "BranchResponse" } }) {
            assertThat(doc.getString("paths.'" + create[0] + "'.post.responses.'201'.content.'application/json'.schema.'$ref'"))
                    .as(create[0]).isEqualTo("#/components/schemas/" + create[1]);
        }
    }

    @Test
    void answersTheServerGivesAreDocumented() {
        JsonPath doc = document();
        assertThat(doc.getMap("paths.'/api/developer/contacts/{id}'.get.responses")).containsKey("304");
        assertThat(doc.getMap("paths.'/api/developer/contacts/{id}'.get.responses.'304'.headers")).containsKey("ETag");
        assertThat(doc.getMap("paths.'/api/developer/contact-groups/{id}'.patch.responses")).containsKey("415");
        assertThat(doc.getMap("paths.'/api/developer/branches/{id}'.patch.responses")).containsKey("415");
        assertThat(doc.getMap("paths.'/api/developer/contact-groups'.post.requestBody.content"))
                .containsKeys("application/json", "application/x-www-form-urlencoded", "multipart/form-data");
    }

    @Test
    void everyErrorIsTheEnvelopeWithAnExampleOfItsOwnCode() throws Exception {
        forEachOperation((name, operation) -> operation.path("responses").fields().forEachRemaining(response -> {
            String status = response.getKey();
            JsonNode json = response.getValue().path("content").path("application/json");
            if (status.startsWith("4") || status.startsWith("5")) {
                assertThat(json.path("schema").path("$ref").asText()).as(name + " " + status)
                        .isEqualTo("#/components/schemas/Error");
                assertThat(json.path("examples").size()).as(name + " " + status).isPositive();
                json.path("examples").forEach(example -> assertThat(example.path("value").path("error").asText())
                        .as(name + " " + status).isIn(CODES_BY_STATUS.get(status)));
            }
            // JSON everywhere, but for the files: the export and an import's error report.
            boolean file = name.endsWith("/contacts/export") || name.endsWith("/errors");
            response.getValue().path("content").fieldNames().forEachRemaining(type ->
                    assertThat(type).as(name + " " + status).isIn(file && status.equals("200")
                            ? java.util.List.of("text/csv", "application/x-ndjson") : java.util.List.of("application/json")));
        }));
    }

    @Test
    void typesGeneratorsNeedAreExplicit() {
        JsonPath doc = document();
        Map<String, Map<String, Object>> list = parametersByName(doc, "paths.'/api/developer/contacts'.get.parameters");
        assertThat(list.get("sort").get("schema")).asString().contains("type=string");
        assertThat(list.get("contact_group_id").get("schema")).asString().contains("format=int64");
        assertThat(list.get("branch_id").get("schema")).asString().contains("format=int64");
        Map<String, Map<String, Object>> groups = parametersByName(doc, "paths.'/api/developer/contact-groups'.get.parameters");
        assertThat(groups.get("status").get("schema")).asString().contains("type=integer");
        assertThat(doc.getString("components.schemas.ContactGroup.properties.status.type")).isEqualTo("integer");
        assertThat(doc.getString("components.schemas.Contact.properties.created_at.format")).isEqualTo("date-time");
        assertThat(doc.getMap("components.schemas")).doesNotContainKey("Instant");
    }

    @Test
    void everyFieldIsRequiredAndTheNullableOnesSayNull() {
        JsonPath doc = document();
        for (String schema : new String[] { "Contact", "ContactGroup", "Branch", "PageMeta", "Error" }) {
            Map<String, Map<String, Object>> properties = doc.getMap("components.schemas." + schema + ".properties");
            assertThat(doc.getList("components.schemas." + schema + ".required")).as(schema)
                    .containsExactlyInAnyOrderElementsOf(properties.keySet());
        }
        assertThat(doc.getList("components.schemas.Contact.properties.full_name.type")).containsExactly("string", "null");
        assertThat(doc.getList("components.schemas.Error.properties.details.type")).contains("null");
        assertThat(doc.getList("components.schemas.PageMeta.properties.next_cursor.type")).contains("null");
    }

    @Test
    void noReferenceCarriesSiblingKeywords() throws Exception {
        List<String> offenders = new ArrayList<>();
        walk(tree(), "#", (pointer, node) -> {
            if (node.has("$ref") && node.size() > 1) {
                offenders.add(pointer);
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void documentNamesItsServersContactLicenseAndDocs() {
        JsonPath doc = document();
        assertThat(doc.getList("servers.url")).contains("http://localhost:8080");
        assertThat(doc.getString("info.contact.email")).isNotBlank();
        assertThat(doc.getString("info.license.name")).isNotBlank();
        assertThat(doc.getString("externalDocs.url")).startsWith("https://");
        // Swagger UI renders descriptions as Markdown with HTML: a <placeholder> would vanish.
        for (Object scheme : doc.getMap("components.securitySchemes").values()) {
            assertThat(((Map<?, ?>) scheme).get("description")).asString().doesNotContain("<");
        }
    }

    private static final Map<String, List<String>> CODES_BY_STATUS = Map.ofEntries(
            Map.entry("400", List.of("bad_request", "unsupported_api_version")),
            Map.entry("401", List.of("missing_headers", "authentication_failed")),
            Map.entry("403", List.of("forbidden")),
            Map.entry("404", List.of("resource_not_found")),
            Map.entry("409", List.of("duplicate_phone", "duplicate_name", "attribute_in_use")),
            Map.entry("410", List.of("gone")),
            Map.entry("412", List.of("precondition_failed")),
            Map.entry("413", List.of("payload_too_large")),
            Map.entry("415", List.of("unsupported_media_type")),
            Map.entry("422", List.of("validation_failed")),
            Map.entry("429", List.of("rate_limit_exceeded")),
            Map.entry("500", List.of("internal_error")),
            Map.entry("503", List.of("service_unavailable")));

    private static JsonNode tree() throws Exception {
        return new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
    }

    private static void forEachOperation(BiConsumer<String, JsonNode> check) throws Exception {
        tree().path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/api/developer")) {
                path.getValue().fields().forEachRemaining(operation -> check.accept(
                        operation.getKey() + " " + path.getKey(), operation.getValue()));
            }
        });
    }

    private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(pointer, node);
            node.fields().forEachRemaining(field -> walk(field.getValue(), pointer + "/" + field.getKey(), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visit);
            }
        }
    }

    private static Map<String, Map<String, Object>> parametersByName(JsonPath doc, String path) {
        Map<String, Map<String, Object>> byName = new HashMap<>();
        for (Map<String, Object> parameter : doc.<Map<String, Object>>getList(path)) {
            byName.put((String) parameter.get("name"), parameter);
        }
        return byName;
    }
}
