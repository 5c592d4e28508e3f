package dev.awal.contacts.bulk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The bulk endpoints are documented with operation ids, every status, and an example per documented body. */
@QuarkusTest
class BulkOpenApiTest {

    @Test
    void everyBulkOperationIsDocumentedWithExamples() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        String[][] operations = {
                { "/api/developer/contacts/by-phone/{phone}", "get", "getContactByPhone", "200,304,400,404,422" },
                { "/api/developer/contacts/by-phone/{phone}", "put", "upsertContactByPhone", "200,201,400,412,413,415,422" },
                { "/api/developer/contacts/batch", "post", "upsertContactsBatch", "200,400,413,415,422" },
                { "/api/developer/contacts/export", "get", "exportContacts", "200,400" } };
        for (String[] op : operations) {
            String base = "paths.'" + op[0] + "'." + op[1];
            assertThat(doc.getString(base + ".operationId")).as(base).isEqualTo(op[2]);
            assertThat(doc.getString(base + ".summary")).as(base).isNotBlank();
            assertThat(doc.getString(base + ".description")).as(base).isNotBlank();
            Map<String, Object> responses = doc.getMap(base + ".responses");
            assertThat(responses).as(base).containsKeys(op[3].split(",")).containsKeys("401", "403", "429", "500");
            for (String status : op[3].split(",")) {
                if (status.equals("304") || status.startsWith("2") && !op[2].equals("upsertContactsBatch")
                        && !op[2].equals("exportContacts")) {
                    continue;
                }
                Map<String, Object> content = doc.getMap(base + ".responses.'" + status + "'.content");
                assertThat(content).as(base + " " + status).isNotEmpty();
                content.keySet().forEach(type -> assertThat(doc.getMap(base + ".responses.'" + status + "'.content.'" + type
                        + "'.examples")).as(base + " " + status + " " + type).isNotEmpty());
            }
        }
        assertThat(doc.getMap("paths.'/api/developer/contacts/batch'.post.requestBody.content.'application/json'.examples"))
                .isNotEmpty();
        assertThat(doc.getList("paths.'/api/developer/contacts/export'.get.parameters.name"))
                .contains("format", "bom", "search", "contact_group_id", "branch_id", "is_favorite", "phone_number_id", "sort");
        assertThat(doc.getMap("components.schemas.ContactBatchItemResult.properties")).containsKeys("index", "status",
                "result", "data", "error");
    }
}
