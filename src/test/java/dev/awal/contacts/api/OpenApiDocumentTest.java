package dev.awal.contacts.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

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
            org.assertj.core.api.Assertions.assertThat(doc.getString(base + ".operationId")).as(base).isEqualTo(op[2]);
            org.assertj.core.api.Assertions.assertThat(doc.getString(base + ".summary")).as(base).isNotBlank();
            org.assertj.core.api.Assertions.assertThat(doc.getMap(base + ".responses")).as(base)
                    .containsKeys("401", "403", "429", "500");
        }
    }

    @Test
    void requestBodiesListEveryAcceptedContentType() {
        JsonPath doc = document();
        for (String op : new String[] { "'/api/developer/contacts'.post", "'/api/developer/contacts/{id}'.patch",
                "'/api/developer/branches'.post" }) {
            org.assertj.core.api.Assertions.assertThat(doc.getMap("paths." + op + ".requestBody.content")).as(op)
                    .containsKeys("application/json", "application/x-www-form-urlencoded", "multipart/form-data");
        }
        org.assertj.core.api.Assertions.assertThat(doc.getList(
                "paths.'/api/developer/contacts'.post.parameters.name")).contains("phone_number_id");
        org.assertj.core.api.Assertions.assertThat(doc.getList(
                "paths.'/api/developer/contacts'.get.parameters.name"))
                .contains("search", "searchTerm", "contact_group_id", "branch_id", "is_favorite", "phone_number_id",
                        "sort", "page", "per_page", "cursor");
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
}
